import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("campaigns, assign, complete and export through the onboard binary")
struct PostOnboardingTests {
    static let job = "harbor-job"

    static func completed(tier: String = "velocity", settings: [String: JSONValue] = [:]) throws -> TestTree {
        let tree = try PostOnboardingFixtures.tree(tier: tier, job: job, settings: settings)
        let output = try tree.onboard(["run"], environment: ["ONBOARD_NOW": "2026-11-25T11:00:00Z"])
        #expect(output.status == 0, "\(output.stderr)")
        return tree
    }

    static func campaigns(_ tree: TestTree) throws -> [JSONValue] {
        try tree.json("outbox/\(job)/campaigns/campaigns.json")["campaigns"]?.arrayValue ?? []
    }

    @Test(arguments: [("ignition", 3), ("velocity", 4), ("dominance", 5)])
    func draftsExactlyTheTiersCampaignSlots(tier: String, slots: Int) throws {
        let tree = try Self.completed(tier: tier)
        let campaigns = try Self.campaigns(tree)
        #expect(campaigns.count == slots)
        #expect(try tree.json("outbox/\(Self.job)/campaigns/suggestions.json")["suggestions"]?.arrayValue?.count == slots)
        #expect(Set(campaigns.compactMap { $0["name"]?.stringValue }).count == slots, "distinct names")
        #expect(campaigns.map { $0["allocation_pct"]?.intValue ?? -1 }.reduce(0, +) == 100)
        for campaign in campaigns {
            #expect(campaign["status"] == "draft")
            #expect(Set(campaign.objectValue!.keys) == ["id", "name", "segment", "status", "allocation_pct", "sequence"])
            let steps = campaign["sequence"]?.arrayValue ?? []
            #expect(steps.count == 5)
            for step in steps {
                #expect(Set(step.objectValue!.keys) == ["step", "channel", "delay_days", "subject", "body"])
                #expect(["email", "linkedin"].contains(step["channel"]?.stringValue ?? ""))
                let text = (step["subject"]?.stringValue ?? "") + (step["body"]?.stringValue ?? "")
                #expect(PersonalisationVariables.used(in: text).allSatisfy(PersonalisationVariables.shared.names.contains))
            }
        }
    }

    @Test func suggestionsSayWhatEachSegmentIsAndWhy() throws {
        let tree = try Self.completed()
        let suggestions = try tree.json("outbox/\(Self.job)/campaigns/suggestions.json")
        #expect(suggestions["slots"] == 4)
        for suggestion in suggestions["suggestions"]?.arrayValue ?? [] {
            for key in ["name", "angle", "value_proposition", "reason"] {
                #expect((suggestion[key]?.stringValue ?? "").count > 10, "\(key) is written")
            }
            #expect(suggestion["segment"]?["industries"]?.arrayValue?.isEmpty == false)
            #expect(suggestion["segment"]?["titles"]?.arrayValue?.isEmpty == false)
            #expect(suggestion["reason"]?.stringValue?.contains("split evenly") == true, "no lead database in this tree")
        }
        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["shared_state_read"]?["fitting_leads"] == .null)
        #expect(stamp["data_sha256"]?["templates/sequence.json"]?.stringValue?.count == 64)
        #expect(stamp["data_sha256"]?["templates/variables.json"]?.stringValue?.count == 64)
        #expect(stamp["inputs"]?["enrich/intelligence.json"] != nil, "proof points are an input")
    }

    @Test func sharesFollowTheFittingLeadsOfTheLeadDatabase() throws {
        let tree = try PostOnboardingFixtures.tree(tier: "ignition", job: Self.job, realLeads: true)
        try tree.write("export.csv", PostOnboardingFixtures.apolloExport(dental: 30, medical: 10))
        let imported = try tree.onboard(["leads", "import", tree.url("export.csv").path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try tree.onboard(["run"]).status == 0)

        let campaigns = try Self.campaigns(tree)
        #expect(campaigns.map { $0["segment"]?["industries"] ?? .null } == [["Dentists"], ["Medical Practice"], ["Law Practice"]])
        #expect(campaigns.map { $0["allocation_pct"]?.intValue ?? -1 } == [75, 25, 0], "30, 10 and 0 fitting leads")
        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["shared_state_read"]?["fitting_leads"] == [30, 10, 0])
        #expect(stamp["shared_state_read"]?["fitting_leads_total"] == 40)
        #expect(stamp["data_sha256"]?["leads/industry_aliases.json"] != nil)

        let summary = try tree.json("outbox/\(Self.job)/assign/summary.json")
        #expect(summary["assigned"] == 40, "the leads stage sourced the 40 fitting leads")
        #expect(summary["campaigns"]?.arrayValue?.map { $0["assigned"]?.intValue ?? -1 } == [30, 10, 0])
        #expect(summary["campaigns"]?.arrayValue?.map { $0["best_fit"]?.intValue ?? -1 } == [30, 10, 0])
        #expect(try tree.json("outbox/\(Self.job)/job.json")["status"] == "completed")
    }

    @Test func autoActivateMakesCampaignsActive() throws {
        let tree = try Self.completed(settings: ["auto_activate_campaigns": true])
        #expect(try Self.campaigns(tree).allSatisfy { $0["status"] == "active" })
    }

    @Test func everyLeadGoesToOneExistingCampaignWithinItsShare() throws {
        let tree = try Self.completed()
        let ids = Set(try Self.campaigns(tree).compactMap { $0["id"]?.stringValue })
        let text = try #require(tree.read("outbox/\(Self.job)/assign/assignments.csv"))
        #expect(text.hasPrefix("lead_id,email,campaign_id,score,reasons\n"))
        let sheet = try LeadSheet(data: Data(text.utf8), path: "assignments.csv")
        #expect(sheet.header == AssignStage.columns)
        #expect(sheet.rows.count == 40)
        #expect(Set(sheet.rows.map { sheet.value($0, "lead_id") }).count == 40, "each lead once")
        #expect(sheet.rows.allSatisfy { ids.contains(sheet.value($0, "campaign_id")) })
        #expect(sheet.rows.allSatisfy { !sheet.value($0, "email").isEmpty && !sheet.value($0, "reasons").isEmpty })

        let summary = try tree.json("outbox/\(Self.job)/assign/summary.json")
        #expect(summary["assigned"] == 40)
        #expect(summary["unassigned"] == [])
        #expect(summary["sourcing"]?["requested"] == 2250)
        let perCampaign = summary["campaigns"]?.arrayValue ?? []
        #expect(perCampaign.map { $0["target"]?.intValue ?? 0 } == [10, 10, 10, 10], "40 leads over 4 even shares")
        #expect(perCampaign.map { $0["assigned"]?.intValue ?? 0 }.reduce(0, +) == 40)
        let legal = sheet.rows.filter { sheet.value($0, "lead_id") >= "lead-034" }
        let legalCampaign = try Self.campaigns(tree).first { ($0["segment"]?["industries"]?.arrayValue ?? []).contains("Law Practice") }
        #expect(legal.allSatisfy { sheet.value($0, "campaign_id") == legalCampaign?["id"]?.stringValue }, "legal leads go to the legal segment: \(text) \(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") ?? "")")
    }

    @Test func aRerunGivesByteIdenticalArtifacts() throws {
        let first = try Self.completed()
        let second = try Self.completed()
        let files = [
            "campaigns/campaigns.json", "campaigns/suggestions.json", "assign/assignments.csv", "assign/summary.json",
            "complete/summary.json",
        ]
        for file in files {
            let a = first.read("outbox/\(Self.job)/\(file)")
            #expect(a != nil && a == second.read("outbox/\(Self.job)/\(file)"), "\(file) is the same in two trees")
        }
        let before = files.map { first.read("outbox/\(Self.job)/\($0)") }
        #expect(try first.onboard(["rerun", Self.job, "campaigns", "--downstream"]).status == 0)
        #expect(files.map { first.read("outbox/\(Self.job)/\($0)") } == before, "rerun writes the same bytes")
    }

    @Test func completeSaysWhatTheClientGotAndTheJobIsCompleted() throws {
        let tree = try Self.completed()
        let summary = try tree.json("outbox/\(Self.job)/complete/summary.json")
        #expect(summary["client_id"] == "harbor-dental")
        #expect(summary["resources"]?["email_domains"] == PostOnboardingFixtures.allocations["email_domains"])
        #expect(summary["resources"]?["phones"] == PostOnboardingFixtures.allocations["phones"])
        #expect(summary["resources"]?["linkedin_seats"] == 7)
        let campaigns = summary["campaigns"]?.arrayValue ?? []
        #expect(campaigns.count == 4)
        #expect(campaigns.map { $0["leads"]?.intValue ?? 0 }.reduce(0, +) == 40)
        #expect(campaigns.compactMap { $0["id"]?.stringValue } == (try Self.campaigns(tree)).compactMap { $0["id"]?.stringValue })
        #expect(summary["leads"]?["assigned"] == 40)
        #expect(tree.read("outbox/\(Self.job)/complete/summary.json")?.contains("2026") == false, "no time in the artifact")

        #expect(try tree.json("outbox/\(Self.job)/job.json")["status"] == "completed")
        let entry = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(entry["status"] == "completed")
        let record = try JSONValue.parse(Data(try tree.onboard(["icp", "get", "harbor-dental", "--json"]).stdout.utf8))
        #expect(record["onboarding_status"] == "completed")
    }

    func item(_ value: JSONValue?, _ index: Int) -> JSONValue? {
        guard let array = value?.arrayValue, index < array.count else { return nil }
        return array[index]
    }

    @Test func exportsEachToolsShape() throws {
        let tree = try Self.completed()
        func export(_ format: String) throws -> String {
            let output = try tree.onboard(["export", Self.job, "--format", format])
            #expect(output.status == 0, "\(output.stderr)")
            return output.stdout
        }
        let csv = try LeadSheet(data: Data(try export("csv").utf8), path: "export.csv")
        #expect(csv.rows.count == 40)
        #expect(csv.has("step_5_body") && csv.has("first_name") && csv.has("campaign_id"))
        let law = try #require(csv.rows.first { csv.value($0, "lead_id") == "lead-034" })
        #expect(csv.value(law, "company") == "Smith, Jones & \"Partners\"", "commas and quotes survive")
        #expect(csv.value(law, "step_3_day") == "5")

        let instantly = try JSONValue.parse(Data(try export("instantly").utf8))
        let first = try #require(instantly["campaigns"]?.arrayValue?.first)
        let steps = item(first["sequences"], 0)?["steps"]?.arrayValue ?? []
        #expect(steps.map { $0["delay"]?.intValue ?? -1 } == [5, 9, 0], "days to the next email step")
        #expect(steps.allSatisfy { $0["type"] == "email" })
        let body = item(steps[0]["variants"], 0)?["body"]?.stringValue ?? ""
        #expect(body.contains("{{firstName}}") && !body.contains("{{first_name}}"))
        #expect(first["status"] == 0)
        #expect(instantly["omitted_steps"]?.arrayValue?.count == 8, "two LinkedIn steps in each of four campaigns")
        let instantlyLeads = (instantly["campaigns"]?.arrayValue ?? []).map { item($0["lead_batches"], 0)?["leads"]?.arrayValue?.count ?? 0 }
        #expect(instantlyLeads.reduce(0, +) == 40)

        let smartlead = try JSONValue.parse(Data(try export("smartlead").utf8))
        let sequence = item(smartlead["campaigns"], 0)?["sequences"]?.arrayValue ?? []
        #expect(sequence.map { $0["seq_delay_details"]?["delay_in_days"]?.intValue ?? -1 } == [0, 5, 9])
        #expect(sequence.map { $0["seq_number"]?.intValue ?? 0 } == [1, 2, 3])
        #expect(item(smartlead["campaigns"], 0)?["status"] == "DRAFTED")
        #expect(sequence[0]["subject"]?.stringValue?.contains("{{company_name}}") == true)

        let apollo = try JSONValue.parse(Data(try export("apollo").utf8))
        let apolloSteps = item(apollo["sequences"], 0)?["emailer_steps"]?.arrayValue ?? []
        let types = apolloSteps.map { $0["type"]?.stringValue ?? "" }
        #expect(types == ["auto_email", "linkedin_step_connect", "auto_email", "linkedin_step_message", "auto_email"])
        #expect(apolloSteps.map { $0["wait_time"]?.intValue ?? -1 } == [0, 2, 3, 4, 5])
        #expect(item(apolloSteps[2]["emailer_touches"], 0)?["type"] == "reply_to_thread", "an empty subject replies in the thread")
        let contacts = (apollo["sequences"]?.arrayValue ?? []).map { $0["contacts"]?.arrayValue?.count ?? 0 }
        #expect(contacts.reduce(0, +) == 40)

        let file = tree.url("export.json").path
        #expect(try tree.onboard(["export", Self.job, "--format", "apollo", "--out", file]).status == 0)
        #expect(tree.read("export.json") == (try export("apollo")))
    }

    @Test func exportRefusesAJobThatHasNotReachedAssign() throws {
        let tree = try PostOnboardingFixtures.tree(job: Self.job)
        try FileManager.default.removeItem(at: tree.url("fixtures/leads"))
        _ = try tree.onboard(["run"])
        let early = try tree.onboard(["export", Self.job, "--format", "csv"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("has not reached assign"), "\(early.stderr)")
        #expect(early.stdout.isEmpty)
        let unknown = try tree.onboard(["export", "no-such-job", "--format", "csv"])
        #expect(unknown.status == 2, "an unknown job is a usage error, as for rerun and status")
        #expect(unknown.stderr.contains("no job \"no-such-job\""))
        let badFormat = try tree.onboard(["export", Self.job, "--format", "mailchimp"])
        #expect(badFormat.status != 0 && badFormat.stderr.contains("'csv', 'instantly', 'smartlead' or 'apollo'"))
    }
}
