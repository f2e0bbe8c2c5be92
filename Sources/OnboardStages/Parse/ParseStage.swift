import Foundation
import OnboardEngine
import OnboardWeb

/// `parse`: every scraped page read as a visitor reads it (title, description, headings, content
/// without boilerplate, lists, links), and what the site says about itself as a whole (social
/// profiles, emails, phones, addresses, JSON-LD organisation, testimonials, proof points).
struct ParseStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    func settings(from document: JSONValue) -> JSONValue { .null }

    func run(_ context: StageContext) async throws -> StageReport {
        let scraped = try JSONDecoder().decode(ScrapedPages.self, from: context.readInput("scrape/pages.json"))
        var contents: [PageContent] = []
        for page in scraped.pages {
            let body = try context.readInput("scrape/\(page.file)")
            let text = CharsetSniffer.decode(body, as: SniffedEncoding(name: page.charset, source: "recorded"))
            contents.append(PageExtractor.extract(HTMLDocument.parse(utf8: text, url: page.finalURL), url: page.finalURL))
        }
        let record = SiteReader.read(contents, site: scraped.site)
        try context.writeOutput("site.json", json: JSONValue.from(record))
        return StageReport()
    }
}

/// Turns the pages of a site into its site record.
enum SiteReader {
    static func read(_ contents: [PageContent], site: String) -> SiteRecord {
        let organization = JSONLDOrganization.find(in: contents.flatMap(\.jsonLD))
        var profiles: Set<SiteRecord.Profile> = []
        for link in contents.flatMap(\.links).map(\.url) + (organization?.sameAs ?? []) {
            if let profile = SocialProfile.recognise(link) { profiles.insert(.init(network: profile.network, url: profile.url)) }
        }
        let contactLinks = contents.flatMap(\.contactLinks)
        let allText = contents.map(\.fullText).joined(separator: "\n")
        let country = organization?.country.flatMap(countryCode) ?? countryCode(fromHost: URL(string: site)?.host)
        var phones = ContactExtractor.phones(
            links: contactLinks + (organization?.telephone.map { ["tel:\($0)"] } ?? []), text: allText, country: country)
        phones = Array(Set(phones)).sorted()
        var addresses: [String] = []
        for address in [organization?.address].compactMap({ $0 }) + contents.flatMap(\.addresses)
        where !addresses.contains(address) {
            addresses.append(address)
        }
        var testimonials: [SiteRecord.Testimonial] = []
        var seenQuotes: Set<String> = []
        var proofPoints: [ProofPoint] = []
        var seenProofs: Set<String> = []
        for content in contents {
            for testimonial in content.testimonials where seenQuotes.insert(testimonial.quote).inserted {
                testimonials.append(.init(
                    quote: testimonial.quote, name: testimonial.name, title: testimonial.title, company: testimonial.company,
                    url: content.url))
            }
            for claim in ProofPoints.find(in: content.mainText) where seenProofs.insert(claim.lowercased()).inserted {
                proofPoints.append(ProofPoint(text: claim, url: content.url))
            }
        }
        let pages = contents.map { content in
            SiteRecord.Page(
                url: content.url, title: content.title, description: content.description, lang: content.lang,
                openGraph: content.openGraph, headings: content.headings, mainText: content.mainText, lists: content.lists,
                links: content.links)
        }
        return SiteRecord(
            pages: pages, socialProfiles: profiles.sorted { ($0.network, $0.url) < ($1.network, $1.url) },
            emails: ContactExtractor.emails(links: contactLinks, text: allText), phones: phones, addresses: addresses,
            organization: organization, testimonials: testimonials, proofPoints: proofPoints)
    }

    static let countryNames: [String: String] = [
        "us": "US", "usa": "US", "united states": "US", "united states of america": "US", "au": "AU",
        "australia": "AU", "gb": "GB", "uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB",
        "ca": "CA", "canada": "CA", "nz": "NZ", "new zealand": "NZ", "ie": "IE", "ireland": "IE", "de": "DE",
        "germany": "DE", "fr": "FR", "france": "FR",
    ]

    static func countryCode(_ name: String) -> String? { countryNames[name.lowercased()] }

    static func countryCode(fromHost host: String?) -> String? {
        guard let host = host?.lowercased() else { return nil }
        for (suffix, code) in [(".au", "AU"), (".uk", "GB"), (".ca", "CA"), (".nz", "NZ"), (".ie", "IE"), (".de", "DE"), (".fr", "FR"), (".us", "US")]
        where host.hasSuffix(suffix) {
            return code
        }
        return nil
    }
}
