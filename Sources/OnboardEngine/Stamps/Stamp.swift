import Foundation

/// The provenance record of one stage run (`<stage>/stamp.json`): what went in, what came out,
/// what produced it. The only artifact with times in it.
public struct Stamp: Codable, Sendable, Equatable {
    public var stage: String
    public var logicVersion: Int
    public var inputs: [String: String]
    public var settingsSHA256: String
    public var dataSHA256: [String: String]
    public var outputs: [String: String]
    public var sharedStateRead: JSONValue?
    public var provider: String?
    public var model: String?
    public var tokens: Int?
    public var costUSD: Double
    public var startedAt: String
    public var finishedAt: String
    public var seconds: Double
    public var warnings: [String]
    /// The program's version, for the record; not compared (a rebuild does not make a stage stale).
    public var toolVersion: String

    enum CodingKeys: String, CodingKey {
        case stage, inputs, outputs, provider, model, tokens, seconds, warnings
        case logicVersion = "logic_version"
        case settingsSHA256 = "settings_sha256"
        case dataSHA256 = "data_sha256"
        case sharedStateRead = "shared_state_read"
        case costUSD = "cost_usd"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case toolVersion = "tool_version"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stage, forKey: .stage)
        try container.encode(logicVersion, forKey: .logicVersion)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(settingsSHA256, forKey: .settingsSHA256)
        try container.encode(dataSHA256, forKey: .dataSHA256)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(sharedStateRead ?? .null, forKey: .sharedStateRead)
        try container.encode(provider.map(JSONValue.string) ?? .null, forKey: .provider)
        try container.encode(model.map(JSONValue.string) ?? .null, forKey: .model)
        try container.encode(tokens.map { JSONValue.int(Int64($0)) } ?? .null, forKey: .tokens)
        try container.encode(costUSD, forKey: .costUSD)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(toolVersion, forKey: .toolVersion)
    }
}

extension Stamp {
    /// Reads a stamp.json as the synthesized decoder would (every field but shared_state_read,
    /// provider, model and tokens required; other keys ignored), through the engine's JSON reader:
    /// every pass reads the stamps of every job it looks at. Nil when it is not a stamp.
    public static func read(_ data: Data) -> Stamp? {
        guard let document = try? JSONValue.parse(data), let fields = document.objectValue else { return nil }
        func text(_ key: CodingKeys) -> String? { fields[key.rawValue]?.stringValue }
        func table(_ key: CodingKeys) -> [String: String]? {
            guard let members = fields[key.rawValue]?.objectValue else { return nil }
            var result: [String: String] = [:]
            for (name, value) in members {
                guard let string = value.stringValue else { return nil }
                result[name] = string
            }
            return result
        }
        func optional(_ key: CodingKeys) -> JSONValue? {
            guard let value = fields[key.rawValue], value != .null else { return nil }
            return value
        }
        guard let stage = text(.stage), let logic = fields[CodingKeys.logicVersion.rawValue]?.intValue, let logicVersion = Int(exactly: logic),
            let inputs = table(.inputs), let settings = text(.settingsSHA256), let data = table(.dataSHA256), let outputs = table(.outputs),
            let cost = fields[CodingKeys.costUSD.rawValue]?.doubleValue, let startedAt = text(.startedAt), let finishedAt = text(.finishedAt),
            let seconds = fields[CodingKeys.seconds.rawValue]?.doubleValue, let warningValues = fields[CodingKeys.warnings.rawValue]?.arrayValue,
            let toolVersion = text(.toolVersion)
        else { return nil }
        let warnings = warningValues.compactMap(\.stringValue)
        guard warnings.count == warningValues.count else { return nil }
        let provider = optional(.provider), model = optional(.model), tokens = optional(.tokens)
        if provider != nil && provider?.stringValue == nil || model != nil && model?.stringValue == nil
            || tokens != nil && tokens?.intValue.flatMap({ Int(exactly: $0) }) == nil
        {
            return nil
        }
        return Stamp(
            stage: stage, logicVersion: logicVersion, inputs: inputs, settingsSHA256: settings, dataSHA256: data, outputs: outputs,
            sharedStateRead: optional(.sharedStateRead), provider: provider?.stringValue, model: model?.stringValue,
            tokens: tokens?.intValue.flatMap { Int(exactly: $0) }, costUSD: cost, startedAt: startedAt, finishedAt: finishedAt,
            seconds: seconds, warnings: warnings, toolVersion: toolVersion)
    }
}

/// `<stage>/error.json`: why the last attempt failed, and the inputs it failed on, so the same
/// failure is not retried until something it depends on changes.
public struct StageErrorRecord: Codable, Sendable, Equatable {
    public var stage: String
    public var error: String
    public var transient: Bool
    public var attempts: Int
    public var inputs: [String: String]
    public var settingsSHA256: String
    public var logicVersion: Int
    public var failedAt: String
    /// The stage waits for a person (manual input) rather than failed.
    public var waiting: Bool?

    enum CodingKeys: String, CodingKey {
        case stage, error, transient, attempts, inputs, waiting
        case settingsSHA256 = "settings_sha256"
        case logicVersion = "logic_version"
        case failedAt = "failed_at"
    }
}

public enum EngineVersion {
    public static let tool = "0.1.0"
}
