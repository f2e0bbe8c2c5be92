import Foundation

/// Where the company's customers are: places named where the site says it serves or works, its
/// JSON-LD areaServed, and (weakly) where it is based.
struct LocationReader {
    let pieces: [TextPiece]
    let site: SiteRecord
    let taxonomy: Taxonomy

    func read() -> [ICPItem] {
        var found: [String: (place: Taxonomy.Place, weight: Double, evidence: [Evidence], order: Int)] = [:]
        var order = 0
        func note(_ place: Taxonomy.Place, _ weight: Double, _ evidence: Evidence?) {
            var entry = found[place.name] ?? (place, 0, [], order)
            order += 1
            entry.weight += weight
            if let evidence, entry.evidence.count < 3, !entry.evidence.contains(evidence) { entry.evidence.append(evidence) }
            found[place.name] = entry
        }
        for piece in pieces where !piece.page.contains(.careers) && !piece.page.contains(.team) {
            for place in taxonomy.places {
                guard let range = Self.firstMatch(place, in: piece.text) else { continue }
                let cued = Cues.any(Cues.location, in: piece.lower) || Cues.any(Cues.locationSection, in: piece.section)
                    || piece.page.contains(.areas)
                var weight: Double = cued ? 3 : 0.75
                if piece.page.contains(.contact) && !cued { weight = 0.5 }
                if piece.kind == .title || piece.kind == .description { weight *= 1.5 }
                note(place, weight, RuleBasedExtractor.evidence(piece, range: range))
            }
        }
        // Counties are too many for the gazetteer, but "Polk County" names itself.
        for piece in pieces where !piece.page.contains(.careers) && !piece.page.contains(.team) {
            let cued = Cues.any(Cues.location, in: piece.lower) || Cues.any(Cues.locationSection, in: piece.section)
                || piece.page.contains(.areas)
            for (name, range) in Self.counties(in: piece.text) {
                let place = Taxonomy.Place(name: name, level: .region, country: nil, names: [name])
                var weight: Double = cued ? 3 : 0.75
                if piece.kind == .title || piece.kind == .description { weight *= 1.5 }
                note(place, weight, RuleBasedExtractor.evidence(piece, range: range))
            }
        }
        for area in site.organization?.areaServed ?? [] {
            for place in taxonomy.places where place.names.contains(where: { $0.caseInsensitiveCompare(area) == .orderedSame }) {
                let piece = pieces.first { Self.firstMatch(place, in: $0.text) != nil }
                note(place, 4, piece.flatMap { piece in Self.firstMatch(place, in: piece.text).map { RuleBasedExtractor.evidence(piece, range: $0) } })
            }
        }
        if let address = site.organization?.address ?? site.addresses.first {
            for place in taxonomy.places where place.level != .city || found[place.name] != nil {
                guard Self.firstMatch(place, in: address) != nil else { continue }
                note(place, 1, SiteText.isQuotable(address) ? Evidence(url: site.pages.first?.url ?? "", quote: address, inferred: false) : nil)
            }
        }
        // The site's own country: its JSON-LD's, else that of the place it names most.
        let home = site.organization?.country.flatMap(SiteReader.countryCode)
            ?? found.values.filter { $0.place.country != nil && $0.weight >= 2.5 }.max { $0.weight < $1.weight }?.place.country
        // "Nationwide" is the home country, in the site's words.
        if let home, let country = taxonomy.places.first(where: { $0.level == .country && $0.country == home }) {
            for piece in pieces {
                guard let range = ["nationwide", "across the country", "coast to coast", "all 50 states"]
                    .lazy.compactMap({ piece.lower.range(of: $0) }).first
                else { continue }
                // Saying it works nationwide is the plainest statement of coverage a site makes.
                note(country, 5, RuleBasedExtractor.evidence(piece, range: range))
            }
        }
        // Towns named like far-away cities ("Dundee" in Florida): a city or region outside the
        // site's own country counts only when the site says plainly that it works there.
        let accepted = found.values.filter { entry in
            guard entry.weight >= 2.5, !entry.evidence.isEmpty else { return false }
            if let home, let country = entry.place.country, entry.place.level == .city || entry.place.level == .region,
                country != home
            {
                return entry.weight >= 9
            }
            return true
        }
        return accepted.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order }.prefix(8).map {
            ICPItem(value: $0.place.name, confidence: RuleBasedExtractor.confidence($0.weight), evidence: $0.evidence)
        }
    }

    /// Compiled once: counties are looked for in every piece of every page.
    private static let countyName = try? NSRegularExpression(pattern: #"\b((?:St\. )?[A-Z][a-z]+(?: [A-Z][a-z]+)?) County\b"#)

    /// "Polk County", "St. Lucie County": one or two capitalised words before "County", with
    /// their ranges in the lowercased text (same positions as in the text).
    static func counties(in text: String) -> [(String, Range<String.Index>)] {
        guard let expression = countyName else { return [] }
        let lower = text.lowercased()
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let range = Range(match.range, in: text), let name = Range(match.range(at: 1), in: text) else { return nil }
            let words = text[name].split(separator: " ")
            // "Serving Polk County": a cue word is not part of the name.
            let skip: Set<Substring> = ["In", "The", "Across", "Serving", "From", "Throughout", "And", "Of", "For", "To", "All", "Our", "Near"]
            let kept = words.drop { skip.contains($0) }
            guard !kept.isEmpty else { return nil }
            let value = kept.joined(separator: " ") + " County"
            // Lowercasing may change the length of text before the match: search from no later than its place.
            let offset = text.distance(from: text.startIndex, to: range.lowerBound)
            let start = lower.index(lower.startIndex, offsetBy: offset, limitedBy: lower.endIndex) ?? lower.startIndex
            guard let lowerRange = lower.range(of: value.lowercased(), range: start..<lower.endIndex)
                ?? lower.range(of: value.lowercased())
            else { return nil }
            return (value, lowerRange)
        }
    }

    /// A place name as written (case-sensitive), on word boundaries.
    static func firstMatch(_ place: Taxonomy.Place, in text: String) -> Range<String.Index>? {
        // Named areas ("across the globe", "the Midwest") are never ordinary words: any case will do.
        let options: String.CompareOptions = place.level == .area ? [.caseInsensitive] : []
        for name in place.names where name.count >= 2 {
            var start = text.startIndex
            while let range = text.range(of: name, options: options, range: start..<text.endIndex) {
                start = range.upperBound
                let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
                let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
                guard !Phrase.isWordCharacter(before), !Phrase.isWordCharacter(after) else { continue }
                // Part of a longer name ("Lake Wales", "New South Wales")? Then it is not this place.
                let previousWord = text[..<range.lowerBound].split(separator: " ").last
                if place.level != .area, before == " ", let previousWord, let first = previousWord.first, first.isUppercase,
                    !previousWord.hasSuffix("."), !previousWord.hasSuffix(","), !["In", "The", "Across", "Serving", "From", "Throughout", "And", "Of", "For", "To"].contains(String(previousWord))
                {
                    continue
                }
                return range
            }
        }
        return nil
    }
}
