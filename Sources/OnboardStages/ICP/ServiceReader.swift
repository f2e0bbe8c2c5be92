import Foundation

/// What the company sells: the headings and list items of its service and product pages, and of
/// the sections of other pages that announce services.
struct ServiceReader {
    let pieces: [TextPiece]

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
        for piece in pieces where piece.kind == .heading && piece.pageIndex == 0 { siblings[piece.section, default: 0] += 1 }
        for (order, piece) in pieces.enumerated() where piece.kind == .heading || piece.kind == .listItem {
            guard !piece.page.contains(.careers), !piece.page.contains(.contact), !piece.page.contains(.team) else { continue }
            guard !piece.page.contains(.areas) else { continue }
            let inServiceSection = Cues.any(Cues.serviceSection, in: piece.section)
            let onServicePage = piece.page.contains(.services) || piece.page.contains(.product)
            let card = piece.kind == .heading && piece.pageIndex == 0 && (siblings[piece.section] ?? 0) >= 2
                && !Cues.any(Cues.audienceSection + Cues.painSection, in: piece.section)
            guard inServiceSection || (onServicePage && piece.kind == .heading) || card else { continue }
            // Only a heading that names its section ("Our process") says what the section holds.
            let namedSection = piece.section.split(separator: " ").count <= 5
            guard !namedSection || !Self.notOfferSections.contains(where: { piece.section.contains($0) }) else { continue }
            guard Self.looksLikeAService(piece.text) else { continue }
            var score = 0
            if inServiceSection { score += 2 }
            if onServicePage { score += 2 }
            if piece.kind == .heading { score += 1 }
            candidates.append((score, order, piece))
        }
        var items: [ICPItem] = []
        var seen: Set<String> = []
        for candidate in candidates.sorted(by: { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }) {
            let value = candidate.piece.text.trimmingCharacters(in: CharacterSet(charactersIn: " .:;!-–—|"))
            guard seen.insert(value.lowercased()).inserted, items.count < 12 else { continue }
            items.append(ICPItem(
                value: value, confidence: min(90, 45 + candidate.score * 8),
                evidence: [Evidence(url: candidate.piece.url, quote: candidate.piece.quoteText, inferred: false)]))
        }
        return items
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
        if ["county", "counties", "service area", "within", "miles", "week ", "step "].contains(where: { lower.contains($0) }) { return false }
        if words.allSatisfy({ $0.allSatisfy { $0.isNumber || $0 == "+" || $0 == "%" || $0 == "," } }) { return false }
        return true
    }
}
