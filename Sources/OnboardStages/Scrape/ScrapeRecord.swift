import Foundation
import OnboardWeb

/// One page in `scrape/pages.json`.
struct ScrapedPage: Codable, Sendable, Equatable {
    var url: String
    var finalURL: String
    var status: Int
    var contentType: String
    var charset: String
    var bytes: Int
    var sha256: String
    /// 1 plain HTTP, 2 headless browser, 3 anti-bot fetcher, 4 saved by hand into inputs/pages/.
    var tierUsed: Int
    /// The file under `scrape/` holding the bytes as fetched.
    var file: String

    enum CodingKeys: String, CodingKey {
        case url, status, charset, bytes, sha256, file
        case finalURL = "final_url"
        case contentType = "content_type"
        case tierUsed = "tier_used"
    }
}

struct ScrapedPages: Codable, Sendable {
    var site: String
    var pages: [ScrapedPage]
}

/// `scrape/robots.json`: where robots.txt came from and the decision for every URL considered.
struct RobotsRecord: Codable, Sendable {
    struct Decision: Codable, Sendable {
        var url: String
        var allowed: Bool
        var rule: String?
        var group: String?
        var reason: String
    }

    var robotsURL: String
    /// "body" (see robots.txt beside it), "client-error", "unavailable", or "not-needed" for pages saved by hand.
    var source: String
    var status: Int?
    var decisions: [Decision]

    enum CodingKeys: String, CodingKey {
        case source, status, decisions
        case robotsURL = "robots_url"
    }
}
