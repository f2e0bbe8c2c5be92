import Foundation
import OnboardEngine
import Testing

@Suite("Staleness by content: no-op passes, hand edits, early cutoff, reruns")
struct StalenessTests {
    func completedChain() throws -> (TestTree, String) {
        let tree = try TestTree(pipeline: CommandPipelines.chain)
        try tree.request("a.json", TestTree.sampleRequest())
        let output = try tree.run()
        #expect(output.status == 0, "\(output.stderr)")
        let job = try #require(tree.jobIDs().first)
        #expect(try tree.stages(job).values.allSatisfy { $0 == "done" })
        return (tree, job)
    }

    @Test func aSecondRunChangesNothing() throws {
        let (tree, job) = try completedChain()
        #expect(tree.stageRuns.count == 4)
        let before = try tree.snapshot()
        let output = try tree.run()
        #expect(output.status == 0)
        #expect(output.stderr.contains("0 stages run"))
        #expect(output.stderr.contains("1 unchanged"), "the no-op pass takes the stat-only fast path")
        #expect(try tree.snapshot() == before, "no file was written or touched")
        #expect(tree.stageRuns.count == 4)
        #expect(try tree.json("outbox/\(job)/job.json")["status"] == "completed")
    }

    @Test func editingAnUpstreamArtifactMakesExactlyItsDownstreamStaleAndTheEditIsKept() throws {
        let (tree, job) = try completedChain()
        let edited = "hand-written content\n"
        try tree.write("outbox/\(job)/a/out.txt", edited)

        let states = try tree.stages(job)
        #expect(states["a"] == "modified")
        #expect(states["b"] == "stale")
        #expect(states["c"] == "pending", "c waits for b to run again")
        #expect(states["x"] == "done")
        #expect(states["intake"] == "done")

        #expect(try tree.run().status == 0)
        #expect(tree.read("outbox/\(job)/a/out.txt") == edited, "a hand edit is never overwritten by run")
        #expect(tree.read("outbox/\(job)/b/out.txt") == edited.uppercased())
        #expect(tree.read("outbox/\(job)/c/out.txt") == edited.uppercased())
        #expect(tree.runs("a") == 1 && tree.runs("b") == 2 && tree.runs("c") == 2 && tree.runs("x") == 1)
        #expect(try tree.stages(job)["a"] == "modified", "still reported as modified after the run")
    }

    @Test func aStageThatRerunsToTheSameBytesStopsTheWave() throws {
        let (tree, job) = try completedChain()
        // A new description changes a's settings (its entry) but not what it writes.
        var document = try tree.json("pipeline.json").objectValue!
        var stages = document["stages"]!.arrayValue!
        var a = stages[1].objectValue!
        a["description"] = "copies the request"
        stages[1] = .object(a)
        document["stages"] = .array(stages)
        try tree.writePipeline(.object(document))

        #expect(try tree.stages(job)["a"] == "stale")
        #expect(try tree.run().status == 0)
        #expect(tree.runs("a") == 2)
        #expect(tree.runs("b") == 1, "b's input bytes did not change, so b did not run")
        #expect(tree.runs("c") == 1)
        #expect(try tree.stages(job).values.allSatisfy { $0 == "done" })
    }

    @Test func rerunKeepsHistoryAndLeavesUnchangedDownstreamAlone() throws {
        let (tree, job) = try completedChain()
        let firstStamp = try #require(tree.read("outbox/\(job)/a/stamp.json"))

        let output = try tree.onboard(["rerun", job, "a"], environment: tree.environment)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(tree.runs("a") == 2 && tree.runs("b") == 1)
        #expect(tree.read("outbox/\(job)/history/a/1/stamp.json") == firstStamp)
        #expect(tree.exists("outbox/\(job)/history/a/1/out.txt"))
        #expect(try tree.stages(job)["b"] == "done", "same outputs: downstream stays up to date")

        let downstream = try tree.onboard(["rerun", job, "a", "--downstream"], environment: tree.environment)
        #expect(downstream.status == 0)
        #expect(tree.runs("a") == 3 && tree.runs("b") == 2 && tree.runs("c") == 2 && tree.runs("x") == 1)
        #expect(tree.exists("outbox/\(job)/history/a/2/out.txt"))
        #expect(tree.exists("outbox/\(job)/history/c/1/out.txt"))
    }

    @Test func rerunOfAHandEditedStageMovesTheEditToHistory() throws {
        let (tree, job) = try completedChain()
        try tree.write("outbox/\(job)/a/out.txt", "edited\n")
        #expect(try tree.onboard(["rerun", job, "a"], environment: tree.environment).status == 0)
        #expect(tree.read("outbox/\(job)/history/a/1/out.txt") == "edited\n")
        #expect(tree.read("outbox/\(job)/a/out.txt") != "edited\n")
        #expect(try tree.stages(job)["a"] == "done")
        #expect(try tree.stages(job)["b"] == "done", "b never ran on the edit and a's fresh output equals what b used")
    }

    @Test func deletingAnOutputMakesTheStageRunAgain() throws {
        let (tree, job) = try completedChain()
        try FileManager.default.removeItem(at: tree.url("outbox/\(job)/c/out.txt"))
        #expect(try tree.stages(job)["c"] == "stale")
        #expect(try tree.run().status == 0)
        #expect(tree.runs("c") == 2)
        #expect(tree.exists("outbox/\(job)/c/out.txt"))
    }

    @Test func dryRunSaysWhatWouldRunAndChangesNothing() throws {
        let (tree, job) = try completedChain()
        try tree.write("outbox/\(job)/a/out.txt", "edited\n")
        try tree.request("b.json", TestTree.sampleRequest(client: "other-client"))
        let before = try tree.snapshot()
        let output = try tree.run(["--dry-run"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("inbox/b.json: would be read"))
        #expect(output.stderr.contains("\(job) b: would run (inputs changed: a/out.txt)"))
        #expect(!output.stderr.contains("\(job) c: would run"))
        #expect(try tree.snapshot() == before)
        #expect(tree.runs("b") == 1)
    }

    @Test func aFailingJobDoesNotStopTheOthers() throws {
        let stages: JSONValue = [
            ["name": "intake", "needs": []],
            CommandPipelines.stage("a", needs: ["intake"], extra: "[ \"$ONBOARD_JOB\" = broken ] && { echo 'no such thing' >&2; exit 3; }"),
            CommandPipelines.stage("b", needs: ["a"]),
        ]
        let tree = try TestTree(pipeline: ["stages": stages])
        var broken = TestTree.sampleRequest(client: "broken-client")
        broken["request_id"] = "broken"
        try tree.request("1.json", broken)
        try tree.request("2.json", TestTree.sampleRequest(client: "fine-client"))
        let output = try tree.run()
        #expect(output.status == 1)
        let status = try tree.statusJSON()["jobs"]!.arrayValue!
        let failed = try #require(status.first { $0["id"] == "broken" })
        #expect(failed["status"] == "failed")
        #expect(failed["error"]?.stringValue?.contains("exited with status 3: no such thing") == true)
        let fine = try #require(status.first { $0["id"] != "broken" })
        #expect(fine["status"] == "completed")
        let error = try tree.json("outbox/broken/a/error.json")
        #expect(error["transient"] == false)
        #expect(try tree.json("outbox/broken/job.json")["error_message"]?.stringValue?.contains("no such thing") == true)

        // The same failure is not retried until something it depends on changes.
        #expect(try tree.run().status == 1)
        #expect(tree.runs("a") == 1)
    }

    @Test func aTransientFailureIsRetriedWithBackoff() throws {
        let stages: JSONValue = [
            ["name": "intake", "needs": []],
            CommandPipelines.stage("a", needs: ["intake"], extra: "[ -e \"$ONBOARD_JOB_DIR/../../tried\" ] || { touch \"$ONBOARD_JOB_DIR/../../tried\"; exit 75; }"),
        ]
        let tree = try TestTree(pipeline: ["stages": stages])
        try tree.request("1.json", TestTree.sampleRequest())
        let output = try tree.run()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("retrying in 1 s"))
        let job = try #require(tree.jobIDs().first)
        #expect(try tree.stages(job)["a"] == "done")
    }

    @Test func runWithAJobAdvancesOnlyThatJob() throws {
        let tree = try TestTree(pipeline: CommandPipelines.chain)
        var first = TestTree.sampleRequest(client: "first-client")
        first["request_id"] = "first"
        var second = TestTree.sampleRequest(client: "second-client")
        second["request_id"] = "second"
        try tree.request("1.json", first)
        try tree.request("2.json", second)
        #expect(try tree.run(["--job", "first"]).status == 0)
        #expect(try tree.stages("first").values.allSatisfy { $0 == "done" })
        #expect(try tree.stages("second")["intake"] == "ready", "the other job was read from the inbox but not advanced")
        #expect(tree.stageRuns.allSatisfy { $0.hasPrefix("first ") })
        #expect(try tree.run(["--job", "nobody"]).status == 2)
    }
}
