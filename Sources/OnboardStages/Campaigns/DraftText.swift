import Foundation

/// How words from the ICP are set into a drafted message.
enum DraftText {
    /// Whitespace collapsed, and template marks taken out, so a value a reviewer typed can never
    /// become a personalisation variable or a slot of its own.
    static func clean(_ text: String) -> String {
        var result = text
        for mark in ["{{", "}}", "[[", "]]"] { result = result.replacingOccurrences(of: mark, with: " ") }
        return result.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// A phrase to set inside a sentence: no closing full stop, a leading capital dropped unless
    /// the first word is an acronym or a name-like single capital ("AI", "HVAC").
    static func inline(_ text: String) -> String {
        var phrase = clean(text)
        while let last = phrase.last, ".!;:".contains(last) { phrase.removeLast() }
        guard let first = phrase.split(separator: " ").first, first.count > 1 else { return phrase }
        let second = first[first.index(after: first.startIndex)]
        if first.first?.isUppercase == true, second.isLowercase {
            return phrase.prefix(1).lowercased() + phrase.dropFirst()
        }
        return phrase
    }

    /// A sentence to stand alone: ends with a full stop.
    static func sentence(_ text: String) -> String {
        let phrase = clean(text)
        guard let last = phrase.last else { return phrase }
        return ".!?".contains(last) ? phrase : phrase + "."
    }

    /// The first `words` words of a phrase, not ending on a word that needs a next one ("of", "who").
    static func short(_ text: String, words: Int = 6) -> String {
        var parts = Array(inline(text).split(separator: " ").prefix(words))
        while parts.count > 1, let last = parts.last, danglingWords.contains(last.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
            parts.removeLast()
        }
        return parts.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ",;:—–-"))
    }

    static let danglingWords: Set<String> = [
        "a", "an", "the", "of", "to", "for", "with", "and", "or", "but", "that", "who", "which", "while", "when", "on", "in",
        "into", "at", "by", "from", "your", "our", "their", "is", "are", "was", "be", "want", "wants", "need", "needs", "&",
    ]

    /// "A", "A and B", "A, B and C"; more than `limit` become "A, B, C and others".
    static func list(_ items: [String], limit: Int = 3, others: String = "others") -> String {
        guard items.count > 1 else { return items.first ?? "" }
        if items.count > limit { return items.prefix(limit).joined(separator: ", ") + " and " + others }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    /// Buyer titles as a group of people: "Practice Owners", "CEOs", "Heads of Marketing".
    static func plural(_ title: String) -> String {
        let words = title.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return title }
        if let of = words.firstIndex(where: { $0.lowercased() == "of" }), of > 0 {
            var changed = words
            changed[of - 1] = pluralWord(changed[of - 1])
            return changed.joined(separator: " ")
        }
        var changed = words
        changed[changed.count - 1] = pluralWord(changed[changed.count - 1])
        return changed.joined(separator: " ")
    }

    private static func pluralWord(_ word: String) -> String {
        let lower = word.lowercased()
        if lower.hasSuffix("s") { return word }
        if lower.hasSuffix("y"), let before = lower.dropLast().last, !"aeiou".contains(before) { return word.dropLast() + "ies" }
        if lower.hasSuffix("ch") || lower.hasSuffix("sh") || lower.hasSuffix("x") { return word + "es" }
        return word + "s"
    }

    /// Lowercased words of four letters or more, for matching a service or pain point to a segment.
    static func keywords(_ text: String) -> Set<String> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).filter { $0.count >= 4 }.map { word in
            var stem = String(word)
            for suffix in ["ies", "es", "s"] where stem.hasSuffix(suffix) && stem.count > suffix.count + 3 {
                stem = String(stem.dropLast(suffix.count))
                break
            }
            return stem
        })
    }
}
