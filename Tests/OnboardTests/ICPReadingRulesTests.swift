import Testing

@testable import OnboardStages

/// The small reading rules of the offline extractor, each on the kind of text it is for.
@Suite("ICP reading rules")
struct ICPReadingRulesTests {
    @Test func aSentenceListingIndustriesGivesEachEntryWithItsPlace() {
        let text = "We serve a wide range of industries: shipbuilding, Pulp and Paper, oil and gas, and more."
        let entries = IndustryListReader.commaEntries(text)
        #expect(entries.map(\.text) == ["shipbuilding", "Pulp and Paper", "oil and gas"])
        for entry in entries { #expect(String(text[entry.range]) == entry.text) }
    }

    @Test func oddListsKeepEveryEntryWhereItStands() {
        for text in [",,, , and ,", ". Marine, .Logistics, Ölindustrie, Café chains, ", "Straße, ß, İstanbul, Ǆemal, mining.", ""] {
            for entry in IndustryListReader.commaEntries(text) { #expect(String(text[entry.range]) == entry.text, "\(text)") }
        }
        #expect(LocationReader.counties(in: "İİİİ Straße Polk County").map(\.0) == ["Polk County"])
        #expect(LocationReader.counties(in: "County fair in the county").isEmpty)
    }

    @Test func aBareSectorNameNamesAnIndustryOnlyInAList() {
        let reader = IndustryListReader(pieces: [], taxonomy: .shared)
        #expect(reader.industries(named: "Logistics & Warehousing").contains("Logistics & Supply Chain"))
        #expect(reader.industries(named: "Marine").contains("Maritime"))
        #expect(reader.industries(named: "Case Studies").isEmpty)
        #expect(reader.industries(named: "How we help logistics teams grow").isEmpty)
        // Running text still needs the fuller phrase.
        #expect(Taxonomy.shared.industries.first { $0.name == "Logistics & Supply Chain" }!.patterns
            .allSatisfy { $0.matches(in: "logistics").isEmpty })
    }

    @Test func aListItemOffersTheNameBeforeItsDescription() {
        func item(_ text: String) -> TextPiece {
            TextPiece(url: "http://127.0.0.1/", kind: .listItem, text: text, lower: text.lowercased(), quoteText: text,
                      section: "services", page: .services, pageIndex: 1)
        }
        #expect(ServiceReader.name(of: item("→Pipeline Development+ We design and build your pipeline.")) == "Pipeline Development")
        #expect(ServiceReader.name(of: item("Tank Linings: interior linings for water and fuel tanks.")) == "Tank Linings")
        #expect(ServiceReader.name(of: item("Drain cleaning")) == "Drain cleaning")
        #expect(!ServiceReader.looksLikeAService("Day 1 to 3"))
        #expect(!ServiceReader.looksLikeAService("The Anatomy of a Growth Engine"))
        #expect(!ServiceReader.looksLikeAService("Local SEO FAQs"))
    }

    @Test func aCountyNamesItselfWithoutTheCueBeforeIt() {
        let text = "Serving Polk County, St. Lucie County and the county roads between."
        let counties = LocationReader.counties(in: text)
        #expect(counties.map(\.0) == ["Polk County", "St. Lucie County"])
        let lower = text.lowercased()
        #expect(counties.map { String(lower[$0.1]) } == ["polk county", "st. lucie county"])
    }

    @Test func theHomeTitleOffersWhatIsNotTheBrand() {
        #expect(ServiceReader.titleParts("Keelson Coatings | Industrial Coatings – Blasting") == ["Keelson Coatings", "Industrial Coatings", "Blasting"])
        let title = "Acme Plumbing | Drain Cleaning & Repiping"
        let home = TextPiece(url: "http://127.0.0.1/", kind: .title, text: title, lower: title.lowercased(), quoteText: title,
                             section: "", page: .home, pageIndex: 0)
        let reader = ServiceReader(pieces: [home], titles: [title, "About — Acme Plumbing"])
        #expect(reader.titleOffers().map(\.1.text) == ["Drain Cleaning & Repiping"])
    }
}
