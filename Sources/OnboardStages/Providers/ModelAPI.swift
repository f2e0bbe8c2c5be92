import Foundation
import OnboardEngine
import OnboardWeb

/// What one call asks: instructions, the site text, and the tool (or schema) the answer must fill.
struct ModelPrompt: Sendable {
    let system: String
    let user: String
    let toolName: String
    let toolDescription: String
    let schema: JSONValue
}

/// Tokens a provider says a call used (billed whether or not the answer is usable).
struct TokenUsage: Sendable, Equatable {
    var input: Int
    var output: Int
}

/// One provider's wire format: how to ask, and how to read what comes back.
protocol ModelAPI: Sendable {
    var name: String { get }
    func url(_ settings: ProviderSettings) -> URL
    func headers(key: String) -> [String: String]
    func body(_ prompt: ModelPrompt, _ settings: ProviderSettings) -> JSONValue
    func usage(_ answer: JSONValue) -> TokenUsage?
    /// The structured answer (the ICP object) from a 200 body, or why there is none.
    func structuredAnswer(_ answer: JSONValue, maxTokens: Int) throws(ProviderProblem) -> JSONValue
    /// The problem a non-200 answer stands for.
    func problem(status: Int, body: Data, keyVariable: String, attempts: Int) -> ProviderProblem
}

extension ProviderSettings {
    var api: any ModelAPI {
        switch kind {
        case .anthropic: return AnthropicMessages()
        case .openai: return OpenAIChatCompletions()
        }
    }
}

/// Shared reading of error answers: both providers put a type and a message in the body.
enum ModelAPIError {
    static func problem(
        provider: String, status: Int, errorType: String?, message: String?, keyVariable: String, attempts: Int
    ) -> ProviderProblem {
        let said = [errorType, message.map { String($0.prefix(300)) }].compactMap { $0 }.joined(separator: ": ")
        let answer = "\(provider) answered \(status)\(said.isEmpty ? "" : " (\(said))")"
        switch status {
        case 401:
            return ProviderProblem(.configuration, "\(answer): the key in \(keyVariable) was not accepted")
        case 403:
            return ProviderProblem(.configuration, "\(answer): the key in \(keyVariable) may not use this model or endpoint")
        case 404:
            return ProviderProblem(.configuration, "\(answer): check the provider's base_url and model in pipeline.json")
        default:
            let tries = attempts > 1 ? " after \(attempts) attempts" : ""
            return ProviderProblem(RetryAdvice.retryableForAPI(status) ? .unavailable : .unusable, answer + tries)
        }
    }

    /// A JSON object from a tool's arguments, which servers send as an object or as JSON text
    /// (sometimes inside a Markdown code fence).
    static func object(from value: JSONValue, what: String) throws(ProviderProblem) -> JSONValue {
        if value.objectValue != nil { return value }
        guard var text = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw ProviderProblem(.unusable, "\(what) is \(value.typeName), not a JSON object")
        }
        if text.hasPrefix("```") {
            text = String(text.drop { $0 != "\n" }.dropFirst())
            if text.hasSuffix("```") { text = String(text.dropLast(3)) }
        }
        guard let parsed = try? JSONValue.parse(Data(text.utf8)), parsed.objectValue != nil else {
            throw ProviderProblem(.unusable, "\(what) is not a JSON object: \(String(text.prefix(80)))")
        }
        return parsed
    }
}
