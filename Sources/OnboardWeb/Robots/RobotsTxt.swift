import Foundation

/// A site's robots.txt, read as RFC 9309 says, and asked about one path at a time.
///
/// Where the RFC leaves room, this follows the behaviour that google/robotstxt tests under its `ID_*`
/// (RFC) cases. Its Google-only extensions are deliberately absent: a line without a colon is ignored
/// rather than guessed at, misspelt directive names are not accepted, and `Allow: /dir/index.html` does
/// not also allow `/dir/`.
public struct RobotsTxt: Sendable {
    /// What fetching robots.txt gave.
    public enum Source: Sendable, Equatable {
        /// A 2xx answer and its body.
        case body(Data)
        /// A non-2xx HTTP status after redirects were followed.
        case clientError(Int)
        /// No HTTP answer at all (DNS, connect, TLS, timeout); the text says which.
        case unavailable(String)
    }

    /// RFC 9309 asks crawlers to read at least 500 KiB; reading no more bounds the work a hostile file causes.
    static let byteLimit = 500 * 1024

    private enum Verdict: Sendable {
        case everythingAllowed(reason: String)
        case everythingDisallowed(reason: String)
        case groups(specific: [String: RobotsGroup], global: RobotsGroup?)
    }

    private let verdict: Verdict

    /// Sitemap URLs in file order, duplicates removed; empty unless the body was parsed.
    public let sitemaps: [String]

    public init(source: Source) {
        switch source {
        case .body(let data):
            let parsed = RobotsParser.parse(data)
            verdict = .groups(specific: parsed.specific, global: parsed.global)
            sitemaps = parsed.sitemaps
        case .clientError(let status):
            // RFC 9309 2.3.1.3: a 4xx means there is no robots.txt. 429 is the server asking us to slow
            // down, which is not permission, so it is treated like a server error (2.3.1.4).
            if (400..<500).contains(status) && status != 429 {
                verdict = .everythingAllowed(reason: "robots.txt answered \(status): everything allowed")
            } else {
                verdict = .everythingDisallowed(reason: "robots.txt answered \(status): everything disallowed")
            }
            sitemaps = []
        case .unavailable(let why):
            verdict = .everythingDisallowed(reason: "robots.txt unavailable (\(why)): everything disallowed")
            sitemaps = []
        }
    }

    public init(text: String) {
        self.init(source: .body(Data(text.utf8)))
    }

    /// The decision for a URL path (path + "?" + query, as sent on the wire; "/" when empty) and our user
    /// agent (a full UA string like "onboard/0.1 (+...)": its product token is the part before the first
    /// "/" or space).
    ///
    /// The path is expected percent-encoded, as it goes on the wire: raw non-ASCII in it will not match a
    /// rule that names the same character, because rules are compared in their encoded form.
    public func decision(forPath path: String, userAgent: String) -> RobotsDecision {
        switch verdict {
        case .everythingAllowed(let reason):
            return RobotsDecision(allowed: true, rule: nil, group: nil, reason: reason)
        case .everythingDisallowed(let reason):
            return RobotsDecision(allowed: false, rule: nil, group: nil, reason: reason)
        case .groups(let specific, let global):
            let token = Self.productToken(of: userAgent)
            let chosen: RobotsGroup
            if let token, let group = specific[token.lowercased()] {
                chosen = group
            } else if let global {
                chosen = global
            } else {
                let who = token.map { "\"\($0)\"" } ?? "this user agent"
                return RobotsDecision(
                    allowed: true, rule: nil, group: nil,
                    reason: "no group for \(who) and no * group: everything allowed")
            }
            return Self.decide(path: path, in: chosen)
        }
    }

    private static func decide(path: String, in group: RobotsGroup) -> RobotsDecision {
        let target = RobotsPattern.normalised(Array((path.isEmpty ? "/" : path).utf8), encodingNonASCII: false)
        var bestAllow: RobotsRule?
        var bestDisallow: RobotsRule?
        for rule in group.rules where rule.pattern.matches(target) {
            // Strictly longer only, so among equal lengths the earliest rule is the one reported.
            if rule.allow {
                if bestAllow.map({ rule.pattern.length > $0.pattern.length }) ?? true { bestAllow = rule }
            } else {
                if bestDisallow.map({ rule.pattern.length > $0.pattern.length }) ?? true { bestDisallow = rule }
            }
        }
        switch (bestAllow, bestDisallow) {
        case (nil, nil):
            return RobotsDecision(allowed: true, rule: nil, group: group.name, reason: "no rule matches")
        case (let allow?, nil):
            return RobotsDecision(
                allowed: true, rule: allow.label, group: group.name, reason: "longest match: \(allow.label)")
        case (nil, let disallow?):
            return RobotsDecision(
                allowed: false, rule: disallow.label, group: group.name, reason: "longest match: \(disallow.label)")
        case (let allow?, let disallow?):
            if allow.pattern.length > disallow.pattern.length {
                return RobotsDecision(
                    allowed: true, rule: allow.label, group: group.name, reason: "longest match: \(allow.label)")
            }
            if allow.pattern.length == disallow.pattern.length {
                // RFC 9309 2.2.2: when an allow and a disallow are equally specific, allow wins.
                return RobotsDecision(
                    allowed: true, rule: allow.label, group: group.name,
                    reason: "longest match: \(allow.label) (ties with \(disallow.label); allow wins)")
            }
            return RobotsDecision(
                allowed: false, rule: disallow.label, group: group.name,
                reason: "longest match: \(disallow.label)")
        }
    }

    /// The product token of a full UA string, or nil when it is not one RFC 9309 allows
    /// (`[A-Za-z_-]+`); such an agent can only be governed by the `*` group.
    static func productToken(of userAgent: String) -> String? {
        let bytes = userAgent.utf8.drop { RobotsBytes.isSpace($0) }
        let token = bytes.prefix { $0 != UInt8(ascii: "/") && !RobotsBytes.isSpace($0) }
        guard !token.isEmpty, token.allSatisfy(RobotsBytes.isTokenByte) else { return nil }
        return String(decoding: token, as: UTF8.self)
    }
}

/// The answer for one path, kept in scrape/robots.json so a person can see why a page was or was not fetched.
public struct RobotsDecision: Sendable, Equatable, Codable {
    public let allowed: Bool
    /// The rule that decided ("allow: /x", "disallow: /"), or nil when no rule matched.
    public let rule: String?
    /// Which group applied: the agent name, "*", or nil when none did.
    public let group: String?
    /// Why, in words a person reads in scrape/robots.json.
    public let reason: String

    public init(allowed: Bool, rule: String?, group: String?, reason: String) {
        self.allowed = allowed
        self.rule = rule
        self.group = group
        self.reason = reason
    }
}

// MARK: - Parsing

private struct RobotsGroup: Sendable {
    /// The agent as the file spells it, or "*".
    var name: String
    var rules: [RobotsRule] = []
}

private struct RobotsRule: Sendable {
    let allow: Bool
    /// The value as written, for people; matching uses `pattern`.
    let written: String
    let pattern: RobotsPattern

    var label: String { (allow ? "allow: " : "disallow: ") + written }
}

private enum RobotsAgent {
    case global
    case named(String)
    /// A user-agent line whose value holds no product token; it still opens or extends a group.
    case unusable
}

private enum RobotsParser {
    struct Result {
        var specific: [String: RobotsGroup] = [:]
        var global: RobotsGroup?
        var sitemaps: [String] = []
    }

    private struct RawGroup {
        var agents: [RobotsAgent] = []
        var rules: [RobotsRule] = []
    }

    static func parse(_ data: Data) -> Result {
        let bytes = limited(data)
        var groups: [RawGroup] = []
        var sitemaps: [String] = []
        var seenSitemaps: Set<String> = []
        // Consecutive user-agent lines share a group; only a rule line ends the run, so sitemap, unknown
        // and blank lines between user-agent lines leave them in one group.
        var inAgentRun = false

        forEachLine(in: bytes) { line in
            guard let (key, value) = split(line) else { return }
            if RobotsBytes.equalsIgnoringCase(key, "user-agent") {
                if !inAgentRun {
                    groups.append(RawGroup())
                    inAgentRun = true
                }
                groups[groups.count - 1].agents.append(agent(from: value))
            } else if RobotsBytes.equalsIgnoringCase(key, "allow") || RobotsBytes.equalsIgnoringCase(key, "disallow") {
                // A rule before any user-agent line belongs to no group.
                guard !groups.isEmpty else { return }
                inAgentRun = false
                // An empty rule matches nothing, but it still closed the run of user-agent lines above.
                guard !value.isEmpty else { return }
                let rule = RobotsRule(
                    allow: RobotsBytes.equalsIgnoringCase(key, "allow"),
                    written: String(decoding: value, as: UTF8.self),
                    pattern: RobotsPattern(value))
                groups[groups.count - 1].rules.append(rule)
            } else if RobotsBytes.equalsIgnoringCase(key, "sitemap") {
                let url = String(decoding: value, as: UTF8.self)
                if !url.isEmpty && seenSitemaps.insert(url).inserted { sitemaps.append(url) }
            }
        }

        var result = Result(sitemaps: sitemaps)
        for group in groups {
            // Every group naming the same agent is merged (RFC 9309 2.2.1); a group listing an agent twice
            // must not contribute its rules twice.
            var addedTo: Set<String> = []
            var addedToGlobal = false
            for agent in group.agents {
                switch agent {
                case .global:
                    guard !addedToGlobal else { continue }
                    addedToGlobal = true
                    result.global = result.global ?? RobotsGroup(name: "*")
                    result.global!.rules += group.rules
                case .named(let name):
                    let key = name.lowercased()
                    guard addedTo.insert(key).inserted else { continue }
                    result.specific[key, default: RobotsGroup(name: name)].rules += group.rules
                case .unusable:
                    continue
                }
            }
        }
        return result
    }

    /// The first 500 KiB, without a line the limit cut in two: half a rule would mean a different rule.
    private static func limited(_ data: Data) -> [UInt8] {
        guard data.count > RobotsTxt.byteLimit else { return [UInt8](data) }
        var bytes = [UInt8](data.prefix(RobotsTxt.byteLimit))
        let next = data[data.startIndex + RobotsTxt.byteLimit]
        if !RobotsBytes.isLineBreak(next) {
            if let lastBreak = bytes.lastIndex(where: RobotsBytes.isLineBreak) {
                bytes.removeSubrange(lastBreak...)
            } else {
                bytes.removeAll()
            }
        }
        return bytes
    }

    private static func forEachLine(in bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        // A UTF-8 byte order mark is skipped at the very start, even a truncated one; anywhere else it is
        // part of the line and spoils it.
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        var start = 0
        while start < mark.count && start < bytes.count && bytes[start] == mark[start] { start += 1 }

        var lineStart = start
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if RobotsBytes.isLineBreak(byte) {
                body(bytes[lineStart..<index])
                if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < bytes.count { body(bytes[lineStart...]) }
    }

    /// Name and value of a `name: value` line with its comment removed, both trimmed; nil without a colon.
    private static func split(_ line: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>)? {
        let content = line[..<(line.firstIndex(of: UInt8(ascii: "#")) ?? line.endIndex)]
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return (RobotsBytes.trimmed(content[..<colon]), RobotsBytes.trimmed(content[(colon + 1)...]))
    }

    private static func agent(from value: ArraySlice<UInt8>) -> RobotsAgent {
        if let first = value.first, first == UInt8(ascii: "*") {
            let rest = value.dropFirst()
            // "* anything" still names every crawler; "*bot" names none.
            if rest.first.map(RobotsBytes.isSpace) ?? true { return .global }
        }
        // The name ends at the first byte a product token cannot hold, so "FooBot/1.0" and "Foo Bar"
        // name FooBot and Foo.
        let token = value.prefix(while: RobotsBytes.isTokenByte)
        return token.isEmpty ? .unusable : .named(String(decoding: token, as: UTF8.self))
    }
}

// MARK: - Matching

/// A rule's path pattern: literal runs separated by `*`, optionally anchored to the end by a final `$`.
private struct RobotsPattern: Sendable {
    /// Octets of the normalised pattern including `*` and `$`: the measure of how specific a rule is.
    let length: Int
    private let pieces: [[UInt8]]
    private let anchored: Bool

    init(_ value: ArraySlice<UInt8>) {
        let bytes = Self.normalised(value, encodingNonASCII: true)
        length = bytes.count
        anchored = bytes.last == UInt8(ascii: "$")
        let body = anchored ? bytes.dropLast() : bytes[...]
        pieces = body.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// Percent-escapes compared with upper-case hex but never decoded, since `%2F` and `/` differ to a
    /// server; non-ASCII in a rule is encoded as UTF-8 so it can match the encoded path that is sent.
    static func normalised<C: Collection>(_ bytes: C, encodingNonASCII: Bool) -> [UInt8]
    where C.Element == UInt8, C.Index == Int {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") && index + 2 < bytes.endIndex
                && RobotsBytes.isHex(bytes[index + 1]) && RobotsBytes.isHex(bytes[index + 2])
            {
                out += [byte, RobotsBytes.upper(bytes[index + 1]), RobotsBytes.upper(bytes[index + 2])]
                index += 3
                continue
            }
            if byte >= 0x80 && encodingNonASCII {
                out += [UInt8(ascii: "%"), RobotsBytes.hexDigit(byte >> 4), RobotsBytes.hexDigit(byte & 0x0F)]
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    /// With only `*` as a wildcard, taking each middle piece at its leftmost place leaves the most room
    /// for the rest, so one left-to-right pass decides; the last piece of an anchored pattern must sit at
    /// the end instead.
    func matches(_ path: [UInt8]) -> Bool {
        let first = pieces[0]
        guard path.count >= first.count, path[..<first.count].elementsEqual(first) else { return false }
        if pieces.count == 1 {
            return !anchored || path.count == first.count
        }
        var position = first.count
        for piece in pieces[1..<(pieces.count - 1)] {
            guard let found = Self.find(piece, in: path, from: position) else { return false }
            position = found + piece.count
        }
        let last = pieces[pieces.count - 1]
        if anchored {
            return path.count - last.count >= position && path[(path.count - last.count)...].elementsEqual(last)
        }
        return Self.find(last, in: path, from: position) != nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count else { return nil }
        guard let head = needle.first else { return start }
        var index = start
        let lastStart = haystack.count - needle.count
        while index <= lastStart {
            if haystack[index] == head {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}

private enum RobotsBytes {
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    /// RFC 9309 2.2.1: a product token is `[A-Za-z_-]`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
    }

    static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    static func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10 }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { upper($0) == upper($1) }
        }
    }
}
