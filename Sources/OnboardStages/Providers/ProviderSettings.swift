import Foundation
import OnboardEngine

/// The model provider `providers.icp` chooses, as the icp and enrich stages use it.
struct ProviderSettings: Sendable {
    enum Kind: String, Sendable {
        case anthropic, openai
    }

    /// How an OpenAI-compatible server is asked for structured output.
    enum StructuredOutput: String, Sendable {
        /// `response_format: {type: json_schema}` (llama.cpp, vLLM, hosted servers).
        case jsonSchema = "json_schema"
        /// One function tool forced with `tool_choice` (servers that ignore response formats).
        case tool
    }

    struct Price: Sendable, Equatable {
        var inputPerMTok: Double
        var outputPerMTok: Double
    }

    static let defaultMaxTokens = 4_096
    static let defaultTimeoutSeconds = 120.0

    let kind: Kind
    let baseURL: URL
    let model: String
    let maxTokens: Int
    let timeoutSeconds: Double
    let structuredOutput: StructuredOutput
    /// nil when providers.prices has no entry for the model.
    let price: Price?

    var keyVariable: String { Self.keyVariable(kind) }

    static func keyVariable(_ kind: Kind) -> String {
        kind == .anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"
    }

    /// nil when `providers.icp` is "rules" (or absent): the offline extractor.
    init?(_ document: JSONValue) {
        guard let chosen = document.value(at: "providers.icp")?.stringValue, let kind = Kind(rawValue: chosen) else { return nil }
        let entry = document["providers"]?[kind.rawValue]
        guard let base = entry?["base_url"]?.stringValue, let url = URL(string: base) else { return nil }
        self.kind = kind
        baseURL = url
        model = entry?["model"]?.stringValue ?? ""
        maxTokens = Int(entry?["max_tokens"]?.intValue ?? Int64(Self.defaultMaxTokens))
        timeoutSeconds = entry?["timeout_seconds"]?.doubleValue ?? Self.defaultTimeoutSeconds
        structuredOutput = entry?["structured_output"]?.stringValue.flatMap(StructuredOutput.init(rawValue:)) ?? .jsonSchema
        let priced = document["providers"]?["prices"]?[model]
        if let input = priced?["input_per_mtok"]?.doubleValue, let output = priced?["output_per_mtok"]?.doubleValue {
            price = Price(inputPerMTok: input, outputPerMTok: output)
        } else {
            price = nil
        }
    }

    /// The part of pipeline.json whose change changes what a model stage would ask or spend:
    /// the choice, the chosen endpoint and its model's price (not the other providers' sections).
    static func slice(_ document: JSONValue) -> JSONValue {
        let chosen = document.value(at: "providers.icp") ?? .null
        var slice: [String: JSONValue] = ["providers.icp": chosen]
        if let name = chosen.stringValue, Kind(rawValue: name) != nil {
            let entry = document["providers"]?[name] ?? .null
            slice["providers.\(name)"] = entry
            if let model = entry["model"]?.stringValue {
                slice["providers.prices.model"] = document["providers"]?["prices"]?[model] ?? .null
            }
        }
        return .object(slice)
    }

    /// The key from the environment, never from a file.
    func key(in environment: [String: String]) -> String? {
        guard let key = environment[keyVariable], !key.isEmpty else { return nil }
        return key
    }
}
