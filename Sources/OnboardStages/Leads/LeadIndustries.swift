import Foundation
import OnboardEngine

/// Industry names as lead databases write them, mapped to the industry taxonomy: the taxonomy's own
/// names (LinkedIn's, which Apollo writes in lowercase), other names databases use
/// (leads/industry_aliases.json) and the taxonomy's customer words ("dental practices").
struct LeadIndustries: Sendable {
    /// Folded name → taxonomy industry name.
    private var names: [String: String] = [:]
    let taxonomy: Taxonomy
    let dataSHA256: [String: String]

    static let shared = LeadIndustries(taxonomy: .shared)

    init(taxonomy: Taxonomy) {
        self.taxonomy = taxonomy
        let aliasData = BundledData.data("leads/industry_aliases.json")
        dataSHA256 = ["leads/industry_aliases.json": Digest.sha256(aliasData)]
        guard let aliases = try? JSONValue.parse(aliasData)["aliases"]?.objectValue else {
            fatalError("the bundled leads/industry_aliases.json is not valid JSON; reinstall onboard")
        }
        // Names first, then aliases, then customer words: a more specific source is never overridden.
        for industry in taxonomy.industries { names[LeadKeys.fold(industry.name)] = industry.name }
        for (alias, target) in aliases.sorted(by: { $0.key < $1.key }) {
            if let target = target.stringValue, names[LeadKeys.fold(alias)] == nil { names[LeadKeys.fold(alias)] = target }
        }
        for industry in taxonomy.industries {
            for pattern in industry.patterns where !pattern.prefix {
                let key = LeadKeys.fold(pattern.text)
                if names[key] == nil { names[key] = industry.name }
            }
        }
    }

    /// The taxonomy industry a lead's folded `Industry` names, if any.
    func industry(forKey key: String) -> String? { names[key] }

    /// The taxonomy industries an ICP value means: its name or alias, else every industry whose
    /// customer words it contains ("Independent dental practices" → Dentists).
    func industries(forICPValue value: String) -> [String] {
        if let name = names[LeadKeys.fold(value)] { return [name] }
        let lower = value.lowercased()
        return taxonomy.industries.filter { industry in
            industry.patterns.contains { !$0.matches(in: lower).isEmpty }
                && !industry.excludes.contains { !$0.matches(in: lower).isEmpty }
        }.map(\.name)
    }
}
