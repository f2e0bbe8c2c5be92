import OnboardEngine

/// The optional keys of a model provider's section of pipeline.json.
enum ProviderSettingsCheck {
    static func checkModelOptions(_ entry: [String: JSONValue], at path: String, _ checker: inout ConfigChecker) {
        if let value = entry["max_tokens"] { checker.expectInt(value, at: "\(path).max_tokens", in: 1...200_000) }
        if let value = entry["timeout_seconds"] { checker.expectNumber(value, at: "\(path).timeout_seconds", in: 1...3_600) }
        if let value = entry["structured_output"] {
            checker.expectString(value, at: "\(path).structured_output", oneOf: ["json_schema", "tool"])
        }
    }
}
