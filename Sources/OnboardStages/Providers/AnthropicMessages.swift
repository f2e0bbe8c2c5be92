import Foundation
import OnboardEngine

/// Anthropic's Messages API: one tool whose input schema is the ICP, forced with `tool_choice`,
/// which works on every model and on compatible servers.
struct AnthropicMessages: ModelAPI {
    static let version = "2023-06-01"
    var name: String { "anthropic" }

    func url(_ settings: ProviderSettings) -> URL {
        settings.baseURL.appendingPathComponent("v1").appendingPathComponent("messages")
    }

    func headers(key: String) -> [String: String] {
        ["x-api-key": key, "anthropic-version": Self.version]
    }

    func body(_ prompt: ModelPrompt, _ settings: ProviderSettings) -> JSONValue {
        [
            "model": .string(settings.model),
            "max_tokens": .int(Int64(settings.maxTokens)),
            "temperature": 0,
            "system": .string(prompt.system),
            "messages": [["role": "user", "content": .string(prompt.user)]],
            "tools": [
                ["name": .string(prompt.toolName), "description": .string(prompt.toolDescription), "input_schema": prompt.schema]
            ],
            "tool_choice": ["type": "tool", "name": .string(prompt.toolName)],
        ]
    }

    func usage(_ answer: JSONValue) -> TokenUsage? {
        guard let usage = answer["usage"] else { return nil }
        // Cache writes and reads are input too; counting them at the input price can only overstate.
        let input = ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
            .compactMap { usage[$0]?.intValue }.reduce(0, +)
        return TokenUsage(input: Int(input), output: Int(usage["output_tokens"]?.intValue ?? 0))
    }

    func structuredAnswer(_ answer: JSONValue, maxTokens: Int) throws(ProviderProblem) -> JSONValue {
        guard answer["type"]?.stringValue == "message", let content = answer["content"]?.arrayValue else {
            throw ProviderProblem(.unusable, "anthropic's answer is not a message with content")
        }
        switch answer["stop_reason"]?.stringValue {
        case "max_tokens", "model_context_window_exceeded":
            throw ProviderProblem(
                .unusable, "anthropic's answer was cut off at max_tokens (\(maxTokens)); raise providers.anthropic.max_tokens")
        case "refusal":
            throw ProviderProblem(.unusable, "anthropic's model refused to answer (stop_reason refusal)")
        default:
            break
        }
        guard let call = content.first(where: { $0["type"]?.stringValue == "tool_use" }) else {
            throw ProviderProblem(.unusable, "anthropic's answer has no tool_use block (stop_reason \(answer["stop_reason"]?.stringValue ?? "none"))")
        }
        guard let input = call["input"] else { throw ProviderProblem(.unusable, "anthropic's tool_use block has no input") }
        return try ModelAPIError.object(from: input, what: "anthropic's tool input")
    }

    func problem(status: Int, body: Data, keyVariable: String, attempts: Int) -> ProviderProblem {
        let error = (try? JSONValue.parse(body))?["error"]
        return ModelAPIError.problem(
            provider: name, status: status, errorType: error?["type"]?.stringValue, message: error?["message"]?.stringValue,
            keyVariable: keyVariable, attempts: attempts)
    }
}
