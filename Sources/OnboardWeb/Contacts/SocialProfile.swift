import Foundation

/// A company or brand profile on a social network, found in a link on the company's own site.
public struct SocialProfile: Sendable, Hashable, Codable {
    /// "linkedin", "x", "facebook", "instagram", "youtube" or "tiktok".
    public let network: String
    /// https, canonical host, only the path that names the profile: no query, fragment or trailing slash.
    public let url: String

    init(network: String, url: String) {
        self.network = network
        self.url = url
    }

    /// The profile's own URL, or nil when the link is not a company/brand profile (a post, a share link, a person on LinkedIn /in/, a video).
    public static func recognise(_ link: String) -> SocialProfile? {
        guard let parts = SocialLinkParts(link) else { return nil }
        switch SocialProfileHost(host: parts.host) {
        case .linkedin?: return linkedIn(parts)
        case .x?: return x(parts)
        case .facebook?: return facebook(parts)
        case .instagram?: return instagram(parts)
        case .youtube?: return youtube(parts)
        case .tiktok?: return tiktok(parts)
        case nil: return nil
        }
    }
}

// MARK: - Networks

extension SocialProfile {
    private static func linkedIn(_ parts: SocialLinkParts) -> SocialProfile? {
        let segments = parts.segments
        guard segments.count >= 2 else { return nil }
        let kind = segments[0].lowercased()
        // Showcase pages are a company's sub-brands; /in/ and /pub/ are people and never reach here.
        guard ["company", "school", "showcase"].contains(kind) else { return nil }
        let slug = segments[1].lowercased()
        guard SocialProfileName.isSlug(slug, maxLength: 150), !["setup", "unavailable"].contains(slug) else { return nil }
        // Anything after the slug (/posts, /about, /jobs) is a tab of the same page.
        return SocialProfile(network: "linkedin", url: "https://www.linkedin.com/\(kind)/\(SocialProfileName.encoded(slug))")
    }

    private static let xReserved: Set<String> = [
        "home", "share", "intent", "i", "explore", "search", "settings", "messages", "login", "logout",
        "signup", "compose", "privacy", "tos", "notifications", "hashtag", "account", "download",
        "oauth", "widgets", "who_to_follow", "personalization", "rules", "lists", "bookmarks", "en",
    ]
    private static let xTabs: Set<String> = [
        "with_replies", "media", "likes", "highlights", "articles", "followers", "following",
        "verified_followers",
    ]

    private static func x(_ parts: SocialLinkParts) -> SocialProfile? {
        let segments = parts.segments
        guard let first = segments.first else { return nil }
        let handle = first.hasPrefix("@") ? String(first.dropFirst()) : first
        guard SocialProfileName.isASCII(handle, extra: "_", length: 1...15),
              !xReserved.contains(handle.lowercased())
        else { return nil }
        // /status/<id> is a post; only the profile's own tabs normalise to the profile.
        if segments.count > 1 {
            guard segments.count == 2, xTabs.contains(segments[1].lowercased()) else { return nil }
        }
        return SocialProfile(network: "x", url: "https://x.com/\(handle)")
    }

    private static let facebookReserved: Set<String> = [
        "sharer", "share", "dialog", "plugins", "marketplace", "gaming", "watch", "me", "messages",
        "help", "search", "groups", "events", "hashtag", "login", "logout", "privacy", "policies",
        "legal", "business", "ads", "settings", "notifications", "friends", "photo", "photos", "video",
        "videos", "reel", "reels", "stories", "story", "live", "media", "l", "tr", "bookmarks",
        "fundraisers", "donate", "places", "public", "directory", "find-friends", "lite", "mobile",
        "recover", "reg", "campaign", "terms", "about", "careers", "home", "permalink", "posts", "pg",
        "pages", "people", "profile", "notes", "jobs", "offers", "memories", "saved", "v2.0",
    ]
    private static let facebookTabs: Set<String> = [
        "about", "photos", "videos", "posts", "reviews", "events", "community", "services", "shop",
        "mentions", "reels", "followers", "timeline", "info", "home", "about_contact_and_basic_info",
    ]

    private static func facebook(_ parts: SocialLinkParts) -> SocialProfile? {
        let segments = parts.segments
        guard let first = segments.first else { return nil }
        let lowered = first.lowercased()

        func byID(_ id: String) -> SocialProfile? {
            guard !id.isEmpty, id.count <= 20, id.allSatisfy(\.isPlainDigit) else { return nil }
            return SocialProfile(network: "facebook", url: "https://www.facebook.com/\(id)")
        }
        switch lowered {
        case "profile.php":
            return segments.count == 1 ? parts.queryValue("id").flatMap(byID) : nil
        case "pages", "people":
            // The id is what Facebook resolves; the name before it is decorative and may change.
            guard segments.count == 3 || (segments.count == 4 && facebookTabs.contains(segments[3].lowercased()))
            else { return nil }
            return byID(segments[2])
        case "pg":
            guard segments.count >= 2 else { return nil }
            return facebookName(segments[1], rest: segments.dropFirst(2))
        default:
            return facebookName(first, rest: segments.dropFirst())
        }
    }

    private static func facebookName(_ name: String, rest: ArraySlice<String>) -> SocialProfile? {
        let lowered = name.lowercased()
        guard !lowered.hasSuffix(".php"), !facebookReserved.contains(lowered),
              SocialProfileName.isSlug(name, maxLength: 100), name.count >= 2
        else { return nil }
        // Two or more segments after a name are a post, photo or video of that page.
        if let tab = rest.first {
            guard rest.count == 1, facebookTabs.contains(tab.lowercased()) else { return nil }
        }
        return SocialProfile(network: "facebook", url: "https://www.facebook.com/\(SocialProfileName.encoded(name))")
    }

    private static let instagramReserved: Set<String> = [
        "p", "reel", "reels", "explore", "accounts", "stories", "tv", "about", "legal", "privacy",
        "direct", "developer", "web", "challenge", "emails", "session", "oauth", "static", "graphql",
        "api", "ar", "topics", "s",
    ]
    private static let instagramTabs: Set<String> = ["reels", "tagged", "guides", "channel", "feed"]

    private static func instagram(_ parts: SocialLinkParts) -> SocialProfile? {
        let segments = parts.segments
        guard let first = segments.first else { return nil }
        let name = first.lowercased()
        guard SocialProfileName.isASCII(name, extra: "_.", length: 1...30),
              name.contains(where: { $0.isPlainDigit || $0.isPlainLetter }),
              !instagramReserved.contains(name)
        else { return nil }
        if segments.count > 1 {
            guard segments.count == 2, instagramTabs.contains(segments[1].lowercased()) else { return nil }
        }
        return SocialProfile(network: "instagram", url: "https://www.instagram.com/\(name)")
    }

    private static let youtubeReserved: Set<String> = [
        "watch", "embed", "shorts", "playlist", "results", "feed", "live", "redirect",
        "attribution_link", "t", "about", "premium", "account", "account_notifications", "signin",
        "logout", "gaming", "music", "kids", "hashtag", "howyoutubeworks", "creators", "ads", "yt", "s",
        "v", "e", "post", "source", "trending", "upload", "supported_browsers", "new",
        "paid_memberships", "reporthistory", "iframe_api", "live_chat", "clip", "oembed",
        "subscription_center", "select", "jobs", "static", "store", "sw.js", "channel", "c", "user",
    ]
    private static let youtubeTabs: Set<String> = [
        "featured", "videos", "shorts", "streams", "playlists", "community", "channels", "about",
        "podcasts", "releases", "store", "posts",
    ]

    private static func youtube(_ parts: SocialLinkParts) -> SocialProfile? {
        let segments = parts.segments
        guard let first = segments.first else { return nil }
        let lowered = first.lowercased()
        let path: String
        let rest: ArraySlice<String>
        if lowered == "channel" {
            guard segments.count >= 2, isYouTubeChannelID(segments[1]) else { return nil }
            path = "channel/\(segments[1])"
            rest = segments.dropFirst(2)
        } else if lowered == "c" || lowered == "user" {
            guard segments.count >= 2, SocialProfileName.isSlug(segments[1], maxLength: 100) else { return nil }
            path = "\(lowered)/\(SocialProfileName.encoded(segments[1]))"
            rest = segments.dropFirst(2)
        } else if first.hasPrefix("@") {
            let handle = String(first.dropFirst())
            guard SocialProfileName.isSlug(handle, maxLength: 100) else { return nil }
            path = "@\(SocialProfileName.encoded(handle))"
            rest = segments.dropFirst()
        } else {
            // A bare legacy custom name: only plain ASCII names, so paths like /sw.js never pass.
            guard !youtubeReserved.contains(lowered), SocialProfileName.isASCII(first, extra: "_-", length: 1...100)
            else { return nil }
            path = first
            rest = segments.dropFirst()
        }
        if let tab = rest.first {
            guard rest.count == 1, youtubeTabs.contains(tab.lowercased()) else { return nil }
        }
        return SocialProfile(network: "youtube", url: "https://www.youtube.com/\(path)")
    }

    private static func isYouTubeChannelID(_ id: String) -> Bool {
        id.hasPrefix("UC") && SocialProfileName.isASCII(id, extra: "_-", length: 24...24)
    }

    private static func tiktok(_ parts: SocialLinkParts) -> SocialProfile? {
        // /@handle/video/<id> is a video; only the bare handle is the account.
        guard parts.segments.count == 1, let first = parts.segments.first, first.hasPrefix("@") else { return nil }
        let handle = first.dropFirst().lowercased()
        guard SocialProfileName.isASCII(handle, extra: "_.", length: 2...24) else { return nil }
        return SocialProfile(network: "tiktok", url: "https://www.tiktok.com/@\(handle)")
    }
}

// MARK: - Hosts

private enum SocialProfileHost {
    case linkedin, x, facebook, instagram, youtube, tiktok

    init?(host: String) {
        // LinkedIn serves company pages on country hosts (uk., de., …) as well as www.
        if host == "linkedin.com" || host.hasSuffix(".linkedin.com") {
            self = .linkedin
            return
        }
        let plain: Set<String> = ["", "www", "m"]
        if Self.matches(host, bases: ["x.com", "twitter.com"], prefixes: plain.union(["mobile"])) {
            self = .x
        } else if Self.matches(host, bases: ["facebook.com", "fb.com"],
                               prefixes: plain.union(["mobile", "web", "touch", "mbasic"]))
                    || Self.isFacebookLocaleHost(host) {
            self = .facebook
        } else if Self.matches(host, bases: ["instagram.com", "instagr.am"], prefixes: plain) {
            self = .instagram
        } else if Self.matches(host, bases: ["youtube.com"], prefixes: plain) {
            self = .youtube
        } else if Self.matches(host, bases: ["tiktok.com"], prefixes: plain) {
            self = .tiktok
        } else {
            return nil
        }
    }

    private static func matches(_ host: String, bases: [String], prefixes: Set<String>) -> Bool {
        for base in bases {
            if host == base { return prefixes.contains("") }
            if host.hasSuffix("." + base) {
                return prefixes.contains(String(host.dropLast(base.count + 1)))
            }
        }
        return false
    }

    /// Localised hosts such as en-gb.facebook.com serve the same pages.
    private static func isFacebookLocaleHost(_ host: String) -> Bool {
        guard host.hasSuffix(".facebook.com") else { return false }
        let label = host.dropLast(".facebook.com".count)
        let pieces = label.split(separator: "-", omittingEmptySubsequences: false)
        return pieces.count == 2 && pieces.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isPlainLetter) }
    }
}

// MARK: - Link parsing

/// The parts of a web link that identify a profile. Parsed by hand because links from pages are often
/// scheme-less, protocol-relative or carry characters URLComponents refuses.
private struct SocialLinkParts {
    let host: String
    /// Percent-decoded, non-empty path segments.
    let segments: [String]
    let query: Substring

    init?(_ link: String) {
        var rest = Substring(link.trimmingCharacters(in: .whitespacesAndNewlines))
        let lowered = rest.lowercased()
        var hasScheme = true
        if lowered.hasPrefix("https://") {
            rest = rest.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            rest = rest.dropFirst(7)
        } else if lowered.hasPrefix("//") {
            rest = rest.dropFirst(2)
        } else if lowered.contains("://") {
            return nil
        } else {
            hasScheme = false
        }

        var fragment: Substring = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        let path = rest[slash...]

        if let at = authority.lastIndex(of: "@") {
            // Without a scheme, "name@host" is an email address, not a link with credentials.
            guard hasScheme else { return nil }
            authority = authority[authority.index(after: at)...]
        }
        if let colon = authority.firstIndex(of: ":") {
            let port = authority[authority.index(after: colon)...]
            guard port.allSatisfy(\.isPlainDigit) else { return nil }
            authority = authority[..<colon]
        }
        var host = authority.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, host.contains("."),
              host.allSatisfy({ $0.isPlainLetter || $0.isPlainDigit || $0 == "." || $0 == "-" })
        else { return nil }

        var segments = Self.segments(of: path)
        // Old Twitter and Facebook links kept the path after "#!/".
        if segments.isEmpty, fragment.hasPrefix("!/") {
            var hashPath = fragment.dropFirst(2)
            if let mark = hashPath.firstIndex(of: "?") {
                query = hashPath[hashPath.index(after: mark)...]
                hashPath = hashPath[..<mark]
            }
            segments = Self.segments(of: hashPath)
        }
        self.host = host
        self.segments = segments
        self.query = query
    }

    private static func segments(of path: Substring) -> [String] {
        path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
            .filter { !$0.isEmpty }
    }

    func queryValue(_ name: String) -> String? {
        for pair in query.split(separator: "&") {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pieces.count == 2, pieces[0].lowercased() == name {
                return String(pieces[1]).removingPercentEncoding ?? String(pieces[1])
            }
        }
        return nil
    }
}

// MARK: - Names

private enum SocialProfileName {
    static func isASCII(_ name: some StringProtocol, extra: String, length: ClosedRange<Int>) -> Bool {
        length.contains(name.count)
            && name.allSatisfy { $0.isPlainLetter || $0.isPlainDigit || extra.contains($0) }
    }

    /// Page names on LinkedIn, Facebook and YouTube may use letters of any script once percent-decoded.
    static func isSlug(_ name: String, maxLength: Int) -> Bool {
        guard (1...maxLength).contains(name.count) else { return false }
        guard name.contains(where: { $0.isLetter || $0.isNumber }) else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || "-_.&'".contains($0) }
    }

    private static let unreserved = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? name
    }
}

private extension Character {
    var isPlainLetter: Bool { isASCII && isLetter }
    var isPlainDigit: Bool { isASCII && isNumber }
}
