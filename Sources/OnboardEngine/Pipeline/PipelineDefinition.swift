import Foundation

/// One stage as pipeline.json declares it.
public struct StageDefinition: Sendable, Equatable {
    public let name: String
    public let needs: [String]
    /// Files a person adds under `inputs/` before the stage can run (`confirm.json`).
    public let inputs: [String]
    /// A user's own program, run without a shell; nil for a built-in stage.
    public let command: [String]?
    /// The stage's entry as written, hashed as the settings of a command stage.
    public let entry: JSONValue
}

/// A loaded, validated pipeline.json: the effective document (defaults filled in) and the stage graph.
public struct PipelineDefinition: Sendable {
    public let document: JSONValue
    public let stages: [StageDefinition]
    /// Stage names in an order where every stage comes after what it needs (declaration order kept otherwise).
    public let order: [String]
    public let paths: TreePaths
    /// SHA-256 of pipeline.json's bytes as read.
    public let fileSHA256: String

    public func stage(_ name: String) -> StageDefinition? { stages.first { $0.name == name } }

    /// Every stage that depends, directly or not, on `name`, in run order.
    public func downstream(of name: String) -> [String] {
        var affected: Set<String> = [name]
        var result: [String] = []
        for stageName in order where stageName != name {
            guard let definition = stage(stageName) else { continue }
            if definition.needs.contains(where: affected.contains) {
                affected.insert(stageName)
                result.append(stageName)
            }
        }
        return result
    }
}

/// Where a tree keeps its folders, relative to the tree's root.
public struct TreePaths: Sendable, Equatable {
    public var inbox: String
    public var outbox: String
    public var state: String
}

public enum PipelineError: Error, CustomStringConvertible {
    case missing(String)
    case unreadable(String, String)
    case invalid(String, [ConfigProblem])

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(path): not found (a tree needs a pipeline.json; `onboard init` writes the default one)"
        case .unreadable(let path, let reason):
            return "\(path): \(reason)"
        case .invalid(let path, let problems):
            return problems.map { "\(path): \($0)" }.joined(separator: "\n")
        }
    }

    public var problems: [ConfigProblem] {
        if case .invalid(_, let problems) = self { return problems }
        return []
    }
}
