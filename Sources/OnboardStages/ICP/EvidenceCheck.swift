import Foundation
import OnboardWeb

/// Checks the rule every ICP item keeps: each quote (two words or more) is a verbatim part, with
/// whitespace collapsed, of what parse/site.json records for the page it names (title,
/// description, headings, main text, lists), or of the site's JSON-LD and address values.
struct EvidenceCheck {
    private let pageText: [String: String]
    private let siteValues: String

    init(site: SiteRecord) {
        var text: [String: String] = [:]
        for page in site.pages {
            let parts = [page.title, page.description] + page.headings.map(\.text) + [page.mainText] + page.lists.flatMap { $0 }
            text[page.url, default: ""] += "\n" + parts.map(TextNormaliser.collapse).joined(separator: "\n")
        }
        pageText = text
        var values: [String] = site.addresses
        if let organization = site.organization {
            values += [organization.name, organization.description, organization.address, organization.telephone].compactMap { $0 }
            values += organization.areaServed
        }
        siteValues = values.map(TextNormaliser.collapse).joined(separator: "\n")
    }

    func holds(_ evidence: Evidence) -> Bool {
        let quote = TextNormaliser.collapse(evidence.quote)
        guard quote.count >= 8, quote.contains(" ") else { return false }
        return pageText[evidence.url]?.contains(quote) == true || siteValues.contains(quote)
    }

    /// The item with only the evidence that holds; nil when none does.
    func verified(_ item: ICPItem) -> ICPItem? {
        let kept = item.evidence.filter(holds)
        guard !kept.isEmpty else { return nil }
        return ICPItem(value: item.value, confidence: item.confidence, evidence: kept)
    }

    func verified(_ document: ICPDocument) -> ICPDocument {
        ICPDocument(
            companyDescription: document.companyDescription.flatMap(verified),
            valueProposition: document.valueProposition.flatMap(verified),
            servicesOffered: document.servicesOffered.compactMap(verified),
            icpIndustries: document.icpIndustries.compactMap(verified),
            icpTitles: document.icpTitles.compactMap(verified),
            icpCompanySizes: document.icpCompanySizes.compactMap(verified),
            icpLocations: document.icpLocations.compactMap(verified),
            icpPainPoints: document.icpPainPoints.compactMap(verified))
    }
}
