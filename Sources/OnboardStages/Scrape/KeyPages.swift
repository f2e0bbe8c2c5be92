import Foundation
import OnboardWeb

/// Which links of a site lead to the pages that describe the business, and URL normalisation so a
/// page is fetched once whatever way it is linked.
enum KeyPages {
    /// Word stems in a link's path or text, with how much the page behind it tells about the business.
    static let signals: [(String, Int)] = [
        ("who-we-serve", 10), ("who we serve", 10), ("who-we-help", 10), ("who we help", 10), ("industr", 9),
        ("sector", 8), ("service", 9), ("solution", 8), ("what-we-do", 8), ("what we do", 8), ("about", 8),
        ("capabilit", 7), ("case-stud", 7), ("case stud", 7), ("client", 7), ("customer", 6), ("market", 6),
        ("product", 6), ("platform", 6), ("speciali", 6), ("practice-area", 7), ("practice area", 7),
        ("service-area", 6), ("testimonial", 5), ("review", 4), ("pricing", 5), ("plans", 4), ("how-it-works", 5),
        ("how it works", 5), ("our-work", 5), ("portfolio", 4), ("employer", 6), ("partner", 3), ("feature", 4),
        ("contact", 4), ("team", 2), ("location", 3), ("areas", 3),
    ]

    /// Pages that say nothing about whom the company serves.
    static let skipped = [
        "privacy", "terms", "legal", "cookie", "login", "log-in", "signin", "sign-in", "signup", "sign-up", "register",
        "cart", "checkout", "account", "password", "/blog/", "/news/", "/tag/", "/category/", "/author/", "career",
        "/jobs", "job-", "sitemap", "feed", "wp-admin", "/admin",
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
    /// Same-site links worth fetching, most telling first, then the site's other pages in page
    /// order. `aliases` are other hosts the site calls its own (its canonical domain while it is
    /// served from elsewhere): links to them are taken as links to the site.
    static func candidates(from links: [PageContent.Link], site: URL, aliases: Set<String> = []) -> [URL] {
        var scored: [(Int, Int, URL)] = []
        for (position, link) in links.enumerated() {
            guard var url = normalise(link.url) else { continue }
            if !sameOrigin(url, site), let host = url.host?.lowercased(), aliases.contains(host) {
                guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { continue }
                components.scheme = site.scheme
                components.host = site.host
                components.port = site.port
                guard let moved = components.url else { continue }
                url = moved
            }
            guard sameOrigin(url, site) else { continue }
            let ext = url.pathExtension.lowercased()
            guard ext.isEmpty || ext == "html" || ext == "htm" || ext == "php" || ext == "aspx" || !skippedExtensions.contains(ext) else { continue }
            let path = url.path.lowercased()
            guard !skipped.contains(where: { path.contains($0) }) else { continue }
            scored.append((score(link), position, url))
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.map(\.2)
    }

    /// Other hosts the home page links to as if they were the site itself: its home ("/") and at
    /// least two more of its pages. A site served from somewhere other than its own domain (a
    /// staging copy, a mirror) still links to that domain.
    static func ownHosts(in links: [PageContent.Link], site: URL) -> Set<String> {
        var paths: [String: Set<String>] = [:]
        for link in links {
            guard let url = normalise(link.url), !sameOrigin(url, site), let host = url.host?.lowercased() else { continue }
            paths[host, default: []].insert(url.path)
        }
        return Set(paths.filter { _, found in
            found.count >= 3 && (found.contains("/") || found.contains("/index.html"))
        }.keys)
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
        // "/index.html" is the same page as "/", however a site links to it.
        for index in ["/index.html", "/index.htm", "/index.php"] where components.path.lowercased().hasSuffix(index) {
            components.path = String(components.path.dropLast(index.count - 1))
        }
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
