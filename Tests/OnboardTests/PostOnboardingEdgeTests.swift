import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("post-onboarding stages on awkward inputs")
struct PostOnboardingEdgeTests {
    static let job = "harbor-job"

    func write(_ tree: TestTree, _ relative: String, _ value: JSONValue) throws {
        try tree.write(relative, String(decoding: CanonicalJSON.data(value), as: UTF8.self))
    }

    @Test func awkwardLeadsFilesAreReadAndBadRowsReportedByLine() throws {
        let tree = try PostOnboardingFixtures.tree(job: Self.job)
        let rows = [
            "\u{FEFF}EMAIL,Lead_ID,Score,score_reasons,industry,TITLE,Company,First Name",
            "a@x.example,l1,80,r,Dentists,Practice Owner,\"Smile, \"\"Bright\"\" and\nCo\",Ann",
            "b@x.example,,70,r,Dentists,Practice Owner,Nobody,Bob",
            "c@x.example,l1,60,r,Dentists,Practice Owner,Again,Cat",
            "d@x.example,l2,not-a-number,r,Law Practice,Managing Partner,Firm,Dan",
            "",
        ]
        try tree.write("fixtures/leads/leads.csv", rows.joined(separator: "\r\n"))
        let run = try tree.onboard(["run"])
        #expect(run.status == 0, "\(run.stderr)")
        let sheet = try LeadSheet(data: Data(try #require(tree.read("outbox/\(Self.job)/assign/assignments.csv")).utf8), path: "a.csv")
        #expect(sheet.rows.map { sheet.value($0, "lead_id") } == ["l1", "l2"])
        #expect(sheet.rows.map { sheet.value($0, "email") } == ["a@x.example", "d@x.example"])
        let summary = try tree.json("outbox/\(Self.job)/assign/summary.json")
        #expect(summary["leads_read"] == 4)
        #expect(summary["assigned"] == 2)
        let unassigned = summary["unassigned"]?.arrayValue ?? []
        #expect(unassigned.map { $0["line"]?.intValue ?? 0 } == [4, 5], "the quoted line break counts as a line")
        #expect(unassigned.map { $0["reason"]?.stringValue ?? "" } == ["no lead_id", "lead_id repeats an earlier row"])
        let warnings = try tree.json("outbox/\(Self.job)/assign/stamp.json")["warnings"]?.arrayValue ?? []
        #expect(warnings.count == 1)
        let csv = try tree.onboard(["export", Self.job, "--format", "csv"])
        let exported = try LeadSheet(data: Data(csv.stdout.utf8), path: "e.csv")
        #expect(exported.rows.first.map { exported.value($0, "company") } == "Smile, \"Bright\" and\nCo")
    }

    @Test func noLeadsAtAllStillCompletesWithEmptyCampaigns() throws {
        let tree = try PostOnboardingFixtures.tree(job: Self.job)
        try tree.write("fixtures/leads/leads.csv", PostOnboardingFixtures.leadColumns.joined(separator: ",") + "\n")
        #expect(try tree.onboard(["run"]).status == 0)
        #expect(tree.read("outbox/\(Self.job)/assign/assignments.csv") == "lead_id,email,campaign_id,score,reasons\n")
        let summary = try tree.json("outbox/\(Self.job)/assign/summary.json")
        #expect(summary["assigned"] == 0)
        #expect(summary["campaigns"]?.arrayValue?.map { $0["target"]?.intValue ?? -1 } == [0, 0, 0, 0])
        #expect(try tree.json("outbox/\(Self.job)/complete/summary.json")["leads"]?["assigned"] == 0)
        #expect(try tree.json("outbox/\(Self.job)/job.json")["status"] == "completed")
        let smartlead = try JSONValue.parse(Data(try tree.onboard(["export", Self.job, "--format", "smartlead"]).stdout.utf8))
        #expect(smartlead["campaigns"]?.arrayValue?.allSatisfy { $0["lead_batches"] == [] } == true)
    }

    @Test func aHandEditedShareIsKeptAndAssignFollowsIt() throws {
        let tree = try PostOnboardingFixtures.tree(job: Self.job)
        #expect(try tree.onboard(["run"]).status == 0)
        let path = "outbox/\(Self.job)/campaigns/campaigns.json"
        var document = try tree.json(path).objectValue!
        var campaigns = document["campaigns"]!.arrayValue!
        for index in campaigns.indices {
            var campaign = campaigns[index].objectValue!
            campaign["allocation_pct"] = index == 0 ? 70 : index == 3 ? 30 : 0
            campaigns[index] = .object(campaign)
        }
        document["campaigns"] = .array(campaigns)
        try write(tree, path, .object(document))
        let edited = tree.read(path)
        #expect(try tree.onboard(["run"]).status == 0)
        #expect(try tree.stages(Self.job)["campaigns"] == "modified")
        #expect(tree.read(path) == edited, "a hand edit is never overwritten")
        let summary = try tree.json("outbox/\(Self.job)/assign/summary.json")
        #expect(summary["campaigns"]?.arrayValue?.map { $0["target"]?.intValue ?? -1 } == [28, 0, 0, 12])
        #expect(summary["assigned"] == 40)
        let ids = Set(campaigns.compactMap { $0["id"]?.stringValue })
        let sheet = try LeadSheet(data: Data(try #require(tree.read("outbox/\(Self.job)/assign/assignments.csv")).utf8), path: "a.csv")
        #expect(sheet.rows.allSatisfy { ids.contains(sheet.value($0, "campaign_id")) })
    }

    @Test func aThinICPStillGivesFiveDistinctCampaigns() throws {
        let tree = try PostOnboardingFixtures.tree(tier: "dominance", job: Self.job)
        try write(tree, "fixtures/confirm/icp.json", [
            "icp_industries": [PostOnboardingFixtures.item("Dentists")], "icp_titles": [PostOnboardingFixtures.item("Practice Owner")],
            "services_offered": [], "icp_pain_points": [], "icp_locations": [], "icp_company_sizes": [],
            "company_description": .null, "value_proposition": .null,
        ])
        try write(tree, "fixtures/enrich/intelligence.json", ["proof_points": [], "testimonials": []])
        #expect(try tree.onboard(["run"]).status == 0)
        let campaigns = try tree.json("outbox/\(Self.job)/campaigns/campaigns.json")["campaigns"]?.arrayValue ?? []
        #expect(campaigns.count == 5)
        #expect(Set(campaigns.compactMap { $0["name"]?.stringValue }).count == 5)
        #expect(Set(campaigns.compactMap { $0["segment"]?["approach"]?.stringValue }).count == 5, "the approach tells them apart")
        for campaign in campaigns {
            for step in campaign["sequence"]?.arrayValue ?? [] {
                let body = step["body"]?.stringValue ?? ""
                #expect(!body.contains("[[") && !body.contains("\n\n\n") && !body.hasSuffix("\n"))
                #expect(!body.contains(" ."), "no gap left by an empty slot")
            }
        }
    }

    @Test func anICPWithoutTitlesFailsTheStageNamingTheField() throws {
        let tree = try PostOnboardingFixtures.tree(job: Self.job)
        try write(tree, "fixtures/confirm/icp.json", ["icp_industries": [PostOnboardingFixtures.item("Dentists")], "icp_titles": []])
        #expect(try tree.onboard(["run"]).status == 1)
        #expect(try tree.stages(Self.job)["campaigns"] == "failed")
        let error = try tree.json("outbox/\(Self.job)/campaigns/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("confirm/icp.json") && error.contains("icp_titles"), "\(error)")
        #expect(!tree.exists("outbox/\(Self.job)/campaigns/campaigns.json"))
    }
}
