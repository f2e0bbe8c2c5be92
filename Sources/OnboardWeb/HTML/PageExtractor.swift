import Foundation

/// Reads a parsed page the way a visitor does. It relies only on what libxml2 2.9's HTML4-era
/// tree keeps stable (element names, attributes, text), never on HTML5 nesting: `<section>` may
/// sit inside an open `<p>`, so blocks are found by element name wherever they are.
public enum PageExtractor {
    static let skippedAlways: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "select", "button", "input", "textarea", "dialog",
        "object", "canvas", "head",
    ]
    static let boilerplateElements: Set<String> = ["nav", "footer", "aside", "form"]
    static let boilerplateRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "complementary"]
    static let boilerplateTokens: Set<String> = [
        "nav", "navbar", "menu", "main-menu", "site-nav", "site-header", "site-footer", "footer", "skip-link", "sr-only",
        "visually-hidden", "screen-reader-text", "modal", "popup", "breadcrumb", "breadcrumbs",
    ]
    static let boilerplateFragments = ["cookie", "consent", "gdpr"]

    public static func extract(_ root: HTMLElement, url pageURL: String) -> PageContent {
        let head = root.first("head")
        let body = root.first("body") ?? root
        let base = head?.first("base")?.attribute("href").flatMap { URL(string: $0, relativeTo: URL(string: pageURL)) }
            ?? URL(string: pageURL)
        var meta: [String: String] = [:]
        var openGraph: [String: String] = [:]
        for element in root.descendants(where: { $0.name == "meta" }) {
            let content = TextNormaliser.collapse(element.attribute("content") ?? "")
            if let name = element.attribute("name")?.lowercased() { meta[name] = meta[name] ?? content }
            if let property = element.attribute("property")?.lowercased(), property.hasPrefix("og:") {
                openGraph[String(property.dropFirst(3))] = openGraph[String(property.dropFirst(3))] ?? content
            }
        }
        let contentRoot = body.descendants(where: { $0.name == "main" || $0.attribute("role") == "main" }).first ?? body
        var reader = ContentReader(insideMain: contentRoot.name == "main" || contentRoot.attribute("role") == "main")
        reader.read(contentRoot)

        var links: [PageContent.Link] = []
        var contactLinks: [String] = []
        var seenLinks: Set<String> = []
        for anchor in root.descendants(where: { $0.name == "a" || $0.name == "area" }) {
            guard let href = anchor.attribute("href")?.trimmingCharacters(in: .whitespacesAndNewlines), !href.isEmpty else { continue }
            let lower = href.lowercased()
            if lower.hasPrefix("mailto:") || lower.hasPrefix("tel:") || lower.hasPrefix("callto:") {
                contactLinks.append(href)
                continue
            }
            guard !lower.hasPrefix("javascript:"), !lower.hasPrefix("#"), !lower.hasPrefix("data:"),
                let resolved = URL(string: href, relativeTo: base)?.absoluteURL,
                let scheme = resolved.scheme?.lowercased(), scheme == "http" || scheme == "https"
            else { continue }
            let absolute = resolved.absoluteString
            guard seenLinks.insert(absolute).inserted else { continue }
            let sameSite = Self.sameSite(resolved.host, URL(string: pageURL)?.host)
            links.append(PageContent.Link(url: absolute, text: anchor.text, internal: sameSite))
        }

        let visible = body.text
        let appRoots = body.descendants(where: { ["root", "app", "__next", "__nuxt", "app-root"].contains($0.attribute("id") ?? "") })
        let emptyAppRoot = appRoots.contains { $0.text.isEmpty }
        let noscriptWarning = root.descendants(where: { $0.name == "noscript" }).contains {
            $0.rawText.lowercased().contains("javascript") || $0.text.lowercased().contains("javascript")
        }
        let title = TextNormaliser.collapse(head?.first("title")?.text ?? root.first("title")?.text ?? "")
        return PageContent(
            url: pageURL,
            title: title,
            description: meta["description"] ?? openGraph["description"] ?? "",
            lang: root.attribute("lang").map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 },
            openGraph: openGraph,
            headings: reader.headings,
            mainText: reader.lines.joined(separator: "\n"),
            lists: reader.lists,
            links: links,
            contactLinks: contactLinks,
            fullText: visible,
            jsonLD: root.descendants(where: { $0.name == "script" && ($0.attribute("type") ?? "").lowercased().contains("ld+json") })
                .map(\.rawText),
            addresses: body.descendants(where: { $0.name == "address" }).map(\.text).filter { !$0.isEmpty },
            testimonials: Testimonials.find(in: body),
            canonicalURLs: ([head?.first("base")?.attribute("href"), openGraph["url"]]
                + root.descendants(where: { $0.name == "link" && ($0.attribute("rel") ?? "").lowercased() == "canonical" })
                .map { $0.attribute("href") }).compactMap { $0 },
            looksScriptRendered: visible.count < 200 && (emptyAppRoot || noscriptWarning || contentRoot.text.isEmpty))
    }

    /// Same site: same host, ignoring a leading "www.".
    static func sameSite(_ first: String?, _ second: String?) -> Bool {
        guard let first = first?.lowercased(), let second = second?.lowercased() else { return false }
        func bare(_ host: String) -> String { host.hasPrefix("www.") ? String(host.dropFirst(4)) : host }
        return bare(first) == bare(second)
    }

    static func isBoilerplate(_ element: HTMLElement, insideMain: Bool) -> Bool {
        if skippedAlways.contains(element.name) || boilerplateElements.contains(element.name) { return true }
        if let role = element.attribute("role")?.lowercased(), boilerplateRoles.contains(role) { return true }
        if element.attribute("aria-hidden") == "true" || element.attributes["hidden"] != nil { return true }
        let tokens = ((element.attribute("class") ?? "") + " " + (element.attribute("id") ?? "")).lowercased()
            .split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if tokens.contains(where: { boilerplateTokens.contains($0) }) { return true }
        if tokens.contains(where: { token in boilerplateFragments.contains { token.contains($0) } }) { return true }
        // A page header holding the site's navigation is banner, not content; a header without one
        // (an article's, a hero's) is content.
        if element.name == "header", !insideMain, !element.descendants(where: { $0.name == "nav" }).isEmpty { return true }
        return false
    }
}

/// Walks the content part of a page, gathering text lines, headings and lists.
struct ContentReader {
    let insideMain: Bool
    var lines: [String] = []
    var headings: [PageContent.Heading] = []
    var lists: [[String]] = []
    private var current = ""

    init(insideMain: Bool) { self.insideMain = insideMain }

    mutating func read(_ root: HTMLElement) {
        for child in root.children { visit(child) }
        flush()
    }

    private mutating func visit(_ node: HTMLNode) {
        switch node {
        case .text(let value):
            current += value
        case .element(let element):
            if PageExtractor.isBoilerplate(element, insideMain: insideMain) { return }
            if let level = Self.headingLevel(element.name) {
                let text = element.text
                if !text.isEmpty { headings.append(.init(level: level, text: text)) }
            }
            if element.name == "ul" || element.name == "ol" {
                let items = element.children.compactMap { child -> String? in
                    guard case .element(let item) = child, item.name == "li" else { return nil }
                    let text = item.text
                    return text.isEmpty ? nil : text
                }
                if !items.isEmpty { lists.append(items) }
            }
            let block = HTMLElement.blockNames.contains(element.name)
            if block { flush() }
            for child in element.children { visit(child) }
            if block { flush() }
        }
    }

    private mutating func flush() {
        let line = TextNormaliser.collapse(current)
        if !line.isEmpty { lines.append(line) }
        current = ""
    }

    static func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.hasPrefix("h"), let digit = Int(name.dropFirst()), (1...6).contains(digit) else { return nil }
        return digit
    }
}
