import Foundation

/// What the company sells: the headings and list items of its service and product pages, and of
/// the sections of other pages that announce services.
struct ServiceReader {
    let pieces: [TextPiece]
    /// Every page's title, to tell the brand from the offer in the home page's.
    var titles: [String] = []

    static let generic: Set<String> = [
        "services", "our services", "what we do", "our solutions", "solutions", "why choose us", "why us", "contact us",
        "contact", "about us", "about", "testimonials", "get started", "faq", "faqs", "our process", "how it works",
        "our team", "meet the team", "get in touch", "learn more", "read more", "home", "pricing", "blog", "news",
        "our clients", "clients", "industries", "industries we serve", "who we serve", "our story", "our mission",
        "the numbers", "results", "case studies", "reviews", "what our clients say", "request a quote", "book a call",
        "follow us", "quick links", "privacy policy", "terms", "resources", "features", "products", "our work",
        "service areas", "locations", "careers", "overview", "benefits", "key benefits", "our values", "process",
        "what we offer", "our expertise", "expertise", "capabilities", "our capabilities", "how we help",
    ]

    func read() -> [ICPItem] {
        var candidates: [(score: Int, order: Int, piece: TextPiece)] = []
        // Headings that stand side by side under one parent (cards of a grid) on the home page.
        var siblings: [String: Int] = [:]
        // Level-2 headings are the page's sections, not cards.
        for piece in pieces where piece.kind == .heading && piece.pageIndex == 0 && piece.level >= 3 { siblings[piece.section, default: 0] += 1 }
        for (order, piece) in titleOffers() { candidates.append((4, order - pieces.count, piece)) }
        for (order, piece) in pieces.enumerated() where piece.kind == .heading || piece.kind == .listItem {
            guard !piece.page.contains(.careers), !piece.page.contains(.contact), !piece.page.contains(.team) else { continue }
            guard !piece.page.contains(.areas) else { continue }
            let inServiceSection = Cues.any(Cues.serviceSection, in: piece.section)
            let onServicePage = piece.page.contains(.services) || piece.page.contains(.product)
            let card = piece.kind == .heading && piece.pageIndex == 0 && piece.level >= 3 && (siblings[piece.section] ?? 0) >= 2
                && !Cues.any(Cues.audienceSection + Cues.painSection, in: piece.section)
            guard inServiceSection || (onServicePage && piece.kind == .heading) || card else { continue }
            // Only a heading that names its section ("Our process") says what the section holds.
            let namedSection = piece.section.split(separator: " ").count <= 5
            guard !namedSection || !Self.notOfferSections.contains(where: { piece.section.contains($0) }) else { continue }
            guard !Self.stepSections.contains(where: { piece.section.contains($0) }) else { continue }
            guard Self.looksLikeAService(Self.name(of: piece)) else { continue }
            var score = 0
            if inServiceSection { score += 2 }
            if onServicePage { score += 2 }
            if piece.kind == .heading { score += 1 }
            candidates.append((score, order, piece))
        }
        var items: [ICPItem] = []
        var seen: Set<String> = []
        for candidate in candidates.sorted(by: { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }) {
            let value = Self.name(of: candidate.piece).trimmingCharacters(in: CharacterSet(charactersIn: " .:;!-–—|"))
            guard seen.insert(value.lowercased()).inserted, items.count < 15 else { continue }
            items.append(ICPItem(
                value: value, confidence: min(90, 45 + candidate.score * 8),
                evidence: [Evidence(url: candidate.piece.url, quote: candidate.piece.quoteText, inferred: false)]))
        }
        return items
    }

    /// Headings, however long, that announce a sequence of steps ("A simple path from inquiry to
    /// service plan").
    static let stepSections = [
        "simple path", "path from", "path to", "steps", "step-by-step", "step by step", "how it works", "how we work",
        "our process", "the process", "journey", "what to expect", "what happens next",
    ]

    /// The name a list item or heading gives before its description: "→ Pipeline Development+ We
    /// design…" or "Audit preparation: we…" name "Pipeline Development" and "Audit preparation".
    static func name(of piece: TextPiece) -> String {
        var text = piece.text
        while let first = text.first, "→•·-–—✓✔►▸>*".contains(first) || first == " " { text.removeFirst() }
        guard piece.kind == .listItem else { return text }
        for separator in ["+ ", ": ", " — ", " – ", " - "] {
            guard let cut = text.range(of: separator) else { continue }
            let head = String(text[..<cut.lowerBound])
            let rest = text[cut.upperBound...]
            if (1...6).contains(head.split(separator: " ").count), rest.split(separator: " ").count >= 3 { return head }
        }
        return text
    }

    /// The home page's title without the brand ("Acme Plumbing | Drain Cleaning & Repiping" →
    /// "Drain Cleaning & Repiping"): the site's own one-line statement of what it sells. The brand
    /// is the part the site's titles share, else the first part.
    func titleOffers() -> [(Int, TextPiece)] {
        guard let home = pieces.first(where: { $0.pageIndex == 0 && $0.kind == .title }) else { return [] }
        let parts = Self.titleParts(home.text)
        guard parts.count >= 2 else { return [] }
        var counts: [String: Int] = [:]
        for title in titles { for part in Set(Self.titleParts(title)) { counts[part.lowercased(), default: 0] += 1 } }
        let shared = parts.max { (counts[$0.lowercased()] ?? 0) < (counts[$1.lowercased()] ?? 0) }
        let brand = shared.flatMap { (counts[$0.lowercased()] ?? 0) >= 2 ? $0 : nil } ?? parts[0]
        var offers: [(Int, TextPiece)] = []
        for (index, part) in parts.enumerated() where part != brand && Self.looksLikeAService(part) && part.contains(" ") {
            offers.append((index, TextPiece(
                url: home.url, kind: .title, text: part, lower: part.lowercased(), quoteText: home.text, section: "",
                page: home.page, pageIndex: 0)))
        }
        return offers
    }

    static func titleParts(_ title: String) -> [String] {
        var parts = [title]
        for separator in [" | ", "||", " — ", " – ", " - ", " :: ", " · "] {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        return parts.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " |")) }.filter { !$0.isEmpty }
    }

    /// Sections that list steps, reasons or results rather than what is sold.
    static let notOfferSections = [
        "process", "how it works", "how we work", "steps", "what to expect", "getting started", "why choose", "why us",
        "why work", "benefit", "what clients gain", "results", "our values", "approach", "faq", "testimonial",
        "what our clients say", "the numbers",
    ]

    /// A name of a service, not a sentence, a question, a call to action or a fragment.
    static func looksLikeAService(_ text: String) -> Bool {
        let letters = text.filter(\.isLetter)
        // Headings cut into pieces for an animation ("Inclu", "sive"): short single words that are not acronyms.
        if !text.contains(" "), letters.count < 6, text.filter(\.isUppercase).count < 2 { return false }
        // Headings that ask or announce ("How an engagement works", "What owners say") are not offers.
        if ["how ", "what ", "why ", "who ", "when ", "where "].contains(where: { text.lowercased().hasPrefix($0) }) { return false }
        let reasonWords = ["benefit", "gain", "why ", "timeline", "communication", "quality standard", "transparen"]
        if reasonWords.contains(where: { text.lowercased().contains($0) }) { return false }
        let lower = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " .:;!"))
        let words = lower.split(separator: " ")
        guard (1...7).contains(words.count), text.count >= 3, text.count <= 70 else { return false }
        guard !generic.contains(lower), !text.hasSuffix("?") else { return false }
        let sentenceWords: Set<Substring> = ["we", "our", "you", "your", "i", "us", "is", "are", "was", "will", "can", "it's", "we're", "they"]
        if words.contains(where: { sentenceWords.contains($0) }) { return false }
        if lower.contains("@") || lower.contains("http") || lower.first?.isNumber == true && lower.contains("%") { return false }
        if ["county", "counties", "service area", "within", "miles", "week ", "step ", "faq", "questions"].contains(where: { lower.contains($0) }) { return false }
        if words.allSatisfy({ $0.allSatisfy { $0.isNumber || $0 == "+" || $0 == "%" || $0 == "," } }) { return false }
        // A timeline ("Day 1 to 3", "Phase 2") or an editorial headline ("The anatomy of a …").
        if words.count >= 2, ["day", "days", "week", "weeks", "month", "phase", "step", "stage"].contains(String(words[0])),
            words[1].first?.isNumber == true
        {
            return false
        }
        if words.count >= 3, words[0] == "the", words.dropFirst(2).first == "of" { return false }
        return true
    }
}
