import Foundation
import OnboardEngine
import Testing

@Suite("Several processes, kills and signals: locks, crash recovery, watch")
struct ProcessSafetyTests {
    /// intake → slow → after, where `slow` sleeps so other processes and signals meet it mid-run.
    static func slowPipeline(sleep: String) -> [String: JSONValue] {
        [
            "stages": [
                ["name": "intake", "needs": []],
                CommandPipelines.stage("slow", needs: ["intake"], extra: "sleep \(sleep)"),
                CommandPipelines.stage("after", needs: ["slow"], filter: "tr a-z A-Z"),
            ]
        ]
    }

    static func addJobs(_ tree: TestTree, count: Int) throws {
        for index in 0..<count { try tree.request("r\(index).json", TestTree.sampleRequest(client: "client-\(index)")) }
    }

    @Test func twoConcurrentRunsDoEachStageOnce() throws {
        let tree = try TestTree(pipeline: Self.slowPipeline(sleep: "0.2"))
        try Self.addJobs(tree, count: 6)
        let first = try tree.start(["run", "--jobs", "2"], environment: tree.environment)
        let second = try tree.start(["run", "--jobs", "2"], environment: tree.environment)
        let results = [first.finish(), second.finish()]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        // Whatever one process skipped as busy, a later pass finishes.
        #expect(try tree.run().status == 0)

        let runs = tree.stageRuns
        #expect(runs.count == 12, "6 jobs × 2 command stages, each exactly once: \(runs)")
        #expect(Set(runs).count == runs.count)
        #expect(tree.jobIDs().count == 6, "the inbox was read once: no job made twice")
        for job in tree.jobIDs() { #expect(try tree.json("outbox/\(job)/job.json")["status"] == "completed") }
    }

    @Test func statusShowsTheStageAnotherProcessIsRunning() throws {
        let tree = try TestTree(pipeline: Self.slowPipeline(sleep: "3"))
        try Self.addJobs(tree, count: 1)
        let running = try tree.start(["run"], environment: tree.environment)
        let seen = try eventually {
            guard let job = tree.jobIDs().first else { return false }
            return try tree.stages(job)["slow"] == "running"
        }
        #expect(seen, "status reports the stage in hand as running")
        let entry = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(entry["status"] == "running")
        running.signal(SIGKILL)
        _ = running.finish()
        let job = try #require(tree.jobIDs().first)
        #expect(try tree.stages(job)["slow"] == "ready", "a killed process's stage is not shown as running")
    }

    @Test func sigkillAtAnyMomentLosesNothingAndTheNextRunFinishes() throws {
        // The reference: the same jobs run without interruption.
        let reference = try TestTree(pipeline: Self.slowPipeline(sleep: "0.05"))
        try Self.addJobs(reference, count: 4)
        #expect(try reference.run().status == 0)

        for delay in [0.15, 0.35, 0.6, 0.9] {
            let tree = try TestTree(pipeline: Self.slowPipeline(sleep: "0.05"))
            try Self.addJobs(tree, count: 4)
            let running = try tree.start(["run"], environment: tree.environment)
            usleep(UInt32(delay * 1_000_000))
            running.signal(SIGKILL)
            _ = running.finish()
            if delay == 0.15 { #expect(tree.stageRuns.count < 8, "the kill came before the work was done") }

            let output = try tree.run()
            #expect(output.status == 0, "after a kill at \(delay) s: \(output.stderr)")
            #expect(tree.leftovers().isEmpty, "after a kill at \(delay) s: \(tree.leftovers())")
            #expect(tree.jobIDs() == reference.jobIDs())
            for job in tree.jobIDs() {
                for stage in ["intake/request.json", "slow/out.txt", "after/out.txt"] {
                    #expect(tree.read("outbox/\(job)/\(stage)") == reference.read("outbox/\(job)/\(stage)"), "\(job) \(stage)")
                }
                #expect(try tree.stages(job).values.allSatisfy { $0 == "done" })
            }
        }
    }

    @Test func anInterruptedCommitIsFinishedByTheNextRun() throws {
        let tree = try TestTree(pipeline: Self.slowPipeline(sleep: "0"))
        try Self.addJobs(tree, count: 1)
        #expect(try tree.run().status == 0)
        let job = try #require(tree.jobIDs().first)
        // Stage a new version of `after` and record the intent, as a process killed right after
        // writing its intent would leave it.
        let staged = "outbox/\(job)/.staging/after-999-1"
        try tree.write("\(staged)/out.txt", "NEW\n")
        let hash = Digest.sha256("NEW\n")
        var stamp = try tree.json("outbox/\(job)/after/stamp.json").objectValue!
        stamp["outputs"] = ["after/out.txt": .string(hash)]
        try tree.write("\(staged)/stamp.json", String(decoding: CanonicalJSON.data(.object(stamp)), as: UTF8.self))
        try tree.write("outbox/\(job)/.commit.json", "{\"stage\": \"after\", \"staged\": \".staging/after-999-1\", \"history\": \"history/after/1\"}")

        #expect(try tree.run().status == 0)
        #expect(tree.read("outbox/\(job)/after/out.txt") == "NEW\n", "the commit was rolled forward")
        #expect(tree.exists("outbox/\(job)/history/after/1/out.txt"), "the previous outputs went to history")
        #expect(tree.leftovers().isEmpty)
        #expect(try tree.stages(job)["after"] == "done", "not mistaken for a hand edit")
    }

    @Test func watchTakesNewRequestsAndStopsCleanlyOnSIGTERM() throws {
        var pipeline = Self.slowPipeline(sleep: "0")
        var settings = try TestTree().json("pipeline.json")["settings"]!.objectValue!
        settings["watch_poll_seconds"] = .double(0.1)
        pipeline["settings"] = .object(settings)
        let tree = try TestTree(pipeline: pipeline)
        let watch = try tree.start(["watch"], environment: tree.environment)
        try tree.write("inbox/late.json.part", String(decoding: CanonicalJSON.data(.object(TestTree.sampleRequest())), as: UTF8.self))
        try FileManager.default.moveItem(at: tree.url("inbox/late.json.part"), to: tree.url("inbox/late.json"))

        let finished = try eventually {
            guard let job = tree.jobIDs().first else { return false }
            return (try? tree.json("outbox/\(job)/job.json")["status"]) == "completed"
        }
        #expect(finished)
        watch.signal(SIGTERM)
        let output = watch.finish()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("stopping"))
        #expect(tree.leftovers().isEmpty)
    }

    @Test func aPhaseThatRunsOutOfTimeFailsItsStage() throws {
        var settings = try TestTree().json("pipeline.json")["settings"]!.objectValue!
        settings["icp_timeout_seconds"] = 1
        let tree = try TestTree(pipeline: [
            "settings": .object(settings),
            "stages": [
                ["name": "intake", "needs": []],
                // `scrape` belongs to the ICP extraction phase, whose budget is 1 s here.
                CommandPipelines.stage("scrape", needs: ["intake"], extra: "sleep 30"),
            ],
        ])
        try tree.request("a.json", TestTree.sampleRequest())
        let output = try tree.run()
        #expect(output.status == 1)
        let job = try #require(tree.jobIDs().first)
        let error = try tree.json("outbox/\(job)/scrape/error.json")
        #expect(error["error"]?.stringValue?.contains("time limit") == true, "\(error)")
        #expect(try tree.stages(job)["scrape"] == "failed")
    }
}
