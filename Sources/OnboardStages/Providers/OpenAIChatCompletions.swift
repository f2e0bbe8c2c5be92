import Foundation
import OnboardEngine

/// Any OpenAI-compatible chat-completions server (llama.cpp's llama-server, Ollama, vLLM, hosted
/// ones). The base URL includes the version path (`http://127.0.0.1:8080/v1`), as the OpenAI
/// clients expect. The answer is read from a tool call (arguments as JSON text or, as Ollama
/// sends them, an object) or from the message content, and is validated by us either way:
/// servers differ in how faithfully they follow a schema.
struct OpenAIChatCompletions: ModelAPI {
    var name: String { "openai" }

    func url(_ settings: ProviderSettings) -> URL {
        settings.baseURL.appendingPathComponent("chat").appendingPathComponent("completions")
    }

    func headers(key: String) -> [String: String] {
        ["Authorization": "Bearer \(key)"]
    }

    func body(_ prompt: ModelPrompt, _ settings: ProviderSettings) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(settings.model),
            "max_tokens": .int(Int64(settings.maxTokens)),
            "temperature": 0,
            "messages": [
                ["role": "system", "content": .string(prompt.system)],
                ["role": "user", "content": .string(prompt.user)],
            ],
        ]
        switch settings.structuredOutput {
        case .jsonSchema:
            // Only the response format: llama.cpp refuses a request that carries a schema and a grammar.
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": .string(prompt.toolName), "schema": prompt.schema, "strict": true],
            ]
        case .tool:
            body["tools"] = [
                [
                    "type": "function",
                    "function": [
                        "name": .string(prompt.toolName), "description": .string(prompt.toolDescription),
                        "parameters": prompt.schema,
                    ],
                ]
            ]
            body["tool_choice"] = ["type": "function", "function": ["name": .string(prompt.toolName)]]
        }
        return .object(body)
    }

    func usage(_ answer: JSONValue) -> TokenUsage? {
        guard let usage = answer["usage"] else { return nil }
        return TokenUsage(
            input: Int(usage["prompt_tokens"]?.intValue ?? 0), output: Int(usage["completion_tokens"]?.intValue ?? 0))
    }

    func structuredAnswer(_ answer: JSONValue, maxTokens: Int) throws(ProviderProblem) -> JSONValue {
        guard let choice = answer["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw ProviderProblem(.unusable, "openai's answer has no choices[0].message")
        }
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            throw ProviderProblem(.unusable, "openai's model refused to answer: \(refusal.prefix(200))")
        }
        switch choice["finish_reason"]?.stringValue {
        case "length":
            throw ProviderProblem(
                .unusable, "openai's answer was cut off at max_tokens (\(maxTokens)); raise providers.openai.max_tokens")
        case "content_filter":
            throw ProviderProblem(.unusable, "openai's answer was withheld by the server's content filter")
        default:
            break
        }
        if let call = message["tool_calls"]?.arrayValue?.first {
            guard let arguments = call["function"]?["arguments"] else {
                throw ProviderProblem(.unusable, "openai's tool call has no function.arguments")
            }
            return try ModelAPIError.object(from: arguments, what: "openai's tool arguments")
        }
        guard let content = message["content"], !content.isNull else {
            throw ProviderProblem(.unusable, "openai's answer has neither a tool call nor content")
        }
        return try ModelAPIError.object(from: content, what: "openai's message content")
    }

    func problem(status: Int, body: Data, keyVariable: String, attempts: Int) -> ProviderProblem {
        let error = (try? JSONValue.parse(body))?["error"]
        // Some servers put a plain string in "error".
        let message = error?["message"]?.stringValue ?? error?.stringValue
        let type = error?["type"]?.stringValue ?? error?["code"]?.stringValue
        return ModelAPIError.problem(
            provider: name, status: status, errorType: type, message: message, keyVariable: keyVariable, attempts: attempts)
    }
}
