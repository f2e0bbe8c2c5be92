import Foundation

/// A built-in stage: reads its inputs from the job folder, writes its outputs into
/// `context.outputDirectory`; the engine then commits them atomically and stamps them.
public protocol StageImplementation: Sendable {
    /// Bumped when the stage's code changes what it writes; a new number makes the stage stale.
    var logicVersion: Int { get }
    /// SHA-256 of each data file the stage uses (taxonomies, prompts, templates).
    var dataSHA256: [String: String] { get }
    /// The stage's slice of pipeline.json: only a change in it makes the stage stale.
    func settings(from document: JSONValue) -> JSONValue
    func run(_ context: StageContext) async throws -> StageReport
    /// Folders (relative to the job, e.g. "inputs/pages") whose files, when there are any, are
    /// inputs too: a person adding one makes the stage run again.
    var optionalInputFolders: [String] { get }
}

extension StageImplementation {
    public var optionalInputFolders: [String] { [] }
}

/// Thrown by a stage that cannot go on until a person provides something (pages saved by hand):
/// the stage and its job are `waiting`, not failed, until its inputs change.
public struct StageWaiting: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// What a stage says about its run, beyond its files: recorded in stamp.json.
public struct StageReport: Sendable, Equatable {
    public var provider: String?
    public var model: String?
    public var tokens: Int?
    public var costUSD: Double
    public var warnings: [String]
    public var sharedStateRead: JSONValue?

    public init(
        provider: String? = nil, model: String? = nil, tokens: Int? = nil, costUSD: Double = 0,
        warnings: [String] = [], sharedStateRead: JSONValue? = nil
    ) {
        self.provider = provider
        self.model = model
        self.tokens = tokens
        self.costUSD = costUSD
        self.warnings = warnings
        self.sharedStateRead = sharedStateRead
    }
}

/// A stage's failure. Transient ones (a 503, a dropped connection) are retried with backoff.
public struct StageFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let transient: Bool
    /// Seconds the other side asked us to wait (Retry-After), when it said.
    public let retryAfter: Double?
    /// Not a failure: the stage waits for a person (see StageWaiting).
    let waiting: Bool

    public init(_ message: String, transient: Bool = false, retryAfter: Double? = nil) {
        self.init(message, transient: transient, retryAfter: retryAfter, waiting: false)
    }

    init(_ message: String, transient: Bool = false, retryAfter: Double? = nil, waiting: Bool) {
        self.message = message
        self.transient = transient
        self.retryAfter = retryAfter
        self.waiting = waiting
    }

    public var description: String { message }
}

/// Everything a running stage may look at.
public struct StageContext: Sendable {
    public let jobID: String
    public let stage: String
    public let job: JobFolder
    /// Input artifacts, as paths relative to the job folder.
    public let inputs: [String]
    /// The temporary folder the stage writes into; committed as `<job>/<stage>/`.
    public let outputDirectory: URL
    public let pipeline: PipelineDefinition
    public let stateDirectory: URL
    public let clock: EngineClock
    /// Monotonic instant (EngineClock.monotonicSeconds) by which the stage must finish; nil when unbounded.
    public let deadline: Double?
    /// Set by `rerun --refetch`: fetch again what was recorded instead of replaying it.
    public let refetch: Bool

    public func input(_ relative: String) -> URL { job.file(relative) }

    /// Where a stage records each answer it fetches from outside the moment it arrives, so an
    /// attempt that fails later (a transient error, a killed process) does not make the next one
    /// pay for the same answers again. It outlives failed attempts and is removed once the stage's
    /// outputs are committed: by then the outputs hold what the stage kept of it.
    public var recordingDirectory: URL { job.recording(stage) }

    public func readInput(_ relative: String) throws -> Data {
        do { return try Data(contentsOf: input(relative)) } catch {
            throw StageFailure("\(relative): cannot be read (\(error.localizedDescription))")
        }
    }

    /// Reads and parses a JSON input; a file that is not JSON fails the stage, naming it.
    public func readJSON(_ relative: String) throws -> JSONValue {
        let data = try readInput(relative)
        do { return try JSONValue.parse(data) } catch { throw StageFailure("\(relative): not valid JSON") }
    }

    /// Writes one output file (relative to the stage folder) in canonical form.
    public func writeOutput(_ relative: String, json value: JSONValue) throws {
        try writeOutput(relative, data: CanonicalJSON.data(value))
    }

    public func writeOutput(_ relative: String, data: Data) throws {
        let target = outputDirectory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
    }

    public var secondsLeft: Double? { deadline.map { $0 - clock.monotonicSeconds() } }
}
