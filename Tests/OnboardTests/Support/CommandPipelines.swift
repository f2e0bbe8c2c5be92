import Foundation
import OnboardEngine

/// Pipelines of small shell command stages for the engine tests: each stage writes `out.txt` from
/// its inputs and appends "JOB STAGE" to the file named by $ONBOARD_TEST_LOG, so a test can count
/// exactly which stage ran how often.
enum CommandPipelines {
    /// `cat` of the inputs, transformed by `filter`.
    static func stage(_ name: String, needs: [String], filter: String = "cat", extra: String = "") -> JSONValue {
        let script = """
            \(extra)
            cat $ONBOARD_INPUTS | \(filter) > "$ONBOARD_OUT/out.txt" || exit 1
            echo "$ONBOARD_JOB \(name)" >> "$ONBOARD_TEST_LOG"
            """
        return .object([
            "name": .string(name), "needs": .array(needs.map(JSONValue.string)),
            "command": ["/bin/sh", "-c", .string(script)],
        ])
    }

    /// intake → a → b (upper-cased) → c, and x beside a.
    static var chain: [String: JSONValue] {
        [
            "stages": [
                ["name": "intake", "needs": []],
                stage("a", needs: ["intake"]),
                stage("b", needs: ["a"], filter: "tr a-z A-Z"),
                stage("c", needs: ["b"]),
                stage("x", needs: ["intake"], filter: "wc -c"),
            ]
        ]
    }
}

extension TestTree {
    var logURL: URL { url("stage-runs.log") }

    var environment: [String: String] { ["ONBOARD_TEST_LOG": logURL.path] }

    /// "JOB STAGE" lines, one per stage run.
    var stageRuns: [String] {
        (read("stage-runs.log") ?? "").split(separator: "\n").map(String.init)
    }

    func runs(_ stage: String) -> Int { stageRuns.filter { $0.hasSuffix(" \(stage)") }.count }

    @discardableResult
    func run(_ arguments: [String] = []) throws -> Output {
        try onboard(["run"] + arguments, environment: environment)
    }
}
