import Foundation
import OnboardEngine
import Testing

@Suite("validate, graph, init, status and the exit codes")
struct CommandLineTests {
    @Test func theShippedPipelineIsValidAndEqualsTheBundledDefault() throws {
        let tree = try TestTree()
        let output = try tree.onboard(["validate"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("valid (12 stages)"))
        let bundled = TestTree.packageRoot.appendingPathComponent("Sources/OnboardStages/Resources/pipeline.json")
        #expect(try Data(contentsOf: bundled) == Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")),
                "the repository's pipeline.json is the default the program ships")
        let schema = TestTree.packageRoot.appendingPathComponent("Sources/OnboardStages/Resources/pipeline.schema.json")
        #expect(try Data(contentsOf: schema) == Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.schema.json")))
    }

    @Test func validateNamesACycleByItsStagesAndExitsTwo() throws {
        let tree = try TestTree(pipeline: [
            "stages": [
                ["name": "intake", "needs": []],
                ["name": "a", "needs": ["intake", "c"], "command": ["true"]],
                ["name": "b", "needs": ["a"], "command": ["true"]],
                ["name": "c", "needs": ["b"], "command": ["true"]],
            ]
        ])
        let output = try tree.onboard(["validate"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("$.stages: cycle: a → b → c → a"), "\(output.stderr)")
        #expect(try tree.onboard(["run"]).status == 2, "run refuses an invalid pipeline.json too")
    }

    @Test func validateReportsEveryProblemByItsJSONPath() throws {
        let tree = try TestTree()
        var document = try tree.json("pipeline.json").objectValue!
        var settings = document["settings"]!.objectValue!
        settings["buffer_alert_threshold"] = .double(1.5)
        settings["icp_timeout_seconds"] = .double(2.5)
        settings["surprise"] = true
        document["settings"] = .object(settings)
        var fetch = document["fetch"]!.objectValue!
        fetch["browser_command"] = "chromium --headless {url}"
        fetch["allow_hosts"] = ["127.0.0.1"]
        document["fetch"] = .object(fetch)
        document["extra"] = 1
        var stages = document["stages"]!.arrayValue!
        stages.append(["name": "scrape", "needs": ["intake"]])
        stages.append(["name": "report", "needs": ["nowhere"], "command": ["true"]])
        document["stages"] = .array(stages)
        try tree.writePipeline(.object(document))

        let output = try tree.onboard(["validate", "--json"])
        #expect(output.status == 2)
        let result = try JSONValue.parse(Data(output.stdout.utf8))
        let paths = Set(result["problems"]!.arrayValue!.compactMap { $0["path"]?.stringValue })
        for expected in [
            "$.settings.buffer_alert_threshold", "$.settings.icp_timeout_seconds", "$.settings.surprise",
            "$.fetch.browser_command", "$.fetch.allow_hosts[0]", "$.extra", "$.stages[12].name", "$.stages[13].needs[0]",
        ] {
            #expect(paths.contains(expected), "missing \(expected) in \(paths)")
        }
    }

    @Test func aConfiguredProviderWithoutItsKeyFailsValidate() throws {
        let tree = try TestTree()
        var document = try tree.json("pipeline.json").objectValue!
        var providers = document["providers"]!.objectValue!
        providers["icp"] = "anthropic"
        document["providers"] = .object(providers)
        try tree.writePipeline(.object(document))
        let output = try tree.onboard(["validate"], environment: ["ANTHROPIC_API_KEY": ""])
        #expect(output.status == 2)
        #expect(output.stderr.contains("ANTHROPIC_API_KEY"))
        #expect(try tree.onboard(["validate"], environment: ["ANTHROPIC_API_KEY": "sk-test"]).status == 0)
    }

    @Test func graphDrawsEveryStageAndEdge() throws {
        let tree = try TestTree()
        let dot = try tree.onboard(["graph"])
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("digraph pipeline {"))
        #expect(dot.stdout.contains("\"enrich\" -> \"apply\";"))
        #expect(dot.stdout.contains("\"inputs/payment.json\" -> \"allocate\""))
        let mermaid = try tree.onboard(["graph", "--format", "mermaid"])
        #expect(mermaid.stdout.hasPrefix("flowchart LR"))
        #expect(mermaid.stdout.contains("assign --> complete"))
        #expect(mermaid.stdout.contains("allocate --> complete"))
    }

    @Test func initMakesATreeThatValidates() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-init-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let made = try RunningOnboard(arguments: ["init", "--root", root.path], environment: [:]).finish()
        #expect(made.status == 0, "\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("pipeline.schema.json").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("inbox").path))
        let again = try RunningOnboard(arguments: ["init", "--root", root.path], environment: [:]).finish()
        #expect(again.status == 1, "init never overwrites a tree's pipeline.json")
        let valid = try RunningOnboard(arguments: ["validate"], environment: ["ONBOARD_ROOT": root.path]).finish()
        #expect(valid.status == 0, "ONBOARD_ROOT points commands at the tree")
    }

    @Test func statusSaysWhatAJobWaitsFor() throws {
        let tree = try TestTree(pipeline: [
            "stages": [
                ["name": "intake", "needs": []],
                ["name": "confirm", "needs": ["intake"], "inputs": ["confirm.json"],
                 "command": ["/bin/sh", "-c", "cat $ONBOARD_INPUTS > \"$ONBOARD_OUT/out.txt\""]],
            ]
        ])
        try tree.request("a.json", TestTree.sampleRequest())
        #expect(try tree.run().status == 0, "a job waiting for a person is not a failure")
        let job = try #require(tree.jobIDs().first)
        let entry = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(entry["status"] == "waiting")
        #expect(entry["stages"]?["confirm"] == "waiting")
        #expect(entry["waiting_for"]?["confirm"]?.stringValue?.contains("onboard confirm \(job)") == true)
        #expect(try tree.json("outbox/\(job)/job.json")["status"] == "waiting")
        let table = try tree.onboard(["status"])
        #expect(table.stdout.contains(job) && table.stdout.contains("waiting"))

        try tree.write("outbox/\(job)/inputs/confirm.json", "{\"confirmed_by\": \"reviewer\"}")
        #expect(try tree.run().status == 0)
        #expect(try tree.json("outbox/\(job)/job.json")["status"] == "completed")
        #expect(try tree.json("outbox/\(job)/confirm/stamp.json")["inputs"]?["inputs/confirm.json"] != nil)
    }

    @Test func statusIsColouredOnlyOnATerminalAndNeverWithNoColor() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        try tree.request("a.json", TestTree.sampleRequest())
        #expect(try tree.run().status == 0)
        let escape = "\u{1B}["
        #expect(try tree.onboard(["status"]).stdout.contains("completed"))
        #expect(try !tree.onboard(["status"]).stdout.contains(escape), "a pipe gets plain text")
        let coloured = try Self.onTerminal(["status"], tree: tree, ["TERM": "xterm", "NO_COLOR": ""])
        #expect(coloured.contains("\(escape)32mcompleted"), "\(coloured)")
        let plain = try Self.onTerminal(["status"], tree: tree, ["TERM": "xterm", "NO_COLOR": "1"])
        #expect(plain.contains("completed") && !plain.contains(escape), "\(plain)")
    }

    @Test func runShowsProgressOnATerminalAndOneLinePerStageInALog() throws {
        let tree = try TestTree(pipeline: [
            "stages": [["name": "intake", "needs": []], ["name": "copy", "needs": ["intake"], "command": ["/bin/sh", "-c", "cat $ONBOARD_INPUTS > \"$ONBOARD_OUT/out.txt\""]]]
        ])
        for index in 0..<3 { try tree.request("r\(index).json", TestTree.sampleRequest(client: "client-\(index)")) }
        let terminal = try Self.onTerminal(["run"], tree: tree, ["TERM": "xterm"])
        #expect(terminal.contains("[1/3 jobs]") && terminal.contains("[2/3 jobs]"), "\(terminal)")
        #expect(terminal.components(separatedBy: "copy: done").count == 4, "every stage still has its line")
        try tree.request("r3.json", TestTree.sampleRequest(client: "client-3"))
        try tree.request("r4.json", TestTree.sampleRequest(client: "client-4"))
        let log = try tree.onboard(["run"])
        #expect(log.status == 0)
        #expect(!log.stderr.contains("jobs]") && !log.stderr.contains("\u{1B}"), "a log gets no redrawn line: \(log.stderr)")
        #expect(log.stderr.components(separatedBy: "copy: done").count == 3)
    }

    /// Runs onboard under script(1), which gives it a pseudo-terminal as a person's shell would;
    /// returns what the terminal showed (stdout and stderr together).
    static func onTerminal(_ arguments: [String], tree: TestTree, _ environment: [String: String]) throws -> String {
        let command = ([TestTree.binary.path] + arguments + ["--root", tree.root.path]).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func badUsageExitsTwoWithAMessageAndHelpExitsZero() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        for arguments in [["run", "--jobs", "0"], ["no-such-command"], ["rerun"], ["status", "--no-such-flag"],
                          ["pool", "import", "x.csv", "--kind", "cars"]] {
            let output = try tree.onboard(arguments)
            #expect(output.status == 2, "\(arguments): \(output.status) \(output.stderr)")
            #expect(!output.stderr.isEmpty, "\(arguments) says what is wrong")
        }
        let help = try tree.onboard(["run", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--jobs"))
    }

    @Test func unknownJobsAndStagesAreUsageErrors() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        #expect(try tree.onboard(["rerun", "nope", "intake"]).status == 2)
        #expect(try tree.onboard(["status", "../etc"]).status == 2)
        try tree.request("a.json", TestTree.sampleRequest())
        try tree.run()
        let job = try #require(tree.jobIDs().first)
        let output = try tree.onboard(["rerun", job, "nothing"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no stage \"nothing\""))
    }
}
