import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("lead fit: industries through the taxonomy, places through the gazetteer")
struct LeadFitTests {
    static func place(_ city: String, _ state: String, _ country: String) -> LeadPlace {
        LeadPlace(city: LeadKeys.fold(city), state: LeadKeys.fold(state), country: LeadKeys.fold(country))
    }

    @Test func anICPIndustryInTheSitesWordsMeetsTheDatabasesName() {
        let fit = LeadFit(industries: ["Dental practices"], locations: [])
        #expect(fit.industry(ofKey: LeadKeys.fold("Dentists")) == "Dentists")
        #expect(fit.industry(ofKey: LeadKeys.fold("dental")) == "Dentists", "an alias of the database")
        #expect(fit.industry(ofKey: LeadKeys.fold("Medical Practice")) == nil)
        #expect(fit.industry(ofKey: "") == nil)
    }

    @Test func apolloLowercaseAndLinkedInsNewNamesMeetTheTaxonomy() {
        let fit = LeadFit(industries: ["Hospital & Health Care", "Logistics & Supply Chain"], locations: [])
        #expect(fit.industry(ofKey: LeadKeys.fold("hospital & health care")) == "Hospital & Health Care")
        #expect(fit.industry(ofKey: LeadKeys.fold("Hospitals and Health Care")) == "Hospital & Health Care")
        #expect(fit.industry(ofKey: LeadKeys.fold("Transportation, Logistics, Supply Chain and Storage")) == "Logistics & Supply Chain")
        #expect(fit.industry(ofKey: LeadKeys.fold("Computer Software")) == nil)
    }

    @Test func anIndustryTheTaxonomyDoesNotKnowMatchesByItsOwnName() {
        let fit = LeadFit(industries: ["Underwater basket weaving"], locations: [])
        #expect(fit.industry(ofKey: LeadKeys.fold("underwater basket-weaving")) == "Underwater basket weaving")
        #expect(fit.industry(ofKey: LeadKeys.fold("Dentists")) == nil)
    }

    @Test func emptyICPFieldsSkipTheirCheck() {
        let fit = LeadFit(industries: [], locations: [])
        #expect(fit.industry(ofKey: LeadKeys.fold("anything")) == "")
        #expect(fit.location(of: Self.place("", "", "")) == "")
    }

    @Test(arguments: [
        ("Australia", "Sydney", "NSW", "Australia", true),
        ("Australia", "Auckland", "", "New Zealand", false),
        ("New South Wales", "Newcastle", "NSW", "Australia", true),
        ("New South Wales", "Melbourne", "Victoria", "Australia", false),
        ("Sydney", "Sydney", "New South Wales", "AU", true),
        ("Sydney", "Perth", "Western Australia", "Australia", false),
        ("United States", "Austin", "Texas", "USA", true),
        ("Texas", "Austin", "TX", "United States", true),
        ("Texas", "Austin", "TX", "", true),
        ("Midwest", "Columbus", "Ohio", "United States", true),
        ("Midwest", "Austin", "Texas", "United States", false),
        ("Europe", "Berlin", "", "Germany", true),
        ("Europe", "Toronto", "Ontario", "Canada", false),
        ("Global", "Lagos", "", "Nigeria", true),
        ("United Kingdom", "Leeds", "England", "UK", true),
    ])
    func aPlaceLiesInTheICPsLocationCityInStateInCountry(
        location: String, city: String, state: String, country: String, fits: Bool
    ) {
        let fit = LeadFit(industries: [], locations: [location])
        #expect((fit.location(of: Self.place(city, state, country)) != nil) == fits)
    }

    @Test func confirmedICPItemsAndPlainStringsAreRead() throws {
        let icp = try JSONValue.parse(Data(#"""
            {"icp_industries": [{"value": "Dental practices", "confidence": 80, "evidence": []}, "Medical Practice"],
             "icp_locations": [{"value": "Australia", "confidence": 70, "evidence": []}],
             "icp_titles": [{"value": "Practice owners", "confidence": 70, "evidence": []}],
             "icp_company_sizes": [{"value": "1-10", "confidence": 60, "evidence": []}]}
            """#.utf8))
        let fit = LeadFit(try ConfirmedICP.read(icp))
        #expect(fit.industries == ["Dental practices", "Medical Practice"])
        #expect(fit.locations == ["Australia"])
        #expect(fit.titles == ["Practice owners"])
        #expect(fit.sizes == ["1-10"])
        #expect(fit.narrowed(toIndustries: ["Medical Practice"]).industry(ofKey: LeadKeys.fold("Dentists")) == nil)
        #expect(fit.narrowed(toIndustries: ["Medical Practice"]).industry(ofKey: LeadKeys.fold("medical practice")) != nil)
        #expect(fit.narrowed(toIndustries: ["Retail"]).industry(ofKey: LeadKeys.fold("retail")) == nil)
    }

    @Test func countFittingCountsOnlyLeadsThatFitAndAvailableLeavesOthersClaims() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("leads-fit-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        let leads = try LeadDatabase(stateDirectory: state)
        let rows: [(String, String, String, String, String)] = [
            ("a", "dentists", "sydney", "nsw", "australia"),
            ("b", "dentists", "perth", "western australia", "australia"),
            ("c", "dentists", "auckland", "", "new zealand"),
            ("d", "medical practice", "sydney", "nsw", "australia"),
            ("e", "dental", "", "new south wales", "australia"),
        ]
        for (id, industry, city, stateName, country) in rows {
            try leads.database.prepare(
                "INSERT INTO leads (apollo_contact_id, industry_key, city_key, state_key, country_key) VALUES (?, ?, ?, ?, ?)"
            ).bind(.text(id), .text(industry), .text(city), .text(stateName), .text(country)).run()
        }
        #expect(try leads.count() == 5)
        #expect(try leads.countFitting(LeadFit(industries: ["Dental practices"], locations: ["Australia"])) == 3)
        #expect(try leads.countFitting(LeadFit(industries: ["Dental practices"], locations: ["New South Wales"])) == 2)
        #expect(try leads.countFitting(LeadFit(industries: [], locations: ["Sydney"])) == 2)
        #expect(try leads.countFitting(LeadFit(industries: [], locations: [])) == 5)
        try leads.database.prepare(
            "INSERT INTO lead_claims (lead_id, client_id, job_id, claimed_at) VALUES ('a', 'other', 'j', '2026-11-25T09:30:00Z')"
        ).run()
        let fit = LeadFit(industries: ["Dental practices"], locations: ["Australia"])
        #expect(try leads.countAvailable(fit, client: "mine") == 2)
        #expect(try leads.countAvailable(fit, client: "other") == 3)
        #expect(try leads.countAvailable(fit, client: "mine", exclusive: false) == 3)
    }
}
