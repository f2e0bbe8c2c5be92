import Foundation

/// What a reader takes from one page: the parse stage's per-page record and the raw material of
/// its site-wide fields (contacts, JSON-LD, testimonials).
public struct PageContent: Sendable, Equatable {
    public struct Heading: Sendable, Equatable, Codable {
        public let level: Int
        public let text: String
    }

    public struct Link: Sendable, Equatable, Codable {
        public let url: String
        public let text: String
        public let `internal`: Bool

        public init(url: String, text: String, internal: Bool) {
            self.url = url
            self.text = text
            self.internal = `internal`
        }
    }

    public struct Testimonial: Sendable, Equatable, Codable, Hashable {
        public let quote: String
        public let name: String?
        public let title: String?
        public let company: String?
    }

    public var url: String
    public var title: String
    public var description: String
    public var lang: String?
    /// `og:*` properties without the prefix (title, description, site_name, type).
    public var openGraph: [String: String]
    public var headings: [Heading]
    /// What a reader sees as the page's content, one block per line, without navigation, header
    /// banner, footer, cookie banners, scripts and forms.
    public var mainText: String
    public var lists: [[String]]
    public var links: [Link]
    /// mailto:, tel: and callto: links as written.
    public var contactLinks: [String]
    /// All visible text of the body, footer included (where contacts usually are).
    public var fullText: String
    /// The bodies of `application/ld+json` scripts.
    public var jsonLD: [String]
    public var addresses: [String]
    public var testimonials: [Testimonial]
    /// Where the page says it really lives: `<base href>`, `<link rel="canonical">`, `og:url`.
    public var canonicalURLs: [String]
    /// True when the page looks rendered by JavaScript (little visible text and an empty app root
    /// or a noscript warning): a browser may see more.
    public var looksScriptRendered: Bool
}
