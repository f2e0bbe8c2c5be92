import Foundation
import Testing

@testable import OnboardEngine

/// A profile with no sections of its own: what the engine checks by itself.
struct BareProfile: PipelineProfile {
    var defaults: JSONValue { ["version": 1, "paths": ["inbox": "inbox", "outbox": "outbox", "state": "state"]] }
    var sections: Set<String> { [] }
    var mergedSections: Set<String> { ["paths"] }
    var builtinStages: Set<String> { ["intake"] }
    func check(_ document: JSONValue, into checker: inout ConfigChecker) {}
    func implementation(of stage: String) -> (any StageImplementation)? { nil }
    func admit(_ request: Data, pipeline: PipelineDefinition) -> Result<AdmittedRequest, RequestRejection> {
        .failure(RequestRejection(field: nil, message: "not used"))
    }
    func phases(_ pipeline: PipelineDefinition) -> [PhaseBudget] { [] }
    func pollInterval(_ pipeline: PipelineDefinition) -> Double { 1 }
    func waitingHint(stage: String, input: String, job: String) -> String { input }
}

@Suite("pipeline.json: the engine's part of the checks")
struct PipelineLoaderTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try PipelineLoader(profile: BareProfile()).load(data: Data(text.utf8))
            return []
        } catch let error as PipelineError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func aMinimalPipelineLoadsInDependencyOrderWithDefaultsFilledIn() throws {
        let pipeline = try PipelineLoader(profile: BareProfile()).load(data: Data(#"""
            {"version": 1, "stages": [
              {"name": "report", "needs": ["intake", "count"], "command": ["true"]},
              {"name": "intake"},
              {"name": "count", "needs": ["intake"], "command": ["wc"]}]}
            """#.utf8))
        #expect(pipeline.order == ["intake", "count", "report"])
        #expect(pipeline.paths == TreePaths(inbox: "inbox", outbox: "outbox", state: "state"))
        #expect(pipeline.downstream(of: "intake") == ["count", "report"])
        #expect(pipeline.downstream(of: "count") == ["report"])
    }

    @Test(arguments: [
        (#"{"version": 1, "stages": [{"name": "intake"}], "surprise": 1}"#, "$.surprise: unknown key"),
        (#"{"version": 2, "stages": [{"name": "intake"}]}"#, "$.version: must be 1"),
        (#"{"stages": [{"name": "intake"}]}"#, "$.version: is missing"),
        (#"{"version": 1, "stages": []}"#, "$.stages: must list at least one stage"),
        (#"{"version": 1, "stages": [{"name": "intake"}, {"name": "intake"}]}"#, "$.stages[1].name: duplicate stage \"intake\""),
        (#"{"version": 1, "stages": [{"name": "intake", "needs": ["ghost"]}]}"#, "$.stages[0].needs[0]: unknown stage \"ghost\""),
        (#"{"version": 1, "stages": [{"name": "intake", "needs": ["intake"]}]}"#, "cannot need itself"),
        (#"{"version": 1, "stages": [{"name": "Intake!"}]}"#, "$.stages[0].name: \"Intake!\" is not a stage name"),
        (#"{"version": 1, "stages": [{"name": "history", "command": ["true"]}]}"#, "a folder the engine uses"),
        (#"{"version": 1, "stages": [{"name": "intake"}, {"name": "x", "command": "sh -c 'rm -rf /'"}]}"#, "$.stages[1].command: must be an argument array"),
        (#"{"version": 1, "stages": [{"name": "intake"}, {"name": "x"}]}"#, "no built-in stage is named \"x\""),
        (#"{"version": 1, "stages": [{"name": "intake", "inputs": ["../etc/passwd"]}]}"#, "is not a plain file name"),
        (#"{"version": 1, "paths": {"inbox": "../outside"}, "stages": [{"name": "intake"}]}"#, "$.paths.inbox: must be a folder inside the tree"),
        (#"{"version": 1, "stages": [{"name": "intake", "timeout": 3}]}"#, "$.stages[0].timeout: unknown key"),
        (#"[1, 2]"#, "$: must be an object"),
        (#"{"version": 1,"#, "$: not valid JSON"),
    ])
    func eachProblemIsNamedByItsPath(text: String, expected: String) {
        let found = problems(text)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func aCycleIsNamedByItsStagesInTheDirectionDataFlows() {
        let found = problems(#"""
            {"version": 1, "stages": [{"name": "intake"},
              {"name": "a", "needs": ["intake", "c"], "command": ["true"]},
              {"name": "b", "needs": ["a"], "command": ["true"]},
              {"name": "c", "needs": ["b"], "command": ["true"]}]}
            """#)
        #expect(found == ["$.stages: cycle: a → b → c → a"])
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let found = problems(#"{"version": 1, "extra": true, "stages": [{"name": "intake", "needs": ["nope"], "odd": 1}]}"#)
        #expect(found.count == 3, "\(found)")
    }
}
