import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("leads stage: fitting leads, scored, deduplicated, within the quota, claimed for one client")
struct LeadsStageTests {
    static let now = ["ONBOARD_NOW": "2026-11-25T09:30:00Z"]

    static func importLeads(_ tree: TestTree, _ rows: [[String]], name: String = "leads.csv") throws {
        try tree.write(name, LeadFiles.csv(rows))
        let output = try tree.onboard(["leads", "import", tree.url(name).path])
        #expect(output.status == 0, "\(output.stderr)")
    }

    static func run(_ tree: TestTree, _ arguments: [String] = []) throws {
        let output = try tree.onboard(["run"] + arguments, environment: now)
        #expect(output.status == 0, "\(output.stdout) \(output.stderr)")
    }

    static func ids(_ tree: TestTree, _ job: String) throws -> [String] {
        try LeadFiles.leads(tree, job: job).map { $0["lead_id"] ?? "" }
    }

    /// `count` Sydney dentists, ids prefixed so two batches never clash.
    static func dentists(_ count: Int, prefix: String = "d") -> [[String]] {
        (0..<count).map { LeadFiles.lead("\(prefix)\($0)", first: "Person\($0)", title: $0 % 2 == 0 ? "Practice Owner" : "Dentist") }
    }

    @Test func onlyFittingLeadsAreSourcedBestFirstWithTheirReasons() throws {
        let tree = try LeadFiles.tree()
        try Self.importLeads(tree, [
            LeadFiles.lead("1", title: "Practice Owner", employees: "20"),  // everything the ICP asks
            LeadFiles.lead("2", title: "Dentist", status: "Likely to engage", seniority: "Senior", employees: "400"),
            LeadFiles.lead("3", title: "Practice Owner", employees: "80", industry: "Dental", city: "Perth", state: "Western Australia"),
            LeadFiles.lead("4", industry: "Dentists", city: "Auckland", state: "Auckland", country: "New Zealand"),  // not in Australia
            LeadFiles.lead("5", industry: "medical practice"),  // not a dental practice
            LeadFiles.lead("6", industry: ""),  // no industry: cannot fit an ICP that names one
        ])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        let rows = try LeadFiles.leads(tree, job: "harbor-1")
        #expect(rows.map { $0["lead_id"] ?? "" } == ["1", "3", "2"].map(LeadFiles.contactID))
        let scores = rows.compactMap { $0["score"].flatMap { Int($0) } }
        #expect(scores == scores.sorted(by: >))
        #expect(scores.first == 100)
        let reasons = try #require(rows.first?["score_reasons"])
        for factor in ["industry 25/25 Dentists", "title 25/25", "size 20/20 11-50", "location 15/15 Australia", "email_status 10/10 Verified", "completeness"] {
            #expect(reasons.contains(factor), "\(reasons)")
        }
        #expect(rows.last?["score_reasons"]?.contains("email_status 7/10 Likely to engage") == true)
        #expect(rows.first?["Company"] == "Clinic 1" && rows.first?["Seniority"] == "owner", "Apollo's columns and values follow")
        let header = try #require(tree.read("outbox/harbor-1/leads/leads.csv")?.split(separator: "\n").first)
        #expect(header.hasPrefix("lead_id,score,score_reasons,First Name,Last Name,Title,Company,"))

        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["requested"] == 1250)
        #expect(summary["matched"] == 3)
        #expect(summary["sourced"] == 3)
        #expect(summary["shortfall"] == 1247)
        #expect(summary["by_industry"] == ["Dentists": 3])
        #expect(summary["by_location"] == ["Australia": 3])
        #expect(summary["by_size"] == ["11-50": 1, "51-200": 1, "201-500": 1])
        #expect(summary["by_title"]?["Practice owners"] == 2)
        #expect(summary["by_score_band"]?["80-100"] != nil)
    }

    @Test func anEmptyICPLocationListSkipsThePlaceCheck() throws {
        var icp = LeadFiles.dentalICP.objectValue!
        icp["icp_locations"] = []
        let tree = try LeadFiles.tree(icp: .object(icp))
        try Self.importLeads(tree, [
            LeadFiles.lead("1"), LeadFiles.lead("2", city: "Auckland", state: "", country: "New Zealand"),
            LeadFiles.lead("3", industry: "retail"),
        ])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        #expect(Set(try Self.ids(tree, "harbor-1")) == Set(["1", "2"].map(LeadFiles.contactID)))
        #expect(try LeadFiles.leads(tree, job: "harbor-1").first?["score_reasons"]?.contains("location") == false, "no location factor")
    }

    @Test func theSamePersonTwiceIsSourcedOnceByLinkedInOrByNameAndCompany() throws {
        let tree = try LeadFiles.tree()
        try Self.importLeads(tree, [
            LeadFiles.lead("1", email: "ana@one.example", linkedin: "https://www.linkedin.com/in/ana-diaz/"),
            LeadFiles.lead("2", email: "ana.diaz@two.example", status: "Likely to engage", linkedin: "http://linkedin.com/in/ana-diaz"),
            LeadFiles.lead("3", first: "Ana", last: "Díaz", company: "Smile Pty Ltd", email: "", linkedin: ""),
            LeadFiles.lead("4", first: "ana", last: "diaz", title: "Dentist", company: "Smile", email: "", linkedin: ""),
            LeadFiles.lead("5", first: "Ana", last: "Diaz", company: "Other Clinic", email: "", linkedin: ""),
        ])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        let ids = try Self.ids(tree, "harbor-1")
        #expect(Set(ids) == Set(["1", "3", "5"].map(LeadFiles.contactID)), "the better-scored of each pair stays")
        #expect(try tree.json("outbox/harbor-1/leads/summary.json")["excluded"]?["duplicates"] == 2)
    }

    @Test func theQuotaIsTakenFromTheBestAndAShortfallIsNeverPadded() throws {
        let tree = try LeadFiles.tree(quota: 3)
        try Self.importLeads(tree, Self.dentists(5) + [LeadFiles.lead("x", industry: "retail")])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        let ids = try Self.ids(tree, "harbor-1")
        #expect(ids.count == 3)
        #expect(Set(ids) == Set(["d0", "d2", "d4"].map(LeadFiles.contactID)), "the practice owners score best")
        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["requested"] == 3 && summary["matched"] == 5 && summary["sourced"] == 3 && summary["shortfall"] == 0)

        let short = try LeadFiles.tree(quota: 10)
        try Self.importLeads(short, Self.dentists(5) + [LeadFiles.lead("x", industry: "retail")])
        try LeadFiles.request(short, client: "harbor", job: "harbor-1")
        try Self.run(short)
        #expect(try Self.ids(short, "harbor-1").count == 5, "no lead that does not fit fills the gap")
        let shortSummary = try short.json("outbox/harbor-1/leads/summary.json")
        #expect(shortSummary["requested"] == 10 && shortSummary["sourced"] == 5 && shortSummary["shortfall"] == 5)
        let stamp = try short.json("outbox/harbor-1/leads/stamp.json")
        #expect(stamp["warnings"]?.arrayValue?.first?.stringValue?.contains("5 of 10 leads sourced") == true)
    }

    @Test func aTierChangeMakesLeadsStaleAndTheRerunTakesTheNewQuota() throws {
        let tree = try LeadFiles.tree(quota: 3)
        try Self.importLeads(tree, Self.dentists(5))
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        #expect(try Self.ids(tree, "harbor-1").count == 3)
        // An operator moves the client to velocity by editing the normalised request.
        let path = "outbox/harbor-1/intake/request.json"
        var request = try tree.json(path).objectValue!
        request["tier"] = "velocity"
        try tree.write(path, String(decoding: CanonicalJSON.data(.object(request)), as: UTF8.self))
        let states = try tree.statusJSON()["jobs"]?.arrayValue?.first?["stages"]
        // confirm reads the request too, so it runs first; leads waits on it, then follows.
        #expect(states?["confirm"] == "stale" && states?["leads"] != "done", "\(String(describing: states))")
        try Self.run(tree)
        #expect(try Self.ids(tree, "harbor-1").count == 5, "velocity's quota takes every fitting lead")
        #expect(try tree.json("outbox/harbor-1/leads/summary.json")["requested"] == 2250)
    }

    @Test func twoClientsRunningAtOnceNeverShareALeadWhenLeadsAreExclusive() throws {
        let tree = try LeadFiles.tree(quota: 30)
        try Self.importLeads(tree, Self.dentists(40))
        try LeadFiles.request(tree, client: "alpha", job: "alpha-1")
        try LeadFiles.request(tree, client: "beta", job: "beta-1")
        let first = try tree.start(["run", "--job", "alpha-1"], environment: Self.now)
        let second = try tree.start(["run", "--job", "beta-1"], environment: Self.now)
        let outcomes = [first.finish(), second.finish()]
        for outcome in outcomes { #expect(outcome.status == 0, "\(outcome.stderr)") }
        let alpha = Set(try Self.ids(tree, "alpha-1")), beta = Set(try Self.ids(tree, "beta-1"))
        #expect(alpha.isDisjoint(with: beta))
        #expect(alpha.count + beta.count == 40, "one got 30, the other the 10 left")
        #expect(Set([alpha.count, beta.count]) == [30, 10])
        let leads = try LeadDatabase(stateDirectory: tree.url("state"))
        #expect(Set(try leads.claims(of: "alpha")) == alpha)
        #expect(Set(try leads.claims(of: "beta")) == beta)
        let short = alpha.count == 10 ? "alpha-1" : "beta-1"
        #expect(try tree.json("outbox/\(short)/leads/summary.json")["excluded"]?["claimed_by_other_clients"] == 30)

        // A rerun takes the client's own leads again, the same bytes.
        let before = tree.read("outbox/alpha-1/leads/leads.csv")
        #expect(try tree.onboard(["rerun", "alpha-1", "leads"], environment: Self.now).status == 0)
        #expect(tree.read("outbox/alpha-1/leads/leads.csv") == before)
    }

    @Test func withExclusiveLeadsOffClientsMayHoldTheSameLeads() throws {
        let tree = try LeadFiles.tree(quota: 30, exclusive: false)
        try Self.importLeads(tree, Self.dentists(40))
        try LeadFiles.request(tree, client: "alpha", job: "alpha-1")
        try LeadFiles.request(tree, client: "beta", job: "beta-1")
        try Self.run(tree)
        let alpha = try Self.ids(tree, "alpha-1"), beta = try Self.ids(tree, "beta-1")
        #expect(alpha.count == 30)
        #expect(alpha == beta, "both get the best 30")
        #expect(try tree.json("outbox/beta-1/leads/summary.json")["excluded"]?["claimed_by_other_clients"] == 0)
        #expect(try tree.json("outbox/beta-1/leads/summary.json")["exclusive_leads"] == false)
    }

    @Test func aRerunOrALaterJobOfTheSameClientKeepsItsLeadsFirst() throws {
        let tree = try LeadFiles.tree(quota: 2)
        try Self.importLeads(tree, [
            LeadFiles.lead("1", title: "Dentist", status: "Likely to engage"), LeadFiles.lead("2", title: "Dentist", status: "Likely to engage"),
        ])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        #expect(Set(try Self.ids(tree, "harbor-1")) == Set(["1", "2"].map(LeadFiles.contactID)))
        // Better leads arrive; the client keeps the ones it holds; another client gets the new ones.
        try Self.importLeads(tree, [LeadFiles.lead("3"), LeadFiles.lead("4")], name: "more.csv")
        #expect(try tree.onboard(["rerun", "harbor-1", "leads"], environment: Self.now).status == 0)
        #expect(Set(try Self.ids(tree, "harbor-1")) == Set(["1", "2"].map(LeadFiles.contactID)))
        try LeadFiles.request(tree, client: "harbor", job: "harbor-2")
        try LeadFiles.request(tree, client: "other", job: "other-1")
        try Self.run(tree)
        #expect(Set(try Self.ids(tree, "harbor-2")) == Set(["1", "2"].map(LeadFiles.contactID)))
        #expect(Set(try Self.ids(tree, "other-1")) == Set(["3", "4"].map(LeadFiles.contactID)))
        #expect(try tree.json("outbox/harbor-2/leads/summary.json")["reused_claims"] == 2)
    }

    @Test func theStampRecordsWhatWasReadAndTheArtifactsAreTheSameBytesInAnotherTree() throws {
        var outputs: [String] = []
        for _ in 0..<2 {
            let tree = try LeadFiles.tree(quota: 4)
            try Self.importLeads(tree, Self.dentists(6) + [LeadFiles.lead("x", industry: "retail")])
            try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
            try Self.run(tree)
            let stamp = try tree.json("outbox/harbor-1/leads/stamp.json")
            let read = try #require(stamp["shared_state_read"])
            #expect(read["database"] == "state/leads.sqlite")
            #expect(read["leads"] == 7)
            #expect(read["fitting"] == 6)
            #expect(read["claims"] == 4)
            #expect(read["digest"]?.stringValue?.count == 64)
            outputs.append((tree.read("outbox/harbor-1/leads/leads.csv") ?? "") + (tree.read("outbox/harbor-1/leads/summary.json") ?? ""))
            #expect(tree.read("outbox/harbor-1/leads/summary.json")?.contains("2026") == false, "no time inside the artifact")
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test func theWeightsOfPipelineJsonDecideTheOrder() throws {
        let weights: JSONValue = ["industry": 0, "title": 0, "size": 0, "location": 0, "email_status": 100, "completeness": 0]
        let tree = try LeadFiles.tree(quota: 2, weights: weights)
        try Self.importLeads(tree, [
            LeadFiles.lead("1", title: "Practice Owner", status: "Likely to engage"),
            LeadFiles.lead("2", title: "Hygienist", seniority: "Entry", employees: "900"),
        ])
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        try Self.run(tree)
        let rows = try LeadFiles.leads(tree, job: "harbor-1")
        #expect(rows.map { $0["lead_id"] ?? "" } == ["2", "1"].map(LeadFiles.contactID))
        #expect(rows.map { $0["score"] ?? "" } == ["100", "70"])
        #expect(rows.first?["score_reasons"] == "email_status 100/100 Verified")
    }
}
