import Foundation
import OnboardEngine

/// A lowercase phrase matched on word boundaries; a trailing `*` lets the last word run on
/// ("manufactur*" finds "manufacturing" and "manufacturers").
struct Phrase: Sendable, Hashable {
    let text: String
    let prefix: Bool

    init(_ pattern: String) {
        let lower = pattern.lowercased()
        prefix = lower.hasSuffix("*")
        text = prefix ? String(lower.dropLast()) : lower
    }

    /// Every match in `lower` (already lowercased), as ranges of the whole words matched.
    func matches(in lower: String) -> [Range<String.Index>] {
        guard !text.isEmpty else { return [] }
        var found: [Range<String.Index>] = []
        var searchStart = lower.startIndex
        while let range = lower.range(of: text, range: searchStart..<lower.endIndex) {
            searchStart = range.upperBound
            if range.lowerBound > lower.startIndex, Self.isWordCharacter(lower[lower.index(before: range.lowerBound)]) { continue }
            var end = range.upperBound
            if prefix {
                while end < lower.endIndex, Self.isWordCharacter(lower[end]) { end = lower.index(after: end) }
            } else if end < lower.endIndex, Self.isWordCharacter(lower[end]) {
                continue
            }
            found.append(range.lowerBound..<end)
        }
        return found
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }
}

/// The taxonomies that ship with the program (Resources/taxonomies): industries as lead databases
/// name them, buyer titles, company-size phrases and a gazetteer.
struct Taxonomy: Sendable {
    struct Industry: Sendable {
        let name: String
        let group: String
        let patterns: [Phrase]
        let excludes: [Phrase]
        /// Bare sector names ("marine") that name the industry only as an entry of a list of industries.
        let listNames: [Phrase]
    }

    struct Title: Sendable {
        let title: String
        let function: String
        let seniority: String
        let patterns: [Phrase]
    }

    struct SizePhrase: Sendable {
        let pattern: Phrase
        let ranges: [String]
    }

    struct Place: Sendable {
        enum Level: Int, Sendable { case area, country, region, city }
        let name: String
        let level: Level
        let country: String?
        /// Matched as written (case-sensitive), so "Mobile" the city is not "mobile" the word.
        let names: [String]
        /// The ISO code of a country or region ("AU", "AU-NSW"); nil for cities and areas.
        var code: String? = nil
        /// The aliases as the gazetteer writes them (lowercase), for matching folded names.
        var aliases: [String] = []
    }

    let industries: [Industry]
    let titles: [Title]
    let sizeRanges: [String]
    let sizes: [SizePhrase]
    let places: [Place]
    /// SHA-256 of each data file, for the stamp of every stage that uses them.
    let dataSHA256: [String: String]

    static let files = ["industries.json", "titles.json", "company_sizes.json", "places.json"]

    static let shared: Taxonomy = load()

    private static func load() -> Taxonomy {
        var documents: [String: JSONValue] = [:]
        var hashes: [String: String] = [:]
        for file in files {
            let data = BundledData.data("taxonomies/\(file)")
            hashes["taxonomies/\(file)"] = Digest.sha256(data)
            guard let document = try? JSONValue.parse(data) else {
                fatalError("the bundled taxonomy \(file) is not valid JSON; reinstall onboard")
            }
            documents[file] = document
        }
        let industries = (documents["industries.json"]?["industries"]?.arrayValue ?? []).compactMap { entry -> Industry? in
            guard let name = entry["name"]?.stringValue else { return nil }
            return Industry(
                name: name, group: entry["group"]?.stringValue ?? "",
                patterns: strings(entry["patterns"]).map(Phrase.init), excludes: strings(entry["exclude"]).map(Phrase.init),
                listNames: strings(entry["list_names"]).map(Phrase.init))
        }
        let titles = (documents["titles.json"]?["titles"]?.arrayValue ?? []).compactMap { entry -> Title? in
            guard let title = entry["title"]?.stringValue else { return nil }
            return Title(
                title: title, function: entry["function"]?.stringValue ?? "", seniority: entry["seniority"]?.stringValue ?? "",
                patterns: strings(entry["patterns"]).map(Phrase.init))
        }
        let sizeDocument = documents["company_sizes.json"]
        let sizes = (sizeDocument?["phrases"]?.arrayValue ?? []).compactMap { entry -> SizePhrase? in
            guard let pattern = entry["pattern"]?.stringValue else { return nil }
            return SizePhrase(pattern: Phrase(pattern), ranges: strings(entry["ranges"]))
        }
        var places: [Place] = []
        let gazetteer = documents["places.json"]
        func place(_ entry: JSONValue, _ level: Place.Level, country: String?, code: String? = nil) -> Place? {
            guard let name = entry["name"]?.stringValue else { return nil }
            let aliases = strings(entry["aliases"])
            return Place(name: name, level: level, country: country, names: [name] + capitalised(aliases), code: code, aliases: aliases)
        }
        for entry in gazetteer?["countries"]?.arrayValue ?? [] {
            if let found = place(entry, .country, country: entry["code"]?.stringValue, code: entry["code"]?.stringValue) { places.append(found) }
        }
        for entry in gazetteer?["regions"]?.arrayValue ?? [] {
            if let found = place(entry, .region, country: entry["country"]?.stringValue, code: entry["code"]?.stringValue) { places.append(found) }
        }
        for entry in gazetteer?["cities"]?.arrayValue ?? [] {
            if let found = place(entry, .city, country: entry["country"]?.stringValue) { places.append(found) }
        }
        for entry in gazetteer?["areas"]?.arrayValue ?? [] {
            if let found = place(entry, .area, country: entry["country"]?.stringValue) { places.append(found) }
        }
        return Taxonomy(
            industries: industries, titles: titles, sizeRanges: strings(sizeDocument?["ranges"]), sizes: sizes, places: places,
            dataSHA256: hashes)
    }

    private static func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// Aliases are stored lowercase; places are matched as people write them, capitalised
    /// ("the midwest" → "The Midwest" is too strict, so only the first letter of each word).
    private static func capitalised(_ aliases: [String]) -> [String] {
        aliases.flatMap { alias -> [String] in
            let words = alias.split(separator: " ").map { word -> String in
                guard let first = word.first else { return "" }
                return first.uppercased() + word.dropFirst()
            }
            let title = words.joined(separator: " ")
            // Abbreviations such as "usa" or "u.s." are written in capitals.
            return alias.count <= 4 ? [title, alias.uppercased()] : [title]
        }
    }
}
