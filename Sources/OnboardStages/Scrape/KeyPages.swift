import Foundation
import OnboardWeb

/// Which links of a site lead to the pages that describe the business, and URL normalisation so a
/// page is fetched once whatever way it is linked.
enum KeyPages {
    /// Words in a link's path or text, with how much they tell about the business.
    static let signals: [(String, Int)] = [
        ("who-we-serve", 10), ("who we serve", 10), ("industries", 9), ("services", 9), ("solutions", 8),
        ("what-we-do", 8), ("what we do", 8), ("about", 8), ("case-stud", 7), ("case stud", 7), ("clients", 7),
        ("customers", 6), ("testimonials", 6), ("reviews", 5), ("products", 6), ("pricing", 5), ("plans", 4),
        ("contact", 4), ("team", 3), ("our-work", 5), ("portfolio", 4), ("specialt", 5), ("capabilities", 7),
        ("markets", 6), ("sectors", 7), ("partners", 3), ("how-it-works", 5), ("how it works", 5), ("locations", 3),
        ("service-area", 6), ("areas", 3),
    ]

    static let trackingParameters: Set<String> = [
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid", "fbclid", "msclkid", "mc_cid",
        "mc_eid", "ref", "_hsenc", "_hsmi",
    ]

    static let skippedExtensions: Set<String> = [
        "pdf", "jpg", "jpeg", "png", "gif", "svg", "webp", "zip", "mp4", "mp3", "doc", "docx", "xls", "xlsx", "ppt",
        "pptx", "css", "js", "xml", "ico",
    ]

    static func score(_ link: PageContent.Link) -> Int {
        let path = (URL(string: link.url)?.path ?? "").lowercased()
        let text = link.text.lowercased()
        var best = 0
        for (word, weight) in signals where path.contains(word) || text.contains(word) { best = max(best, weight) }
        return best
    }

    /// Same-site links worth fetching, best first (ties keep the page's order).
    static func candidates(from links: [PageContent.Link], site: URL) -> [URL] {
        var scored: [(Int, Int, URL)] = []
        for (position, link) in links.enumerated() where link.internal {
            guard let url = normalise(link.url), sameOrigin(url, site) else { continue }
            let ext = url.pathExtension.lowercased()
            guard !skippedExtensions.contains(ext) else { continue }
            let value = score(link)
            if value > 0 { scored.append((value, position, url)) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.map(\.2)
    }

    /// Drops the fragment, tracking parameters and a trailing slash; lowercases scheme and host.
    static func normalise(_ text: String) -> URL? {
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        components.scheme = scheme
        components.host = host.lowercased()
        components.fragment = nil
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) { components.port = nil }
        if let items = components.queryItems {
            let kept = items.filter { !trackingParameters.contains($0.name.lowercased()) }
            components.queryItems = kept.isEmpty ? nil : kept
        }
        if components.path.isEmpty { components.path = "/" }
        if components.path.count > 1, components.path.hasSuffix("/") { components.path.removeLast() }
        return components.url
    }

    static func sameOrigin(_ url: URL, _ site: URL) -> Bool {
        func bare(_ host: String?) -> String {
            let lower = host?.lowercased() ?? ""
            return lower.hasPrefix("www.") ? String(lower.dropFirst(4)) : lower
        }
        return bare(url.host) == bare(site.host) && (url.port ?? 0) == (site.port ?? 0)
    }

    /// A file name for a page: its crawl position and a slug of its path (`02-services.html`).
    static func fileName(position: Int, url: URL) -> String {
        var slug = url.path.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { result, character in
            if character == "-", result.hasSuffix("-") || result.isEmpty { return }
            result.append(character)
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { slug = "home" }
        return String(format: "%02d-", position) + String(slug.prefix(60)) + ".html"
    }
}
