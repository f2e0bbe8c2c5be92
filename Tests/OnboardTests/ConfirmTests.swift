import Foundation
import LoopbackServer
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("icp, enrich, apply and confirm on a sample site")
struct ConfirmTests {
    static let now = "2026-11-25T09:30:00Z"

    /// A tree running intake to confirm against the harbor-dental sample site, run once.
    static func extracted() throws -> (TestTree, String, LoopbackServer) {
        let server = try ScrapeParseTests.serve(ScrapeParseTests.samples.appendingPathComponent("harbor-dental"))
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var fetch = defaults["fetch"]!.objectValue!
        fetch["allow_hosts"] = [.string("127.0.0.1:\(server.port)")]
        let stages = defaults["stages"]!.arrayValue!.prefix(7)
        let tree = try TestTree(pipeline: ["fetch": .object(fetch), "stages": .array(Array(stages))])
        var request = TestTree.sampleRequest()
        request["website_url"] = .string(server.baseURL + "/")
        try tree.request("a.json", request)
        let output = try tree.onboard(["run"], environment: ["ONBOARD_NOW": now])
        #expect(output.status == 0, "\(output.stderr)")
        return (tree, try #require(tree.jobIDs().first), server)
    }

    @Test func everyItemCarriesAQuoteFoundOnThePageItNames() throws {
        let (tree, job, _) = try Self.extracted()
        let site = try JSONDecoder().decode(SiteRecord.self, from: Data(contentsOf: tree.url("outbox/\(job)/parse/site.json")))
        let icp = try JSONDecoder().decode(ICPDocument.self, from: Data(contentsOf: tree.url("outbox/\(job)/icp/icp.json")))
        let check = EvidenceCheck(site: site)
        let items = [icp.companyDescription, icp.valueProposition].compactMap { $0 } + icp.servicesOffered + icp.icpIndustries
            + icp.icpTitles + icp.icpCompanySizes + icp.icpLocations + icp.icpPainPoints
        #expect(items.count >= 8)
        for item in items {
            #expect(!item.evidence.isEmpty, "\(item.value) has evidence")
            for evidence in item.evidence { #expect(check.holds(evidence), "\(item.value): \(evidence.quote)") }
            #expect((0...100).contains(item.confidence))
        }
        #expect(icp.icpIndustries.contains { $0.value.lowercased().contains("dent") })
        #expect(icp.icpLocations.contains { $0.value == "Australia" })

        let confidence = try tree.json("outbox/\(job)/enrich/confidence.json")
        #expect((confidence["score"]?.intValue ?? 0) > 0)
        #expect(try tree.json("outbox/\(job)/enrich/cost.json")["total_usd"] == 0)
        #expect((try tree.json("outbox/\(job)/enrich/intelligence.json")["proof_points"]?.arrayValue?.count ?? 0) > 0)
    }

    @Test func applyWritesTheClientRecordAndConfirmWaitsForAPerson() throws {
        let (tree, job, _) = try Self.extracted()
        let entry = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(entry["status"] == "waiting")
        #expect(entry["waiting_for"]?["confirm"]?.stringValue?.contains("onboard confirm \(job)") == true)
        #expect(try tree.json("outbox/\(job)/apply/client.json")["confirmed"] == false)
        #expect(tree.read("outbox/\(job)/apply/client.json")?.contains("2026") == false, "no time inside the artifact")
        let record = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor-dental", "--json"]).stdout.utf8))
        #expect(record["icp_extracted_at"] == .string(Self.now))
        #expect(record["icp_confirmed_at"] == .null)
        #expect(record["job_id"] == .string(job))
        #expect(record["onboarding_status"] == "waiting", "the client record follows job.json")
    }

    @Test func confirmingWithoutEditsKeepsTheICPAndRecordsWhen() throws {
        let (tree, job, _) = try Self.extracted()
        let confirm = try tree.onboard(["confirm", job, "--by", "Dana"], environment: ["ONBOARD_NOW": "2026-11-25T10:00:00Z"])
        #expect(confirm.status == 0, "\(confirm.stderr)")
        #expect(try tree.json("outbox/\(job)/inputs/confirm.json")["confirmed_by"] == "Dana")
        #expect(try tree.onboard(["run"], environment: ["ONBOARD_NOW": "2026-11-25T11:00:00Z"]).status == 0)
        let confirmed = try tree.json("outbox/\(job)/confirm/icp.json")
        #expect(confirmed["icp_confirmed_at"] == "2026-11-25T10:00:00Z", "the time comes from the confirmation, not the clock")
        #expect(confirmed["icp_industries"] == (try tree.json("outbox/\(job)/apply/client.json")["icp"]?["icp_industries"]))
        let record = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor-dental", "--json"]).stdout.utf8))
        #expect(record["icp_confirmed_at"] == "2026-11-25T10:00:00Z")
        #expect(record["confirmed_by"] == "Dana")
        #expect(try tree.json("outbox/\(job)/job.json")["status"] == "completed")
        #expect(record["onboarding_status"] == "completed", "the client record follows job.json")
    }

    @Test func editsReplaceWholeFieldsAndBadOnesAreRefusedNamingTheField() throws {
        let (tree, job, _) = try Self.extracted()
        try tree.write("bad-type.json", #"{"icp_titles": "Practice Owner"}"#)
        try tree.write("bad-field.json", #"{"budget": 100}"#)
        try tree.write("bad-item.json", #"{"icp_titles": [{"value": "Owner", "confidence": 140}]}"#)
        for (file, words) in [("bad-type.json", "icp_titles: must be a list"), ("bad-field.json", "budget: is not an ICP field"),
                              ("bad-item.json", "icp_titles[0].confidence")] {
            let output = try tree.onboard(["confirm", job, "--edit", tree.url(file).path])
            #expect(output.status == 1)
            #expect(output.stderr.contains(words), "\(output.stderr)")
            #expect(!tree.exists("outbox/\(job)/inputs/confirm.json"), "nothing written for a bad edit")
        }
        try tree.write("good.json", #"{"icp_titles": ["Practice Owner", {"value": "Practice Manager", "confidence": 80}]}"#)
        #expect(try tree.onboard(["confirm", job, "--edit", tree.url("good.json").path]).status == 0)
        #expect(try tree.run().status == 0)
        let titles = try tree.json("outbox/\(job)/confirm/icp.json")["icp_titles"]?.arrayValue ?? []
        #expect(titles.map { $0["value"] } == ["Practice Owner", "Practice Manager"])
        #expect(titles.first?["confidence"] == 100)
    }

    @Test func anICPWithoutIndustriesCannotBeConfirmed() throws {
        let (tree, job, _) = try Self.extracted()
        try tree.write("empty.json", #"{"icp_industries": []}"#)
        #expect(try tree.onboard(["confirm", job, "--edit", tree.url("empty.json").path]).status == 0)
        #expect(try tree.run().status == 1)
        let error = try tree.json("outbox/\(job)/confirm/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("without icp_industries"), "\(error)")
        #expect(!tree.exists("outbox/\(job)/confirm/icp.json"))
    }
}
