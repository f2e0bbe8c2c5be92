import Foundation

/// The folders of one tree, resolved against its root.
public struct Tree: Sendable {
    public let root: URL
    public let pipeline: PipelineDefinition

    public init(root: URL, pipeline: PipelineDefinition) {
        self.root = root.standardizedFileURL
        self.pipeline = pipeline
    }

    public static func pipelineFile(in root: URL) -> URL { root.appendingPathComponent("pipeline.json") }

    public var inbox: URL { root.appendingPathComponent(pipeline.paths.inbox, isDirectory: true) }
    public var rejected: URL { inbox.appendingPathComponent("rejected", isDirectory: true) }
    public var outbox: URL { root.appendingPathComponent(pipeline.paths.outbox, isDirectory: true) }
    public var state: URL { root.appendingPathComponent(pipeline.paths.state, isDirectory: true) }
    public var engineDatabase: URL { state.appendingPathComponent("engine.sqlite") }
    public var inboxLock: URL { state.appendingPathComponent("inbox.lock") }

    /// Whether `id` names a job folder of this tree (a valid id, so it cannot point outside it).
    public func hasJob(_ id: String) -> Bool {
        JobID.isValid(id) && FileManager.default.fileExists(atPath: job(id).url.path)
    }

    public func job(_ id: String) -> JobFolder { JobFolder(id: id, url: outbox.appendingPathComponent(id, isDirectory: true)) }

    public func createFolders() throws {
        for folder in [inbox, outbox, state] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// Job folders in the outbox, sorted; anything that is not a job id (temporary folders, files) is skipped.
    public func jobIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []
        return names.filter { JobID.isValid($0) }.sorted()
    }
}

/// The folder of one job and the fixed names inside it.
public struct JobFolder: Sendable {
    public let id: String
    public let url: URL

    public var path: String { url.path }
    public var request: URL { url.appendingPathComponent("request.json") }
    public var record: URL { url.appendingPathComponent("job.json") }
    public var inputs: URL { url.appendingPathComponent("inputs", isDirectory: true) }
    public var history: URL { url.appendingPathComponent("history", isDirectory: true) }
    public var lock: URL { url.appendingPathComponent(".lock") }
    public var commitIntent: URL { url.appendingPathComponent(".commit.json") }
    public var staging: URL { url.appendingPathComponent(".staging", isDirectory: true) }

    public func stage(_ name: String) -> URL { url.appendingPathComponent(name, isDirectory: true) }
    public func stamp(_ stage: String) -> URL { self.stage(stage).appendingPathComponent("stamp.json") }
    public func error(_ stage: String) -> URL { self.stage(stage).appendingPathComponent("error.json") }
    public func file(_ relative: String) -> URL { url.appendingPathComponent(relative) }
    /// Answers a stage fetched from outside during attempts not yet committed (see StageContext.recordingDirectory).
    public func recording(_ stage: String) -> URL { url.appendingPathComponent(".recording/\(stage)", isDirectory: true) }
}

/// Job ids name folders, so they are restricted to a safe alphabet: they can never escape the outbox.
public enum JobID {
    public static func isValid(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 128, let first = id.utf8.first else { return false }
        guard (first >= 0x61 && first <= 0x7a) || (first >= 0x30 && first <= 0x39) else { return false }
        return id.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d || byte == 0x5f
        }
    }
}
