import Foundation

/// What an application built on the engine supplies: its sections of pipeline.json, their defaults
/// and checks, its built-in stages, how requests become jobs, and its time budgets.
public protocol PipelineProfile: Sendable {
    /// The default document; keys absent from a tree's pipeline.json take these values.
    var defaults: JSONValue { get }
    /// Top-level sections the application owns, besides the engine's version, paths and stages.
    var sections: Set<String> { get }
    /// Sections filled key by key from the defaults (others are replaced whole when given).
    var mergedSections: Set<String> { get }
    var builtinStages: Set<String> { get }

    /// Reports every problem of the application's sections.
    func check(_ document: JSONValue, into checker: inout ConfigChecker)
    /// The implementation of a built-in stage.
    func implementation(of stage: String) -> (any StageImplementation)?
    /// Turns the bytes of an inbox file into a job, or says which field is wrong.
    func admit(_ request: Data, pipeline: PipelineDefinition) -> Result<AdmittedRequest, RequestRejection>
    /// Running-time budgets over groups of stages.
    func phases(_ pipeline: PipelineDefinition) -> [PhaseBudget]
    /// Seconds between two polls of `watch`.
    func pollInterval(_ pipeline: PipelineDefinition) -> Double
    /// What a person does to provide a missing input file of a stage.
    func waitingHint(stage: String, input: String, job: String) -> String
    /// Called after a job's status in job.json changed, so records kept elsewhere can follow it.
    /// A failure here is the application's to report; it never stops the run.
    func jobStatusChanged(_ record: JobRecord, job: JobFolder, tree: Tree, at time: Date)
}

extension PipelineProfile {
    public func jobStatusChanged(_ record: JobRecord, job: JobFolder, tree: Tree, at time: Date) {}
}

/// A running-time budget shared by several stages of a job (time spent waiting for a person excluded).
public struct PhaseBudget: Sendable, Equatable {
    public let name: String
    public let stages: Set<String>
    public let seconds: Double

    public init(name: String, stages: Set<String>, seconds: Double) {
        self.name = name
        self.stages = stages
        self.seconds = seconds
    }
}
