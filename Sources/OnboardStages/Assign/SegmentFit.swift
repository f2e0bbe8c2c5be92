import Foundation

/// How well one lead fits one campaign's segment: its industry (one of the segment's, by name,
/// through the taxonomy or as the lead database maps it: 3; only the same industry group: 1) plus its title (one of the
/// segment's, by its words or through the taxonomy: 2; the same function, such as marketing: 1).
struct SegmentFit: Sendable {
    struct Score: Sendable, Equatable {
        var points: Int
        var reasons: [String]
    }

    let industries: [String]
    let titles: [String]
    private let industryNames: [String: String]
    private let groups: Set<String>
    private let titleNames: [String: String]
    private let titlePhrases: [(Phrase, String)]
    private let functions: Set<String>
    private let taxonomy: Taxonomy
    /// The lead database's own industry check, limited to the segment's industries.
    private let leadFit: LeadFit

    init(industries: [String], titles: [String], taxonomy: Taxonomy = .shared) {
        self.industries = industries
        self.titles = titles
        self.taxonomy = taxonomy
        leadFit = LeadFit(industries: industries, locations: [])
        var industryNames: [String: String] = [:]
        var groups = Set<String>()
        for industry in industries {
            industryNames[DraftText.clean(industry).lowercased()] = industry
            if let entry = taxonomy.segmentIndustry(for: industry) {
                industryNames[entry.name.lowercased()] = industryNames[entry.name.lowercased()] ?? industry
                if !entry.group.isEmpty { groups.insert(entry.group) }
            }
        }
        self.industryNames = industryNames
        self.groups = groups
        var titleNames: [String: String] = [:]
        var functions = Set<String>()
        for title in titles {
            if let entry = taxonomy.segmentTitle(for: title) {
                titleNames[entry.title] = titleNames[entry.title] ?? title
                functions.insert(entry.function)
            }
        }
        self.titleNames = titleNames
        // A title is found in a lead's title by its own words, singular or plural ("Plant managers").
        titlePhrases = titles.flatMap { title -> [(Phrase, String)] in
            let lower = DraftText.clean(title).lowercased()
            let singular = lower.hasSuffix("s") ? String(lower.dropLast()) : lower
            return [(Phrase(lower), title), (Phrase(singular), title)]
        }
        self.functions = functions
    }

    /// A lead's industry as the fit reads it, looked up in the taxonomy once for all campaigns.
    struct Industry: Sendable {
        let lower: String
        let key: String
        let entry: Taxonomy.Industry?

        init(_ text: String, taxonomy: Taxonomy = .shared) {
            lower = DraftText.clean(text).lowercased()
            key = LeadKeys.fold(text)
            entry = taxonomy.segmentIndustry(for: text)
        }
    }

    /// A lead's title as the fit reads it.
    struct Title: Sendable {
        let lower: String
        let entry: Taxonomy.Title?

        init(_ text: String, taxonomy: Taxonomy = .shared) {
            lower = DraftText.clean(text).lowercased()
            entry = taxonomy.segmentTitle(for: text)
        }
    }

    func score(industry: String, title: String) -> Score {
        score(Industry(industry, taxonomy: taxonomy), Title(title, taxonomy: taxonomy))
    }

    func score(_ industry: Industry, _ title: Title) -> Score {
        var points = 0
        var reasons: [String] = []
        let entry = industry.entry
        if let named = industryNames[industry.lower] ?? entry.flatMap({ industryNames[$0.name.lowercased()] })
            ?? leadFit.industry(ofKey: industry.key).flatMap({ $0.isEmpty ? nil : $0 })
        {
            points += 3
            reasons.append("industry \(named)")
        } else if let group = entry?.group, groups.contains(group) {
            points += 1
            reasons.append("industry group \(group)")
        }
        let lowerTitle = title.lower
        let titleEntry = title.entry
        if let matched = titlePhrases.first(where: { !$0.0.matches(in: lowerTitle).isEmpty })?.1 ?? titleEntry.flatMap({ titleNames[$0.title] }) {
            points += 2
            reasons.append("title \(matched)")
        } else if let function = titleEntry?.function, functions.contains(function) {
            points += 1
            reasons.append("title function \(function)")
        }
        return Score(points: points, reasons: reasons)
    }
}
