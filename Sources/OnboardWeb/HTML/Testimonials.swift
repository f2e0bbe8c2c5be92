import Foundation

/// Testimonials and their attribution: a `<blockquote>` with its `<cite>`/`<footer>`, or a block
/// marked as a testimonial or review holding a quote and a name line.
enum Testimonials {
    static func find(in body: HTMLElement) -> [PageContent.Testimonial] {
        var found: [PageContent.Testimonial] = []
        var seen: Set<String> = []
        func add(_ testimonial: PageContent.Testimonial?) {
            guard let testimonial, testimonial.quote.split(separator: " ").count >= 4,
                seen.insert(testimonial.quote).inserted
            else { return }
            found.append(testimonial)
        }
        let containers = body.descendants { element in
            let tokens = ((element.attribute("class") ?? "") + " " + (element.attribute("id") ?? "")).lowercased()
            return ["testimonial", "review", "quote-card"].contains { tokens.contains($0) }
                && !tokens.contains("testimonials") && element.name != "section"
        }
        for container in containers { add(fromContainer(container)) }
        for quote in body.descendants(where: { $0.name == "blockquote" }) { add(fromContainer(quote)) }
        return found
    }

    private static func fromContainer(_ element: HTMLElement) -> PageContent.Testimonial? {
        let attributionElements = element.descendants { child in
            let tokens = (child.attribute("class") ?? "").lowercased()
            return ["cite", "footer", "figcaption"].contains(child.name)
                || ["author", "attribution", "client", "name", "byline", "reviewer"].contains { tokens.contains($0) }
        }
        let attribution = attributionElements.first.map(\.text) ?? ""
        var quoteText = ""
        let quoteElements = element.descendants { ["blockquote", "q", "p"].contains($0.name) }
            .filter { quote in !attributionElements.contains(where: { $0 == quote || $0.text == quote.text }) }
        if let quote = quoteElements.first(where: { $0.name == "blockquote" || $0.name == "q" }) ?? quoteElements.first {
            quoteText = quote.text
            if !attribution.isEmpty, quoteText.hasSuffix(attribution) {
                quoteText = String(quoteText.dropLast(attribution.count)).trimmingCharacters(in: .whitespaces)
            }
        } else {
            quoteText = element.text
            if !attribution.isEmpty, let range = quoteText.range(of: attribution) { quoteText.removeSubrange(range) }
        }
        let quote = trimQuotes(TextNormaliser.collapse(quoteText))
        guard !quote.isEmpty else { return nil }
        let (name, title, company) = parseAttribution(attribution)
        return PageContent.Testimonial(quote: quote, name: name, title: title, company: company)
    }

    static func trimQuotes(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "\"“”„'‘’ ").union(.whitespaces))
    }

    /// "— Dr. Jane Smith, Practice Owner, Smile Dental" → (Dr. Jane Smith, Practice Owner, Smile Dental);
    /// "Tom Reyes | COO at Northwind Freight" → (Tom Reyes, COO, Northwind Freight).
    static func parseAttribution(_ text: String) -> (String?, String?, String?) {
        var line = TextNormaliser.collapse(text)
        while let first = line.unicodeScalars.first, "-—–~ ".unicodeScalars.contains(first) { line.removeFirst() }
        guard !line.isEmpty else { return (nil, nil, nil) }
        var parts = line.components(separatedBy: CharacterSet(charactersIn: ",|·•")).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        if parts.count == 1, let dash = line.range(of: " - ") ?? line.range(of: " – ") ?? line.range(of: " — ") {
            parts = [String(line[..<dash.lowerBound]), String(line[dash.upperBound...])]
        }
        let name = parts.first
        var title = parts.count > 1 ? parts[1] : nil
        var company = parts.count > 2 ? parts[2...].joined(separator: ", ") : nil
        if let current = title, company == nil, let at = current.range(of: " at ") {
            company = String(current[at.upperBound...])
            title = String(current[..<at.lowerBound])
        }
        return (name, title, company)
    }
}

/// Numeric claims a site makes about itself ("140+ practices", "12 years", "98% retention"),
/// kept verbatim so they can serve as evidence.
public enum ProofPoints {
    static let nouns: Set<String> = [
        "years", "year", "clients", "customers", "practices", "companies", "businesses", "projects", "patients",
        "locations", "offices", "countries", "states", "cities", "employees", "staff", "engineers", "experts",
        "specialists", "team", "members", "partners", "brands", "installations", "placements", "hires", "deliveries",
        "shipments", "trucks", "vehicles", "sites", "stores", "restaurants", "clinics", "hospitals", "schools",
        "users", "reviews", "retention", "satisfaction", "growth", "increase", "reduction", "savings", "roi",
        "uptime", "accuracy", "faster", "more", "less", "fewer", "million", "billion", "thousand", "units", "parts",
        "machines", "acres", "homes", "properties", "leads", "appointments", "calls", "cases", "claims", "transactions",
        "orders", "facilities", "buildings", "sq", "square", "contracts", "awards", "certifications",
    ]

    static let fillers: Set<String> = [
        "of", "in", "on", "with", "and", "our", "happy", "satisfied", "active", "successful", "repeat", "new", "local",
        "five-star", "5-star", "dental", "medical", "small", "mid-sized", "enterprise",
    ]

    public static func find(in text: String) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            for (index, word) in words.enumerated() {
                guard let number = numberToken(word) else { continue }
                var phrase = [number]
                var named = false
                for next in words[(index + 1)..<min(index + 4, words.count)] {
                    let bare = next.lowercased().trimmingCharacters(in: .punctuationCharacters)
                    if nouns.contains(bare) {
                        phrase.append(next.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?)")))
                        named = true
                        break
                    }
                    guard fillers.contains(bare) else { break }
                    phrase.append(next)
                }
                if !named {
                    let marked = number.hasSuffix("%") || number.hasSuffix("+") || number.hasPrefix("$")
                    guard marked, index + 1 < words.count else { continue }
                    let next = words[index + 1].trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?)"))
                    guard !next.isEmpty, next.allSatisfy({ $0.isLetter || $0 == "-" }) else { continue }
                    phrase = [number, next]
                }
                let claim = phrase.joined(separator: " ")
                if seen.insert(claim.lowercased()).inserted { found.append(claim) }
            }
        }
        return found
    }

    /// "140+", "98%", "$2M", "3x", "1,200", "10" (not a year, not a phone fragment).
    static func numberToken(_ word: String) -> String? {
        let token = word.trimmingCharacters(in: CharacterSet(charactersIn: "(),.;:!?\"“”"))
        guard let first = token.unicodeScalars.first, first == "$" || CharacterSet.decimalDigits.contains(first) else { return nil }
        let digits = token.filter(\.isNumber)
        guard !digits.isEmpty, digits.count <= 7 else { return nil }
        let allowed = CharacterSet(charactersIn: "0123456789,.+%$xXkKmMbB")
        guard token.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        if let value = Int(token), (1900...2100).contains(value) { return nil }
        return token
    }
}
