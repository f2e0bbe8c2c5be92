import Foundation

/// The text of a parsed site cut into the pieces the extractor reads: each a sentence or a short
/// block with its page, what kind of block it is, and the heading it sits under. Every piece is a
/// verbatim part of what parse/site.json records, so any part of it can serve as a quote.
struct TextPiece: Sendable {
    enum Kind: Sendable { case title, description, heading, line, listItem }

    let url: String
    let kind: Kind
    let text: String
    let lower: String
    /// What to quote: the text itself, or for a piece too short to be a quote on its own (a one-word
    /// heading or list item), the piece and the line after it, which main_text holds side by side.
    let quoteText: String
    /// The nearest heading above it on its page (lowercased), "" when none.
    let section: String
    let page: PageKind
    /// Position of the page in the crawl (0 = home page).
    let pageIndex: Int
    /// The heading's level (1–6); 0 for what is not a heading.
    var level: Int = 0
}

/// What a page is about, judged from its address and title.
struct PageKind: OptionSet, Sendable {
    let rawValue: Int
    static let home = PageKind(rawValue: 1)
    static let services = PageKind(rawValue: 2)
    static let audience = PageKind(rawValue: 4)
    static let about = PageKind(rawValue: 8)
    static let contact = PageKind(rawValue: 16)
    static let areas = PageKind(rawValue: 32)
    static let product = PageKind(rawValue: 64)
    static let team = PageKind(rawValue: 128)
    static let careers = PageKind(rawValue: 256)

    static func of(url: String, title: String, index: Int) -> PageKind {
        let path = (URL(string: url)?.path ?? "").lowercased()
        var kind: PageKind = index == 0 ? .home : []
        func has(_ words: [String]) -> Bool { words.contains { path.contains($0) } }
        if has(["service", "solution", "what-we-do", "capabilit", "offer", "pricing", "plans", "specialt"]) { kind.insert(.services) }
        if has(["industr", "who-we-serve", "who-we-help", "sector", "market", "client", "customer", "employer", "partner"]) { kind.insert(.audience) }
        if has(["about", "story", "company", "mission"]) { kind.insert(.about) }
        if has(["contact"]) { kind.insert(.contact) }
        if has(["area", "location", "region", "coverage"]) { kind.insert(.areas) }
        if has(["product", "platform", "feature"]) { kind.insert(.product) }
        if has(["team", "leadership", "people", "founder"]) { kind.insert(.team) }
        if has(["career", "jobs", "join-us", "hiring", "salary", "candidates"]) { kind.insert(.careers) }
        return kind
    }
}

enum SiteText {
    static func pieces(_ site: SiteRecord) -> [TextPiece] {
        var pieces: [TextPiece] = []
        for (index, page) in site.pages.enumerated() {
            let kind = PageKind.of(url: page.url, title: page.title, index: index)
            func add(_ text: String, _ pieceKind: TextPiece.Kind, section: String, next: String? = nil, level: Int = 0) {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { return }
                var quote = trimmed
                if !isQuotable(trimmed), let next { quote = trimmed + " " + next }
                pieces.append(TextPiece(
                    url: page.url, kind: pieceKind, text: trimmed, lower: trimmed.lowercased(), quoteText: quote,
                    section: section, page: kind, pageIndex: index, level: level))
            }
            add(page.title, .title, section: "")
            add(page.description, .description, section: "")
            var headingLevels: [String: Int] = [:]
            // A line reads as a heading only as often as the page has that heading: a list item
            // that repeats a heading's words ("Healthcare") further down stays a list item.
            var headingsLeft: [String: Int] = [:]
            for heading in page.headings {
                if headingLevels[heading.text] == nil { headingLevels[heading.text] = heading.level }
                headingsLeft[heading.text, default: 0] += 1
            }
            let listItems = Set(page.lists.flatMap { $0 })
            var section = ""
            // Open headings, outermost first: a heading's section is the one it sits under.
            var open: [(level: Int, text: String)] = []
            var lines = page.mainText.split(separator: "\n").map(String.init)
            // A heading or list item broken over lines (`<br>`, or a title and its description in
            // one `<li>`) is one heading or item.
            var joined: [String] = []
            var cursor = 0
            while cursor < lines.count {
                var taken = 1
                if headingLevels[lines[cursor]] == nil && !listItems.contains(lines[cursor]) {
                    var candidate = lines[cursor]
                    for extra in 1...3 where cursor + extra < lines.count {
                        candidate += " " + lines[cursor + extra]
                        if headingLevels[candidate] != nil || listItems.contains(candidate) { taken = extra + 1; break }
                    }
                    if taken > 1 { joined.append(candidate) } else { joined.append(lines[cursor]) }
                } else {
                    joined.append(lines[cursor])
                }
                cursor += taken
            }
            lines = joined
            for (position, line) in lines.enumerated() {
                let next = position + 1 < lines.count ? lines[position + 1] : nil
                if let level = headingLevels[line], headingsLeft[line, default: 0] > 0 || !listItems.contains(line) {
                    headingsLeft[line, default: 0] -= 1
                    while let last = open.last, last.level >= level { open.removeLast() }
                    add(line, .heading, section: open.last?.text ?? "", next: next, level: level)
                    open.append((level, line.lowercased()))
                    section = line.lowercased()
                } else if listItems.contains(line) {
                    add(line, .listItem, section: section, next: next)
                } else {
                    let parts = sentences(line)
                    for (part, sentence) in parts.enumerated() {
                        add(sentence, .line, section: section, next: part == parts.count - 1 ? next : nil)
                    }
                }
            }
        }
        return pieces
    }

    /// Splits a line into sentences at ". ", "! ", "? " followed by a capital or a digit; the
    /// pieces stay verbatim substrings of the line.
    static func sentences(_ line: String) -> [String] {
        var result: [String] = []
        var current = ""
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            current.append(character)
            if ".!?".contains(character), index + 2 < characters.count, characters[index + 1] == " ",
                characters[index + 2].isUppercase || characters[index + 2].isNumber || characters[index + 2] == "“" || characters[index + 2] == "\""
            {
                let words = current.split(separator: " ")
                // "Dr." or "Inc." are not the end of a sentence.
                let last = words.last.map(String.init) ?? ""
                if !["dr.", "mr.", "ms.", "mrs.", "inc.", "ltd.", "st.", "co.", "e.g.", "i.e.", "u.s."].contains(last.lowercased()) {
                    result.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                    index += 2
                    continue
                }
            }
            index += 1
        }
        let rest = current.trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { result.append(rest) }
        return result
    }

    /// Two words and eight characters at least: shorter is no evidence a reader can find.
    static func isQuotable(_ text: String) -> Bool {
        text.count >= 8 && text.contains(" ")
    }

    /// A quote around `range` of `text`: the whole piece when short, else a window cut at word
    /// boundaries (still a verbatim substring).
    static func quote(_ text: String, around range: Range<String.Index>, limit: Int = 180) -> String {
        if text.count <= limit { return text }
        let before = text.distance(from: text.startIndex, to: range.lowerBound)
        var start = text.index(text.startIndex, offsetBy: max(0, before - limit / 3))
        var end = text.index(start, offsetBy: min(limit, text.distance(from: start, to: text.endIndex)))
        if end < range.upperBound { end = range.upperBound }
        while start > text.startIndex, text[text.index(before: start)] != " " { start = text.index(before: start) }
        while end < text.endIndex, text[end] != " " { end = text.index(after: end) }
        return String(text[start..<end]).trimmingCharacters(in: .whitespaces)
    }
}
