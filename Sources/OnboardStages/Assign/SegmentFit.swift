import Foundation

/// How well one lead fits one campaign's segment: its industry (named as the segment names it,
/// or written in words the taxonomy maps to it: 3; only the same industry group: 1) plus its
/// title (one of the segment's titles: 2; the same function, such as marketing: 1).
struct SegmentFit: Sendable {
    struct Score: Sendable, Equatable {
        var points: Int
        var reasons: [String]
    }

    let industries: [String]
    let titles: [String]
    private let industryEntries: [Taxonomy.Industry]
    private let groups: Set<String>
    private let titleEntries: [(name: String, entry: Taxonomy.Title?)]
    private let functions: Set<String>
    private let taxonomy: Taxonomy

    init(industries: [String], titles: [String], taxonomy: Taxonomy = .shared) {
        self.industries = industries
        self.titles = titles
        self.taxonomy = taxonomy
        industryEntries = industries.compactMap { name in taxonomy.industries.first { $0.name.caseInsensitiveCompare(name) == .orderedSame } }
        groups = Set(industryEntries.map(\.group).filter { !$0.isEmpty })
        titleEntries = titles.map { name in (name, taxonomy.titles.first { $0.title.caseInsensitiveCompare(name) == .orderedSame }) }
        functions = Set(titleEntries.compactMap { $0.entry?.function })
    }

    func score(industry: String, title: String) -> Score {
        var points = 0
        var reasons: [String] = []
        let lowerIndustry = DraftText.clean(industry).lowercased()
        if let named = industries.first(where: { $0.lowercased() == lowerIndustry })
            ?? industryEntries.first(where: { entry in entry.patterns.contains { !$0.matches(in: lowerIndustry).isEmpty } })?.name
        {
            points += 3
            reasons.append("industry \(named)")
        } else if let group = taxonomy.industries.first(where: { $0.name.lowercased() == lowerIndustry })?.group, groups.contains(group) {
            points += 1
            reasons.append("industry group \(group)")
        }
        let lowerTitle = " " + DraftText.clean(title).lowercased() + " "
        if let matched = titleEntries.first(where: { candidate in
            !Phrase(candidate.name.lowercased()).matches(in: lowerTitle).isEmpty
                || candidate.entry?.patterns.contains { !$0.matches(in: lowerTitle).isEmpty } == true
        }) {
            points += 2
            reasons.append("title \(matched.name)")
        } else if let function = taxonomy.titles.first(where: { entry in entry.patterns.contains { !$0.matches(in: lowerTitle).isEmpty } })?.function,
            functions.contains(function)
        {
            points += 1
            reasons.append("title function \(function)")
        }
        return Score(points: points, reasons: reasons)
    }
}
