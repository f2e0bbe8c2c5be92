import Foundation
import LoopbackServer
import OnboardEngine
import Testing

/// The whole default pipeline with nothing stubbed: a sample site served on 127.0.0.1, the sample
/// pool, a generated lead database, a reviewer's confirmation and a payment, every built-in stage.
@Suite("End to end: from an inbox request to a completed job")
struct EndToEndTests {
    static let now = "2026-11-25T09:30:00Z"

    static func generatedLeads(_ count: Int, into tree: TestTree, name: String = "sample-leads.csv", seed: [String] = []) throws -> URL {
        let target = tree.url(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestTree.packageRoot.appendingPathComponent("scripts/sample-leads").path, "\(count)", "-o", target.path] + seed
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return target
    }

    @Test func theSampleLeadGeneratorGivesTheSameBytesForTheSameSeed() throws {
        let tree = try TestTree()
        let first = try Data(contentsOf: Self.generatedLeads(500, into: tree, name: "a.csv", seed: ["--seed", "7"]))
        let again = try Data(contentsOf: Self.generatedLeads(500, into: tree, name: "b.csv", seed: ["--seed", "7"]))
        let other = try Data(contentsOf: Self.generatedLeads(500, into: tree, name: "c.csv", seed: ["--seed", "8"]))
        #expect(first == again)
        #expect(first != other, "the seed changes the people")
        #expect(String(decoding: first, as: UTF8.self).split(separator: "\n").count == 501, "a header and 500 rows")
    }

    @Test func aRequestBecomesACompletedJobWithResourcesCampaignsAndLeads() throws {
        let server = try ScrapeParseTests.serve(ScrapeParseTests.samples.appendingPathComponent("harbor-dental"))
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var fetch = defaults["fetch"]!.objectValue!
        fetch["allow_hosts"] = [.string("127.0.0.1:\(server.port)")]
        let tree = try TestTree(pipeline: ["fetch": .object(fetch)])
        let environment = ["ONBOARD_NOW": Self.now]
        for kind in ["domains", "phones"] {
            let file = TestTree.packageRoot.appendingPathComponent("Samples/pool/\(kind).csv").path
            #expect(try tree.onboard(["pool", "import", file, "--kind", kind]).status == 0)
        }
        let leads = try Self.generatedLeads(6000, into: tree)
        #expect(try tree.onboard(["leads", "import", leads.path]).status == 0)

        var request = TestTree.sampleRequest(tier: "ignition")
        request["website_url"] = .string(server.baseURL + "/")
        try tree.request("harbor.json", request)
        #expect(try tree.onboard(["run"], environment: environment).status == 0, "waiting for people is not a failure")
        let job = try #require(tree.jobIDs().first)
        let waiting = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(waiting["status"] == "waiting")
        #expect(waiting["stages"]?["confirm"] == "waiting" && waiting["stages"]?["allocate"] == "waiting")
        #expect(!tree.exists("outbox/\(job)/report.html"), "no report before the job is complete")

        #expect(try tree.onboard(["confirm", job, "--by", "Dana"], environment: environment).status == 0)
        #expect(try tree.onboard(["pay", job, "--manual", "--by", "Billing"], environment: environment).status == 0)
        let finish = try tree.onboard(["run"], environment: environment)
        #expect(finish.status == 0, "\(finish.stderr)")

        let record = try tree.json("outbox/\(job)/job.json")
        #expect(record["status"] == "completed" && record["completed_steps"] == 12)
        let client = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor-dental", "--json"]).stdout.utf8))
        #expect(client["onboarding_status"] == "completed")

        let allocations = try tree.json("outbox/\(job)/allocate/allocations.json")
        #expect(allocations["email_domains"]?.arrayValue?.count == 3 && allocations["phones"]?.arrayValue?.count == 1)
        #expect(allocations["linkedin_seats"] == 4)

        let campaigns = try #require(tree.json("outbox/\(job)/campaigns/campaigns.json")["campaigns"]?.arrayValue)
        #expect(campaigns.count == 3, "ignition drafts three campaigns")
        #expect(campaigns.compactMap { $0["allocation_pct"]?.intValue }.reduce(0, +) == 100)
        #expect(campaigns.allSatisfy { $0["sequence"]?.arrayValue?.count == 5 && $0["status"] == "draft" })
        let ids = Set(campaigns.compactMap { $0["id"]?.stringValue })

        let sourced = try LeadFiles.leads(tree, job: job)
        #expect(!sourced.isEmpty && sourced.count <= 1250)
        #expect(sourced.allSatisfy { $0["Industry"]?.isEmpty == false && Int($0["score"] ?? "") != nil })
        let assignments = CSVRows.parse(try #require(tree.read("outbox/\(job)/assign/assignments.csv")))
        #expect(assignments.first == ["lead_id", "email", "campaign_id", "score", "reasons"])
        #expect(assignments.count - 1 == sourced.count, "every sourced lead is assigned once")
        #expect(assignments.dropFirst().allSatisfy { ids.contains($0[2]) })

        let summary = try tree.json("outbox/\(job)/complete/summary.json")
        #expect(summary["leads"]?["assigned"]?.intValue == Int64(sourced.count))
        let report = try #require(tree.read("outbox/\(job)/report.html"))
        #expect(report.contains(job) && report.contains("Harbor Dental"))

        // A second pass over the finished job changes nothing.
        let before = try tree.snapshot()
        #expect(try tree.onboard(["run"], environment: environment).status == 0)
        #expect(try tree.snapshot() == before)
    }
}
