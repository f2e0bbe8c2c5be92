import Foundation
import OnboardEngine

/// Data files that ship with the program (not with a tree): the default pipeline.json, its JSON Schema.
public enum BundledData {
    public static func url(_ name: String) -> URL? {
        let parts = name.split(separator: ".", maxSplits: 1)
        return Bundle.module.url(forResource: String(parts[0]), withExtension: parts.count > 1 ? String(parts[1]) : nil, subdirectory: "Resources")
    }

    public static func data(_ name: String) -> Data {
        guard let url = url(name), let data = try? Data(contentsOf: url) else {
            fatalError("the program's data file \(name) is missing from its resource bundle; reinstall onboard")
        }
        return data
    }

    public static let defaultPipeline: Data = data("pipeline.json")
    public static let pipelineSchema: Data = data("pipeline.schema.json")
}
