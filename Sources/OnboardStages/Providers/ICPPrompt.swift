import Foundation
import OnboardEngine

/// The instructions and the tool schema (data files in Resources/prompts, hashed into the
/// stamps of the stages that send them), and the site text a model reads.
enum ICPPrompt {
    enum Task: String, Sendable {
        case extract = "icp-extract.txt"
        case enrich = "icp-enrich.txt"
    }

    static let toolName = "record_icp"
    static let schemaFile = "record_icp.schema.json"
    /// Site text beyond this is left out, so one call's size (and cost) has a bound whatever the site.
    static let maxSiteCharacters = 60_000
    static let maxPageCharacters = 12_000

    static func instructions(_ task: Task) -> String {
        String(decoding: BundledData.data("prompts/\(task.rawValue)"), as: UTF8.self)
    }

    static let schema: JSONValue = {
        guard let value = try? JSONValue.parse(BundledData.data("prompts/\(schemaFile)")) else {
            fatalError("the bundled prompts/\(schemaFile) is not valid JSON; reinstall onboard")
        }
        return value
    }()

    /// Hashed once: stamps and the index fingerprint ask for them on every staleness check.
    private static let extractSHA256 = hashes(.extract)
    private static let enrichSHA256 = hashes(.enrich)

    static func dataSHA256(_ task: Task) -> [String: String] {
        switch task {
        case .extract: extractSHA256
        case .enrich: enrichSHA256
        }
    }

    private static func hashes(_ task: Task) -> [String: String] {
        [
            "prompts/\(task.rawValue)": Digest.sha256(BundledData.data("prompts/\(task.rawValue)")),
            "prompts/\(schemaFile)": Digest.sha256(BundledData.data("prompts/\(schemaFile)")),
        ]
    }

    static func prompt(_ task: Task, site: SiteRecord, draft: ICPDocument? = nil) -> ModelPrompt {
        var user = "The company's website, page by page. Quote only from these pages and name them by the URL given.\n\n"
        user += siteText(site)
        if let draft, let json = try? JSONValue.from(draft) {
            user += "\n\n# Draft profile to improve\n" + String(decoding: CanonicalJSON.data(json), as: UTF8.self)
        }
        return ModelPrompt(
            system: instructions(task), user: user, toolName: toolName,
            toolDescription: "Record the company's Ideal Customer Profile, every item with a verbatim quote from the site.",
            schema: schema)
    }

    /// What parse/site.json records, in the order a reader meets it; every quotable part verbatim.
    static func siteText(_ site: SiteRecord) -> String {
        var out = ""
        for page in site.pages {
            guard out.count < maxSiteCharacters else { break }
            var part = "# Page \(page.url)\n"
            if !page.title.isEmpty { part += "Title: \(page.title)\n" }
            if !page.description.isEmpty { part += "Description: \(page.description)\n" }
            if !page.headings.isEmpty { part += "Headings:\n" + page.headings.map { "- \($0.text)" }.joined(separator: "\n") + "\n" }
            if !page.mainText.isEmpty { part += "Text:\n\(String(page.mainText.prefix(maxPageCharacters)))\n" }
            let lists = page.lists.filter { !$0.isEmpty }
            if !lists.isEmpty {
                part += "Lists:\n" + lists.map { $0.map { "- \($0)" }.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
            }
            out += String(part.prefix(maxSiteCharacters - out.count)) + "\n"
        }
        var facts: [String] = site.addresses.map { "Address: \($0)" }
        if let organization = site.organization {
            facts += [organization.name.map { "Name: \($0)" }, organization.description.map { "Description: \($0)" },
                      organization.address.map { "Address: \($0)" }].compactMap { $0 }
            facts += organization.areaServed.map { "Area served: \($0)" }
        }
        if !facts.isEmpty { out += "# Structured data on the site (quotable, name the home page)\n" + facts.joined(separator: "\n") + "\n" }
        return out
    }
}
