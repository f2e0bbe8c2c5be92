import Foundation

/// The industries a site lists itself: the entries of an "Industries we serve" section (sibling
/// headings, list items) or of a comma-separated sentence that announces industries. A reader
/// takes such a list whole and in the site's own words ("Oil & Gas", "Logistics & Warehousing"),
/// however bare the names are, where running text needs fuller phrases ("logistics companies").
struct IndustryListReader {
    let pieces: [TextPiece]
    let taxonomy: Taxonomy

    /// One entry of a list, with the taxonomy industry it names.
    struct Entry {
        let value: String
        /// Every taxonomy industry the entry names ("Banking & Finance": two).
        let industries: [String]
        let evidence: Evidence
    }

    /// Headings that announce a list of the customers' industries.
    static let sectionCues = [
        "industr", "sectors", "verticals", "who we serve", "who we help", "who we work with", "markets we serve",
        "clients we serve", "businesses we serve", "we work across",
    ]

    /// Head nouns that a list of industries drops ("Logistics" for "logistics companies").
    static let headNouns: Set<String> = [
        "companies", "company", "firms", "firm", "businesses", "business", "industry", "industries", "sector", "sectors",
        "organizations", "organisations", "brands", "providers", "provider", "operators", "agencies", "groups",
        "startups", "vendors", "professionals",
    ]

    /// A list is a list of industries when this many of its entries name one.
    static let minimumNamed = 3

    func read() -> [Entry] {
        var groups: [[(text: String, piece: TextPiece, range: Range<String.Index>?)]] = []
        var open: [String: Int] = [:]
        // The headings that follow an announcing heading at one level, as cards of a grid do.
        var run: (url: String, group: Int, level: Int?)?
        for piece in pieces where !piece.page.contains(.careers) {
            if piece.kind == .heading {
                if let current = run, current.url == piece.url, current.level == nil || current.level == piece.level {
                    run?.level = piece.level
                    groups[current.group].append((piece.text, piece, nil))
                    continue
                }
                run = nil
                if Cues.any(Self.sectionCues, in: piece.lower) {
                    run = (piece.url, groups.count, nil)
                    groups.append([])
                }
                continue
            }
            switch piece.kind {
            case .listItem:
                guard Cues.any(Self.sectionCues, in: piece.section) else { continue }
                let key = piece.url + "\u{1}" + piece.section
                if let index = open[key] {
                    groups[index].append((piece.text, piece, nil))
                } else {
                    open[key] = groups.count
                    groups.append([(piece.text, piece, nil)])
                }
            case .line:
                guard Cues.any(Self.sectionCues, in: piece.section) || Cues.any(Self.sectionCues, in: piece.lower) else { continue }
                let parts = Self.commaEntries(piece.text)
                guard parts.count >= 4 else { continue }
                groups.append(parts.map { ($0.text, piece, $0.range) })
            default:
                continue
            }
        }
        var entries: [Entry] = []
        var seen: Set<String> = []
        for group in groups {
            let named = group.compactMap { candidate -> Entry? in
                let names = industries(named: candidate.text)
                guard !names.isEmpty else { return nil }
                let value = candidate.text.trimmingCharacters(in: CharacterSet(charactersIn: " .:;,!"))
                let evidence: Evidence
                if let range = candidate.range {
                    evidence = Evidence(url: candidate.piece.url, quote: SiteText.quote(candidate.piece.text, around: range), inferred: false)
                } else {
                    evidence = Evidence(url: candidate.piece.url, quote: candidate.piece.quoteText, inferred: false)
                }
                return Entry(value: RuleBasedExtractor.displayName(value), industries: names, evidence: evidence)
            }
            guard named.count >= Self.minimumNamed else { continue }
            for entry in named where seen.insert(entry.value.lowercased()).inserted { entries.append(entry) }
        }
        return entries
    }

    /// The taxonomy industry an entry names: a short name, matched by the industry's phrases or
    /// by their bare forms, and by none of its exclusions.
    func industries(named text: String) -> [String] {
        let lower = text.lowercased()
        let words = lower.split(whereSeparator: { $0 == " " || $0 == "/" })
        guard (1...5).contains(words.count), text.count <= 50, !text.hasSuffix("?") else { return [] }
        let sentenceWords: Set<Substring> = ["we", "our", "you", "your", "is", "are", "how", "why", "what"]
        guard !words.contains(where: sentenceWords.contains) else { return [] }
        return taxonomy.industries.filter { industry in
            if industry.excludes.contains(where: { !$0.matches(in: lower).isEmpty }) { return false }
            let patterns = industry.patterns + industry.patterns.compactMap(Self.bare) + industry.listNames
            return patterns.contains { !$0.matches(in: lower).isEmpty }
        }.map(\.name)
    }

    /// "logistics companies" → "logistics"; nil when nothing distinctive is left.
    static func bare(_ phrase: Phrase) -> Phrase? {
        guard !phrase.prefix else { return nil }
        var words = phrase.text.split(separator: " ")
        guard words.count >= 2, let last = words.last, headNouns.contains(String(last)) else { return nil }
        words.removeLast()
        let rest = words.joined(separator: " ")
        guard rest.count >= 4 else { return nil }
        return Phrase(rest)
    }

    /// "Aviation, Aerospace, Medical equipment, …, and so on." → its entries, each with its range
    /// in the lowercased text; empty unless the sentence is a list.
    static func commaEntries(_ text: String) -> [(text: String, range: Range<String.Index>)] {
        var result: [(String, Range<String.Index>)] = []
        var start = text.startIndex
        var index = text.startIndex
        func close(_ end: String.Index) {
            var piece = String(text[start..<end])
            var from = start
            // "We serve many industries: shipbuilding": the first entry starts after the colon.
            if let colon = piece.range(of: ": ", options: .backwards) {
                from = text.index(from, offsetBy: piece.distance(from: piece.startIndex, to: colon.upperBound))
                piece = String(piece[colon.upperBound...])
            }
            // Leading spaces and a final "and"/"or" are not part of the entry's name.
            while piece.first == " " { piece.removeFirst(); from = text.index(after: from) }
            for joiner in ["and ", "or ", "& "] where piece.lowercased().hasPrefix(joiner) {
                piece.removeFirst(joiner.count)
                from = text.index(from, offsetBy: joiner.count)
            }
            // "warehouse facilities — heavier scopes": the name ends at the dash.
            for dash in [" — ", " – ", " - "] { if let cut = piece.range(of: dash) { piece = String(piece[..<cut.lowerBound]) } }
            // Only the end is trimmed here, so that the entry still starts where `from` says.
            while let last = piece.last, " .:;!".contains(last) { piece.removeLast() }
            guard !piece.isEmpty, !piece.hasPrefix("."), !["so on", "more", "others", "etc", "many more"].contains(piece.lowercased()) else { return }
            let to = text.index(from, offsetBy: piece.count)
            result.append((piece, from..<to))
        }
        while index < text.endIndex {
            if text[index] == "," {
                close(index)
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        close(text.endIndex)
        return result.filter { $0.0.split(separator: " ").count <= 5 && !$0.0.contains(":") }
    }
}
