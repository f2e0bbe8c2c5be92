import Foundation
import OnboardEngine
import OnboardWeb

/// A model's ICP checked the way our own is: the shape of `record_icp.schema.json` first (a
/// missing field or a wrong type makes the whole answer unusable, never a half-filled ICP), then
/// the evidence rule. An item none of whose quotes is found on the page it names is dropped, as
/// the rule-based extractor's are; an answer that loses more than half its items that way is
/// not trusted at all.
enum ICPAnswer {
    static let maxItemsPerField = 25
    static let maxValueLength = 300

    struct Checked: Sendable {
        let document: ICPDocument
        /// Items dropped because none of their quotes is on the page they name.
        let dropped: Int
        let total: Int
    }

    static func check(_ answer: JSONValue, site: SiteRecord) throws(ProviderProblem) -> Checked {
        let document = pointingAtPages(try read(answer), site: site)
        let all = items(of: document)
        guard !all.isEmpty else { throw ProviderProblem(.unusable, "the answer holds no ICP item at all") }
        let verified = EvidenceCheck(site: site).verified(document)
        let kept = items(of: verified).count
        let dropped = all.count - kept
        if kept == 0 || dropped * 2 > all.count {
            throw ProviderProblem(
                .unusable, "\(dropped) of the answer's \(all.count) items quote words that are not on the pages they name")
        }
        return Checked(document: verified, dropped: dropped, total: all.count)
    }

    /// Models write a page's address the way people do (no trailing slash, upper-case host, a
    /// fragment); the evidence names the page exactly as parse/site.json records it, or stays as
    /// given and fails the check.
    static func pointingAtPages(_ document: ICPDocument, site: SiteRecord) -> ICPDocument {
        var pages: [String: String] = [:]
        for page in site.pages { pages[pageKey(page.url)] = pages[pageKey(page.url)] ?? page.url }
        func fix(_ item: ICPItem) -> ICPItem {
            var copy = item
            copy.evidence = item.evidence.map { evidence in
                var moved = evidence
                if !site.pages.contains(where: { $0.url == evidence.url }), let page = pages[pageKey(evidence.url)] { moved.url = page }
                return moved
            }
            return copy
        }
        return ICPDocument(
            companyDescription: document.companyDescription.map(fix), valueProposition: document.valueProposition.map(fix),
            servicesOffered: document.servicesOffered.map(fix), icpIndustries: document.icpIndustries.map(fix),
            icpTitles: document.icpTitles.map(fix), icpCompanySizes: document.icpCompanySizes.map(fix),
            icpLocations: document.icpLocations.map(fix), icpPainPoints: document.icpPainPoints.map(fix))
    }

    static func pageKey(_ url: String) -> String {
        guard var components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)) else { return url }
        components.fragment = nil
        components.scheme = components.scheme?.lowercased()
        components.host = components.host?.lowercased()
        if components.path.isEmpty { components.path = "/" }
        if components.path.count > 1, components.path.hasSuffix("/") { components.path.removeLast() }
        return components.string ?? url
    }

    static func items(of document: ICPDocument) -> [ICPItem] {
        [document.companyDescription, document.valueProposition].compactMap { $0 } + document.servicesOffered
            + document.icpIndustries + document.icpTitles + document.icpCompanySizes + document.icpLocations
            + document.icpPainPoints
    }

    /// The answer as an ICP, or the first place where it leaves the schema (a JSON path).
    static func read(_ answer: JSONValue) throws(ProviderProblem) -> ICPDocument {
        guard let members = answer.objectValue else { throw invalid("$", "must be an object, not \(answer.typeName)") }
        let known = Set(ICPEdit.singleFields + ICPDocument.listFields)
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw invalid("$.\(unknown)", "is not an ICP field")
        }
        for field in ICPEdit.singleFields + ICPDocument.listFields where members[field] == nil {
            throw invalid("$.\(field)", "is missing")
        }
        func single(_ field: String) throws(ProviderProblem) -> ICPItem? {
            let value = members[field]!
            return value.isNull ? nil : try item(value, path: "$.\(field)")
        }
        func list(_ field: String) throws(ProviderProblem) -> [ICPItem] {
            let path = "$.\(field)"
            guard let entries = members[field]!.arrayValue else {
                throw invalid(path, "must be a list, not \(members[field]!.typeName)")
            }
            guard entries.count <= maxItemsPerField else { throw invalid(path, "has \(entries.count) items, more than \(maxItemsPerField)") }
            var result: [ICPItem] = []
            var seen: Set<String> = []
            for (index, entry) in entries.enumerated() {
                let parsed = try item(entry, path: "\(path)[\(index)]")
                // The same value twice in one field says nothing new.
                if seen.insert(parsed.value.lowercased()).inserted { result.append(parsed) }
            }
            return result
        }
        return ICPDocument(
            companyDescription: try single("company_description"), valueProposition: try single("value_proposition"),
            servicesOffered: try list("services_offered"), icpIndustries: try list("icp_industries"),
            icpTitles: try list("icp_titles"), icpCompanySizes: try list("icp_company_sizes"),
            icpLocations: try list("icp_locations"), icpPainPoints: try list("icp_pain_points"))
    }

    private static func item(_ value: JSONValue, path: String) throws(ProviderProblem) -> ICPItem {
        guard let members = value.objectValue else { throw invalid(path, "must be an item object, not \(value.typeName)") }
        if let unknown = members.keys.sorted().first(where: { !["value", "confidence", "evidence"].contains($0) }) {
            throw invalid("\(path).\(unknown)", "is not a key of an item (value, confidence, evidence)")
        }
        guard let raw = members["value"]?.stringValue else { throw invalid("\(path).value", "must be a string") }
        let text = TextNormaliser.collapse(raw)
        guard !text.isEmpty, text.count <= maxValueLength else {
            throw invalid("\(path).value", "must be 1 to \(maxValueLength) characters")
        }
        guard let confidence = members["confidence"]?.intValue, (0...100).contains(confidence) else {
            throw invalid("\(path).confidence", "must be a whole number from 0 to 100")
        }
        guard let entries = members["evidence"]?.arrayValue, !entries.isEmpty else {
            throw invalid("\(path).evidence", "must be a non-empty list")
        }
        var evidence: [Evidence] = []
        for (index, entry) in entries.enumerated() {
            let at = "\(path).evidence[\(index)]"
            guard let url = entry["url"]?.stringValue, let quote = entry["quote"]?.stringValue else {
                throw invalid(at, "must have a url and a quote, both strings")
            }
            let inferred = entry["inferred"] ?? false
            guard let flag = inferred.boolValue else { throw invalid("\(at).inferred", "must be true or false") }
            evidence.append(Evidence(url: url, quote: TextNormaliser.collapse(quote), inferred: flag))
        }
        return ICPItem(value: text, confidence: Int(confidence), evidence: evidence)
    }

    private static func invalid(_ path: String, _ message: String) -> ProviderProblem {
        ProviderProblem(.unusable, "the answer does not fit the ICP schema: \(path) \(message)")
    }
}
