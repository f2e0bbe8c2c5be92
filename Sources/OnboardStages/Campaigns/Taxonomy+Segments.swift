import Foundation

extension Taxonomy {
    /// The taxonomy industry an ICP value or a lead's `Industry` stands for: the one of that name,
    /// else the first whose words it is written in ("Dental" → Dentists), unless an exclusion holds.
    func segmentIndustry(for value: String) -> Industry? {
        let lower = DraftText.clean(value).lowercased()
        guard !lower.isEmpty else { return nil }
        if let named = industries.first(where: { $0.name.lowercased() == lower }) { return named }
        return industries.first { entry in
            entry.patterns.contains { !$0.matches(in: lower).isEmpty } && !entry.excludes.contains { !$0.matches(in: lower).isEmpty }
        }
    }

    /// The taxonomy title an ICP value or a lead's `Title` stands for, by name or by its words.
    func segmentTitle(for value: String) -> Title? {
        let lower = DraftText.clean(value).lowercased()
        guard !lower.isEmpty else { return nil }
        if let named = titles.first(where: { $0.title.lowercased() == lower }) { return named }
        return titles.first { entry in entry.patterns.contains { !$0.matches(in: lower).isEmpty } }
    }
}
