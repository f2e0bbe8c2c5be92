import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

/// Campaign shares weighted by each segment's leads when segments differ only by buyer titles.
@Suite("segments split by titles get shares by their leads")
struct SegmentSharesTests {
    static let job = "harbor-job"

    /// One industry, three buyer titles of three functions: ignition's three slots split by titles alone.
    static var titleOnlyICP: JSONValue {
        var icp = PostOnboardingFixtures.icp.objectValue!
        icp["icp_industries"] = [PostOnboardingFixtures.item("Dentists", 95)]
        icp["icp_titles"] = [
            PostOnboardingFixtures.item("Practice Owner", 90), PostOnboardingFixtures.item("Marketing Manager", 85),
            PostOnboardingFixtures.item("IT Director", 70),
        ]
        return .object(icp)
    }

    /// 5 practice owners, 3 marketing managers, 1 IT director, and 5 dentists whose titles stand
    /// for none of the ICP's (a receptionist, a CMO: near no ICP title), all in Sydney.
    static var leads: [[String]] {
        var rows: [[String]] = []
        for index in 0..<5 { rows.append(LeadFiles.lead("o\(index)", title: "Practice Owner", seniority: "Owner")) }
        for index in 0..<3 { rows.append(LeadFiles.lead("m\(index)", title: "Marketing Manager", seniority: "Manager")) }
        rows.append(LeadFiles.lead("i0", title: "IT Director", seniority: "Director"))
        for index in 0..<4 { rows.append(LeadFiles.lead("r\(index)", title: "Receptionist", seniority: "Entry")) }
        rows.append(LeadFiles.lead("c0", title: "Chief Marketing Officer", seniority: "C suite"))
        // Fits no segment: another country.
        rows.append(LeadFiles.lead("x0", title: "Practice Owner", city: "Denver", state: "Colorado", country: "United States"))
        return rows
    }

    @Test func twoSegmentsThatDifferOnlyByTitlesGetSharesByTheirLeads() throws {
        let tree = try PostOnboardingFixtures.tree(tier: "ignition", job: Self.job, realLeads: true)
        try tree.write("fixtures/confirm/icp.json", String(decoding: CanonicalJSON.data(Self.titleOnlyICP), as: UTF8.self))
        try LeadsStageTests.importLeads(tree, Self.leads)
        let output = try tree.onboard(["run"], environment: LeadsStageTests.now)
        #expect(output.status == 0, "\(output.stderr)")

        let campaigns = try tree.json("outbox/\(Self.job)/campaigns/campaigns.json")["campaigns"]?.arrayValue ?? []
        #expect(campaigns.map { $0["segment"]?["industries"] ?? .null } == [["Dentists"], ["Dentists"], ["Dentists"]], "one industry")
        #expect(campaigns.map { $0["segment"]?["titles"] ?? .null } == [["Practice Owner"], ["Marketing Manager"], ["IT Director"]])
        // 5, 3 and 1 of 9: 55.6, 33.3 and 11.1; the one point left goes to the largest remainder.
        #expect(campaigns.map { $0["allocation_pct"]?.intValue ?? -1 } == [56, 33, 11])
        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["shared_state_read"]?["fitting_leads"] == [5, 3, 1])
        let suggestions = try tree.json("outbox/\(Self.job)/campaigns/suggestions.json")["suggestions"]?.arrayValue ?? []
        #expect(suggestions.map { $0["fitting_leads"] ?? .null } == [5, 3, 1])

        // The counts are the leads stage's own title groups.
        let byTitle = try tree.json("outbox/\(Self.job)/leads/summary.json")["by_title"]
        #expect(byTitle == ["Practice Owner": 5, "Marketing Manager": 3, "IT Director": 1, "other": 5])
        let assigned = try tree.json("outbox/\(Self.job)/assign/summary.json")["campaigns"]?.arrayValue ?? []
        #expect(assigned.map { $0["assigned"]?.intValue ?? -1 }.reduce(0, +) == 14)
    }

    @Test func aSegmentsCountTakesTheTitleEachLeadStandsForBestAndNeverCountsALeadTwice() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        try LeadsStageTests.importLeads(tree, Self.leads + [
            // Near Practice Owner (an executive as senior as an owner) and like nothing else.
            LeadFiles.lead("n0", title: "CEO", seniority: "C suite"),
        ])
        let icp = try ConfirmedICP.read(Self.titleOnlyICP)
        let segments = Segmenter.segments(icp, slots: 3)
        let counts = try SegmentLeadCounts.count(
            segments, confirmedICP: icp, client: "harbor", exclusive: true, stateDirectory: tree.url("state"))
        #expect(counts == [6, 3, 1])
        // One segment of every title counts every lead that stands for one of them: the same 10, so none counted twice.
        let whole = try LeadDatabase(stateDirectory: tree.url("state")).countAvailable(
            [LeadFit(icp).narrowed(toIndustries: ["Dentists"], titles: icp.titles)], client: "harbor",
            exclusive: true)
        #expect(whole == [10])
    }
}

/// The fit's parts each read in one place: the gazetteer from the taxonomy, confirm/icp.json through ConfirmedICP.
@Suite("lead fit read in one place")
struct LeadFitOnePlaceTests {
    @Test func theGazetteerIsTheTaxonomysPlacesAndStampsHashEachFileOnce() throws {
        let places = BundledData.data("taxonomies/places.json")
        #expect(Taxonomy.shared.dataSHA256["taxonomies/places.json"] == Digest.sha256(places))
        #expect(LeadGazetteer.shared.dataSHA256.keys.sorted() == ["leads/areas.json"], "places.json is the taxonomy's file")
        for stage in [LeadsStage().dataSHA256, CampaignsStage().dataSHA256] {
            #expect(stage["taxonomies/places.json"] == Digest.sha256(places))
            #expect(stage["leads/areas.json"] != nil)
        }
        // Every place the taxonomy reads is one the gazetteer places leads in, aliases and codes included.
        let gazetteer = LeadGazetteer.shared
        #expect(gazetteer.places[LeadKeys.fold("New South Wales")]?.isEmpty == false)
        #expect(gazetteer.resolve(state: "nsw", country: "australia") == ("AU", "AU-NSW"))
        #expect(gazetteer.places[LeadKeys.fold("the midwest")]?.isEmpty == false)
    }

    @Test func leadsAndCampaignsReadTheSameValuesOfAConfirmedICP() throws {
        let document: JSONValue = [
            "icp_industries": [PostOnboardingFixtures.item("Medical Practice", 60), PostOnboardingFixtures.item("Dentists", 95), "Dentists"],
            "icp_titles": [PostOnboardingFixtures.item("  Practice   Owner ", 90)],
            "icp_locations": ["Australia"], "als_weights": ["title": 40],
        ]
        let icp = try ConfirmedICP.read(document)
        let fit = LeadFit(icp)
        #expect(fit.industries == icp.industries && icp.industries == ["Dentists", "Medical Practice"], "best-supported first, once")
        #expect(fit.titles == ["Practice Owner"])
        #expect(icp.alsWeights?.weights == ["title": 40])
        #expect(throws: ConfirmedICP.Problem.self) { try ConfirmedICP.read(["icp_titles": [["confidence": 80]]]) }
        let bad = #expect(throws: ConfirmedICP.Problem.self) { try ConfirmedICP.read(["als_weights": ["titel": 1]]) }
        #expect(bad?.description.hasPrefix("confirm/icp.json: als_weights.titel: unknown factor") == true)
        // Leads need no industries or titles; campaigns do.
        let empty = try ConfirmedICP.read(["icp_locations": ["Australia"]])
        #expect(LeadFit(empty).locations == ["Australia"])
        #expect(throws: ConfirmedICP.Problem.self) { try empty.checkSegmentable() }
    }
}
