import Foundation

/// The offline extractor: reads the site the way a reviewer would (who-we-serve sections, service
/// pages, hero, testimonials, JSON-LD) and gives every ICP item the quote it rests on. Deterministic:
/// the same site.json always gives the same ICP.
struct RuleBasedExtractor {
    let taxonomy: Taxonomy
    let site: SiteRecord
    let pieces: [TextPiece]

    init(site: SiteRecord, taxonomy: Taxonomy = .shared) {
        self.site = site
        self.taxonomy = taxonomy
        self.pieces = SiteText.pieces(site)
    }

    func extract() -> ICPDocument {
        let services = ServiceReader(pieces: pieces, titles: site.pages.map(\.title)).read()
        let industries = industriesServed()
        let titleItems = titles()
        return ICPDocument(
            companyDescription: companyDescription(), valueProposition: valueProposition(),
            servicesOffered: services, icpIndustries: industries, icpTitles: titleItems,
            icpCompanySizes: companySizes(), icpLocations: LocationReader(pieces: pieces, site: site, taxonomy: taxonomy).read(),
            icpPainPoints: painPoints())
    }

    // MARK: industries

    func industriesServed() -> [ICPItem] {
        // The site's own list, whole and in its words, comes first.
        let listed = IndustryListReader(pieces: pieces, taxonomy: taxonomy).read().prefix(Self.listedIndustryLimit)
        let covered = Set(listed.flatMap(\.industries))
        let items = listed.map { ICPItem(value: $0.value, confidence: 85, evidence: [$0.evidence]) }
        var scored: [(Taxonomy.Industry, Double, [String: Int], [Evidence], Int)] = []
        for (order, industry) in taxonomy.industries.enumerated() where !covered.contains(industry.name) {
            var weight = 0.0
            var phrases: [String: Int] = [:]
            var evidence: [Evidence] = []
            var seenPieces: Set<String> = []
            for piece in pieces where !piece.page.contains(.careers) && !Self.isKeywordList(piece) {
                var best: Range<String.Index>?
                for pattern in industry.patterns {
                    if let range = pattern.matches(in: piece.lower).first { best = best ?? range }
                }
                guard let range = best else { continue }
                if industry.excludes.contains(where: { !$0.matches(in: piece.lower).isEmpty }) { continue }
                let key = piece.url + "|" + piece.text
                guard seenPieces.insert(key).inserted else { continue }
                let cued = Cues.any(Cues.audience, in: piece.lower) || Cues.any(Cues.audienceSection, in: piece.section)
                    || piece.page.contains(.audience)
                if !cued, Cues.any(Cues.selfDescription, in: piece.lower) { continue }
                var pieceWeight: Double = piece.kind == .heading || piece.kind == .listItem ? 1.5 : 1
                if cued { pieceWeight *= 3 }
                weight += pieceWeight
                let phrase = String(piece.lower[range])
                phrases[phrase, default: 0] += cued ? 3 : 1
                if evidence.count < 3 { evidence.append(Self.evidence(piece, range: range)) }
            }
            // One plain sentence is not enough: a cued heading or list item, or more than one mention.
            if weight > 3.5 { scored.append((industry, weight, phrases, evidence, order)) }
        }
        // Beside a list of its own, a site's passing mentions add only what it stresses.
        if !listed.isEmpty { scored = scored.filter { $0.1 >= 9 } }
        let room = listed.isEmpty ? 8 : 3
        return items + scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.4 < $1.4 }.prefix(room).map { industry, weight, phrases, evidence, _ in
            let phrase = phrases.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? industry.name
            return ICPItem(value: Self.displayName(phrase), confidence: Self.confidence(weight), evidence: evidence)
        }
    }

    /// Enough for the longest list a site gives of the industries it serves.
    static let listedIndustryLimit = 24

    /// A title or description stuffed with search keywords ("Industries Services In Charlotte,
    /// Top Industries Consulting Firms, …") says nothing about who the customers are.
    static func isKeywordList(_ piece: TextPiece) -> Bool {
        guard piece.kind == .title || piece.kind == .description else { return false }
        return piece.text.split(separator: ",").count > 6 || piece.text.split(separator: " ").count > 40
    }

    // MARK: titles

    /// The site is a recruiter's: its home page's title or description says so.
    var isRecruiter: Bool {
        guard let home = site.pages.first else { return false }
        let words = (home.title + " " + home.description).lowercased()
        return ["recruit", "talent acquisition", "executive search", "headhunt"].contains { words.contains($0) }
    }

    func titles() -> [ICPItem] {
        var results: [(String, Double, [Evidence], Int)] = []
        let recruiter = isRecruiter
        for (order, title) in taxonomy.titles.enumerated() {
            var weight = 0.0
            var evidence: [Evidence] = []
            var phrases: [String: Int] = [:]
            // A recruiter's pages name the roles it fills on every line; in its own words only the
            // people who hire (HR, talent acquisition) are its buyers, the rest come from testimonials.
            let readText = !recruiter || title.function == "hr"
            for piece in pieces where readText && !piece.page.contains(.careers) && !piece.page.contains(.team) {
                guard let range = title.patterns.lazy.compactMap({ $0.matches(in: piece.lower).first }).first else { continue }
                // The title's own words ("hiring managers") do not make the sentence one about jobs.
                var rest = piece.lower
                rest.replaceSubrange(range, with: " ")
                if Cues.any(Cues.placement, in: rest) || Cues.any(Cues.ownStaff, in: rest) { continue }
                let cued = Cues.any(Cues.audience, in: piece.lower) || Cues.any(Cues.audienceSection, in: piece.section)
                    || piece.page.contains(.audience)
                guard cued else { continue }
                weight += 3
                phrases[String(piece.lower[range]), default: 0] += 1
                if evidence.count < 3 { evidence.append(Self.evidence(piece, range: range)) }
            }
            // A title in a testimonial's signature: a buyer, though the site does not say it targets them.
            for testimonial in site.testimonials {
                guard let signature = testimonial.title?.lowercased(),
                    title.patterns.contains(where: { !$0.matches(in: signature).isEmpty }),
                    let piece = pieces.first(where: { $0.url == testimonial.url && $0.text.contains(testimonial.title ?? "\u{0}") })
                        ?? pieces.first(where: { $0.text.contains(testimonial.title ?? "\u{0}") })
                else { continue }
                weight += 1.5
                if evidence.count < 3, let range = piece.text.range(of: testimonial.title ?? "") {
                    evidence.append(Self.evidence(piece, range: range))
                }
            }
            // The site's own words name the buyer best ("practice owners"); a signature gives the title itself.
            let phrase = phrases.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
            if weight >= 1.5, !evidence.isEmpty { results.append((phrase.map(Self.displayName) ?? title.title, weight, evidence, order)) }
        }
        return results.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.3 < $1.3 }.prefix(6).map {
            ICPItem(value: $0.0, confidence: Self.confidence($0.1), evidence: $0.2)
        }
    }

    // MARK: sizes

    func companySizes() -> [ICPItem] {
        var byRange: [String: (Double, [Evidence])] = [:]
        for piece in pieces where !piece.page.contains(.careers) {
            for size in taxonomy.sizes {
                guard let range = size.pattern.matches(in: piece.lower).first else { continue }
                for bucket in size.ranges {
                    var entry = byRange[bucket] ?? (0, [])
                    entry.0 += Cues.any(Cues.audience, in: piece.lower) ? 3 : 1
                    if entry.1.count < 2 { entry.1.append(Self.evidence(piece, range: range)) }
                    byRange[bucket] = entry
                }
            }
            for (range, buckets) in Self.numericSizes(piece.lower) {
                for bucket in buckets {
                    var entry = byRange[bucket] ?? (0, [])
                    entry.0 += 3
                    if entry.1.count < 2 { entry.1.append(Self.evidence(piece, range: range)) }
                    byRange[bucket] = entry
                }
            }
        }
        return taxonomy.sizeRanges.compactMap { bucket in
            guard let (weight, evidence) = byRange[bucket], !evidence.isEmpty else { return nil }
            return ICPItem(value: bucket, confidence: Self.confidence(weight), evidence: evidence)
        }
    }

    /// "5 to 50 staff", "between 20 and 200 employees" → the lead-database ranges they overlap.
    static func numericSizes(_ lower: String) -> [(Range<String.Index>, [String])] {
        guard let expression = try? NSRegularExpression(
            pattern: #"(?:between\s+)?(\d{1,6})\+?\s*(?:to|-|–|and)\s*(\d{1,6})\+?\s*(?:employees|staff|people|team members|workers|providers)"#)
        else { return [] }
        let bounds: [(String, Int, Int)] = [
            ("1-10", 1, 10), ("11-50", 11, 50), ("51-200", 51, 200), ("201-500", 201, 500), ("501-1000", 501, 1000),
            ("1001-5000", 1001, 5000), ("5001-10000", 5001, 10000), ("10001+", 10001, Int.max),
        ]
        var found: [(Range<String.Index>, [String])] = []
        for match in expression.matches(in: lower, range: NSRange(lower.startIndex..., in: lower)) {
            guard let range = Range(match.range, in: lower), let lowText = Range(match.range(at: 1), in: lower),
                let highText = Range(match.range(at: 2), in: lower), let low = Int(lower[lowText]), let high = Int(lower[highText]),
                low <= high
            else { continue }
            found.append((range, bounds.filter { $0.1 <= high && $0.2 >= low }.map(\.0)))
        }
        return found
    }

    // MARK: pain points, description, value proposition

    func painPoints() -> [ICPItem] {
        var items: [ICPItem] = []
        var seen: Set<String> = []
        let candidates = pieces.filter { piece in
            piece.kind != .title && piece.kind != .description && !piece.page.contains(.careers)
                && (Cues.any(Cues.pain, in: piece.lower) || (Cues.any(Cues.painSection, in: piece.section) && piece.kind == .listItem))
                && piece.text.split(separator: " ").count >= 3 && piece.text.count <= 220
                && !site.testimonials.contains { $0.quote.contains(piece.text) }
        }
        let ranked = candidates.enumerated().sorted { first, second in
            let a = (Cues.any(Cues.painSection, in: first.element.section) ? 2 : 0) + (first.element.kind == .listItem ? 1 : 0)
            let b = (Cues.any(Cues.painSection, in: second.element.section) ? 2 : 0) + (second.element.kind == .listItem ? 1 : 0)
            return a != b ? a > b : first.offset < second.offset
        }
        for (_, piece) in ranked where items.count < 5 {
            let value = piece.text.trimmingCharacters(in: CharacterSet(charactersIn: " .!"))
            guard seen.insert(value.lowercased()).inserted else { continue }
            let sectioned = Cues.any(Cues.painSection, in: piece.section)
            items.append(ICPItem(
                value: value, confidence: sectioned ? 75 : 55,
                evidence: [Evidence(url: piece.url, quote: piece.quoteText, inferred: false)]))
        }
        return items
    }

    func companyDescription() -> ICPItem? {
        if let description = site.organization?.description, SiteText.isQuotable(description) {
            return ICPItem(value: description, confidence: 85, evidence: [Evidence(url: site.pages.first?.url ?? "", quote: description, inferred: false)])
        }
        if let home = site.pages.first, SiteText.isQuotable(home.description) {
            return ICPItem(value: home.description, confidence: 75, evidence: [Evidence(url: home.url, quote: home.description, inferred: false)])
        }
        if let piece = pieces.first(where: { $0.pageIndex == 0 && $0.kind == .line && $0.text.split(separator: " ").count >= 10 }) {
            return ICPItem(value: piece.text, confidence: 55, evidence: [Evidence(url: piece.url, quote: piece.text, inferred: false)])
        }
        return nil
    }

    func valueProposition() -> ICPItem? {
        let home = pieces.filter { $0.pageIndex == 0 }
        if let heading = home.first(where: { $0.kind == .heading }), heading.text.split(separator: " ").count >= 3 {
            return ICPItem(value: heading.text, confidence: 70, evidence: [Evidence(url: heading.url, quote: heading.quoteText, inferred: false)])
        }
        if let page = site.pages.first, let og = page.openGraph["description"], SiteText.isQuotable(og), page.description == og {
            return ICPItem(value: og, confidence: 60, evidence: [Evidence(url: page.url, quote: og, inferred: false)])
        }
        return companyDescription().map { ICPItem(value: $0.value, confidence: 45, evidence: $0.evidence) }
    }

    // MARK: shared

    static func evidence(_ piece: TextPiece, range: Range<String.Index>, inferred: Bool = false) -> Evidence {
        if piece.quoteText != piece.text { return Evidence(url: piece.url, quote: piece.quoteText, inferred: inferred) }
        // Ranges found in the lowercased text map onto the text itself (same characters, same order).
        let start = piece.text.index(piece.text.startIndex, offsetBy: piece.lower.distance(from: piece.lower.startIndex, to: range.lowerBound), limitedBy: piece.text.endIndex) ?? piece.text.startIndex
        let end = piece.text.index(start, offsetBy: piece.lower.distance(from: range.lowerBound, to: range.upperBound), limitedBy: piece.text.endIndex) ?? piece.text.endIndex
        return Evidence(url: piece.url, quote: SiteText.quote(piece.text, around: start..<end), inferred: inferred)
    }

    static func confidence(_ weight: Double) -> Int { min(95, Int(30 + weight * 8)) }

    static func displayName(_ phrase: String) -> String {
        guard let first = phrase.first else { return phrase }
        return first.uppercased() + phrase.dropFirst()
    }
}
