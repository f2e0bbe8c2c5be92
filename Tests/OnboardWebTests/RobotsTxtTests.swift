import Foundation
import Testing
@testable import OnboardWeb

/// An expectation that may be left out, so a table row only pins what it is about.
enum RobotsExpectation: Sendable, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    case unchecked
    case value(String?)

    init(stringLiteral value: String) { self = .value(value) }
    init(nilLiteral: ()) { self = .value(nil) }
}

struct RobotsCase: Sendable, CustomTestStringConvertible {
    let label: String
    let body: [UInt8]
    let agent: String
    let path: String
    let allowed: Bool
    let rule: RobotsExpectation
    let group: RobotsExpectation

    var testDescription: String { label }

    static func text(
        _ label: String, _ robots: String, _ agent: String, _ path: String, _ allowed: Bool,
        rule: RobotsExpectation = .unchecked, group: RobotsExpectation = .unchecked
    ) -> RobotsCase {
        bytes(label, Array(robots.utf8), agent, path, allowed, rule: rule, group: group)
    }

    static func bytes(
        _ label: String, _ body: [UInt8], _ agent: String, _ path: String, _ allowed: Bool,
        rule: RobotsExpectation = .unchecked, group: RobotsExpectation = .unchecked
    ) -> RobotsCase {
        RobotsCase(label: label, body: body, agent: agent, path: path, allowed: allowed, rule: rule, group: group)
    }

    func check() {
        let decision = RobotsTxt(source: .body(Data(body))).decision(forPath: path, userAgent: agent)
        #expect(decision.allowed == allowed, "\(label): \(decision.reason)")
        if case .value(let expected) = rule {
            #expect(decision.rule == expected, "\(label): rule")
        }
        if case .value(let expected) = group {
            #expect(decision.group == expected, "\(label): group")
        }
    }
}

enum RobotsCases {
    static let lineSyntax: [RobotsCase] = [
        .text("name: value lines", "user-agent: FooBot\ndisallow: /\n", "FooBot", "/x/y", false,
              rule: "disallow: /", group: "FooBot"),
        .text("unknown names are ignored", "foo: FooBot\nbar: /\n", "FooBot", "/x/y", true, rule: nil, group: nil),
        .text("a line without a colon is ignored", "user-agent FooBot\ndisallow /\n", "FooBot", "/x/y", true,
              group: nil),
        .text("a rule without a colon is ignored", "user-agent: FooBot\ndisallow /\n", "FooBot", "/x", true,
              rule: nil, group: "FooBot"),
        .text("no space after the colon", "User-agent:FooBot\nDisallow:/x", "FooBot", "/x/y", false,
              rule: "disallow: /x"),
        .text("whitespace around name and value", "  User-agent \t:  FooBot  \n\tDisallow :   /x   \n", "FooBot",
              "/x/y", false, rule: "disallow: /x"),
        .text("the value keeps later colons", "User-agent: *\nDisallow: /\nAllow: /a:b\n", "FooBot", "/a:b/c", true,
              rule: "allow: /a:b"),
    ]

    /// The example from the reference tests: blank lines inside groups, a rule before any agent, and FooBot
    /// named twice.
    static let groupsExample = """
        allow: /foo/bar/

        user-agent: FooBot
        disallow: /
        allow: /x/
        user-agent: BarBot
        disallow: /
        allow: /y/


        allow: /w/
        user-agent: BazBot

        user-agent: FooBot
        allow: /z/
        disallow: /

        """

    static let groups: [RobotsCase] = [
        .text("FooBot: its first group allows /x/", groupsExample, "FooBot", "/x/b", true, rule: "allow: /x/"),
        .text("FooBot: its second group allows /z/", groupsExample, "FooBot", "/z/d", true, rule: "allow: /z/"),
        .text("FooBot: /y/ belongs to BarBot", groupsExample, "FooBot", "/y/c", false),
        .text("FooBot: a rule before any agent is ignored", groupsExample, "FooBot", "/foo/bar/", false),
        .text("BarBot: allowed /y/", groupsExample, "BarBot", "/y/c", true, group: "BarBot"),
        .text("BarBot: blank lines do not end its group", groupsExample, "BarBot", "/w/a", true, rule: "allow: /w/"),
        .text("BarBot: /z/ is not its rule", groupsExample, "BarBot", "/z/d", false, rule: "disallow: /"),
        .text("BazBot shares FooBot's second group", groupsExample, "BazBot", "/z/d", true, group: "BazBot"),
        .text("BazBot does not get FooBot's first group", groupsExample, "BazBot", "/x/b", false),
        .text("a sitemap line does not split agents",
              "User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n", "BarBot", "/x",
              false, group: "BarBot"),
        .text("an unknown line does not split agents",
              "User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n", "FooBot", "/x",
              false),
        .text("blank lines do not split agents", "User-agent: FooBot\n\nUser-agent: *\nDisallow: /\n", "FooBot",
              "/x", false, group: "FooBot"),
        .text("rules before the first agent belong to no group", "Disallow: /\nUser-agent: FooBot\nAllow: /x\n",
              "FooBot", "/y", true, rule: nil, group: "FooBot"),
        .text("rules with no agent at all", "Disallow: /\nAllow: /x\n", "FooBot", "/", true, group: nil),
        .text("a rule ends the run of agents", "User-agent: FooBot\nDisallow: /a\nUser-agent: BarBot\nDisallow: /b\n",
              "FooBot", "/b", true, rule: nil),
        .text("an empty rule also ends the run", "User-agent: FooBot\nDisallow:\nUser-agent: BarBot\nDisallow: /\n",
              "FooBot", "/x", true, group: "FooBot"),
        .text("a matching group without rules allows everything", "User-agent: *\nDisallow: /\nUser-agent: FooBot\n",
              "FooBot", "/x", true, rule: nil, group: "FooBot"),
        .text("groups naming the same agent merge: first group",
              "User-agent: FooBot\nDisallow: /a\nUser-agent: *\nDisallow: /\nUser-agent: foobot\nDisallow: /b\n",
              "FooBot", "/a", false, rule: "disallow: /a", group: "FooBot"),
        .text("groups naming the same agent merge: later group",
              "User-agent: FooBot\nDisallow: /a\nUser-agent: *\nDisallow: /\nUser-agent: foobot\nDisallow: /b\n",
              "FooBot", "/b", false, rule: "disallow: /b", group: "FooBot"),
        .text("groups naming the same agent merge: the * group stays out",
              "User-agent: FooBot\nDisallow: /a\nUser-agent: *\nDisallow: /\nUser-agent: foobot\nDisallow: /b\n",
              "FooBot", "/c", true, rule: nil),
    ]

    static let caseRules: [RobotsCase] = [
        .text("upper-case directive names", "USER-AGENT: FooBot\nDISALLOW: /\n", "FooBot", "/x", false),
        .text("mixed-case directive names", "uSeR-aGeNt: FooBot\nDiSaLlOw: /x\n", "FooBot", "/x", false,
              rule: "disallow: /x"),
        .text("agent in the file in capitals", "User-agent: FOOBOT\nDisallow: /\n", "foobot/2.0", "/x", false,
              group: "FOOBOT"),
        .text("our agent in capitals", "User-agent: FooBot\nDisallow: /\n", "FOOBOT", "/x", false, group: "FooBot"),
        .text("paths are case-sensitive: same case", "User-agent: FooBot\nDisallow: /x/\n", "FooBot", "/x/y", false),
        .text("paths are case-sensitive: other case", "User-agent: FooBot\nDisallow: /x/\n", "FooBot", "/X/y", true,
              rule: nil),
    ]

    static let specificAndStar = "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n"
    static let noStar =
        "User-agent: FooBot\nallow: /\nUser-agent: BarBot\ndisallow: /\nUser-agent: BazBot\ndisallow: /\n"
    static let twoStars =
        "User-agent: *\nDisallow: /a\nUser-agent: FooBot\nDisallow: /\nUser-agent: *\nDisallow: /b\n"

    static let agentMatching: [RobotsCase] = [
        .text("a specific group is not combined with *", specificAndStar, "FooBot", "/x/page", true,
              rule: nil, group: "FooBot"),
        .text("the specific group applies", specificAndStar, "FooBot", "/y/page", false, rule: "disallow: /y/"),
        .text("another agent falls back to *", specificAndStar, "OtherBot", "/x/page", false, group: "*"),
        .text("no group and no * group allows everything", noStar, "QuxBot", "/x", true, rule: nil, group: nil),
        .text("specific beats an earlier *", "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", "FooBot",
              "/x", false, group: "FooBot"),
        .text("others get that *", "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", "BarBot", "/x",
              true, rule: "allow: /", group: "*"),
        .text("an empty file allows everything", "", "FooBot", "/", true, rule: nil, group: nil),
        .text("product token of a full UA string", "User-agent: onboard\nDisallow: /\n",
              "onboard/0.1 (+https://onboard.example/bot)", "/x", false, group: "onboard"),
        .text("product token ends at a space", "User-agent: onboard\nDisallow: /\n", "onboard (compatible)", "/x",
              false, group: "onboard"),
        .text("hyphen and underscore are token characters", "User-agent: Foo-Bar_Baz\nDisallow: /\n",
              "Foo-Bar_Baz/2.0", "/x", false, group: "Foo-Bar_Baz"),
        .text("a shorter name in the file does not match", "User-agent: Foo\nDisallow: /\n", "FooBot", "/x", true,
              group: nil),
        .text("a longer name in the file does not match", "User-agent: FooBot\nDisallow: /\n", "Foo", "/x", true,
              group: nil),
        .text("a version in the file's agent is ignored", "User-agent: FooBot/1.0\nDisallow: /\n", "FooBot", "/x",
              false, group: "FooBot"),
        .text("the file's agent is read up to the first space",
              "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n", "Foo", "/x/y", true,
              rule: "allow: /x/", group: "Foo"),
        .text("* with trailing space", "User-agent: * \nDisallow: /\n", "AnyBot", "/x", false, group: "*"),
        .text("* followed by words", "User-agent: * everyone\nDisallow: /\n", "AnyBot", "/x", false, group: "*"),
        .text("*bot names no crawler", "User-agent: *bot\nDisallow: /\n", "AnyBot", "/x", true, group: nil),
        .text("* groups merge: first", twoStars, "OtherBot", "/a", false, rule: "disallow: /a", group: "*"),
        .text("* groups merge: later", twoStars, "OtherBot", "/b", false, rule: "disallow: /b", group: "*"),
        .text("a token with a digit is governed by * only", "User-agent: Foo\nDisallow: /\nUser-agent: *\nAllow: /\n",
              "Foo2/1.0", "/x", true, group: "*"),
    ]

    static let longestMatch: [RobotsCase] = [
        .text("equal allow and disallow: allow wins",
              "User-agent: FooBot\nallow: /x/page.html\ndisallow: /x/page.html\n", "FooBot", "/x/page.html", true,
              rule: "allow: /x/page.html"),
        .text("equal disallow and allow in the other order",
              "User-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", "FooBot", "/x/page.html", true,
              rule: "allow: /x/page.html"),
        .text("allow / against disallow /", "User-agent: FooBot\nallow: /\ndisallow: /\n", "FooBot", "/x", true,
              rule: "allow: /"),
        .text("allow /folder against disallow /folder", "User-agent: FooBot\nallow: /folder\ndisallow: /folder\n",
              "FooBot", "/folder/page", true),
        .text("wildcard patterns tie too", "User-agent: FooBot\ndisallow: /*.php\nallow: /page*\n", "FooBot",
              "/page.php", true, rule: "allow: /page*"),
        .text("the wildcard counts: /*.html beats /page", "User-agent: FooBot\nallow: /page\ndisallow: /*.html\n",
              "FooBot", "/page.html", false, rule: "disallow: /*.html"),
        .text("only /page matches /page", "User-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot",
              "/page", true, rule: "allow: /page"),
        .text("/x/page. beats /*.html", "User-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot",
              "/x/page.html", true, rule: "allow: /x/page."),
        .text("/*.html alone", "User-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot", "/x/y.html",
              false, rule: "disallow: /*.html"),
        .text("the $ counts: /$ beats /", "User-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "/", true,
              rule: "allow: /$"),
        .text("/$ matches only the root", "User-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot", "/page.html",
              false, rule: "disallow: /"),
        .text("a longer allow inside a disallowed folder", "User-agent: FooBot\ndisallow: /x/\nallow: /x/page/\n",
              "FooBot", "/x/page/a", true, rule: "allow: /x/page/"),
        .text("the folder stays disallowed", "User-agent: FooBot\ndisallow: /x/\nallow: /x/page/\n", "FooBot",
              "/x/other", false, rule: "disallow: /x/"),
        .text("length counts encoded octets", "User-agent: FooBot\nDisallow: /ツ\nAllow: /%E3%83%8\n", "FooBot",
              "/%E3%83%84", false, rule: "disallow: /ツ"),
        .text("the first of equally long rules is reported", "User-agent: FooBot\ndisallow: /a*\ndisallow: /*b\n",
              "FooBot", "/ab", false, rule: "disallow: /a*"),
    ]

    static let percentEncoding: [RobotsCase] = [
        .text("a query full of reserved characters",
              "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", "FooBot",
              "/foo/bar?qux=taz&baz=http://foo.bar?tar&par", true),
        .text("non-ASCII in a rule matches the encoded path", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n",
              "FooBot", "/foo/bar/%E3%83%84", true, rule: "allow: /foo/bar/ツ"),
        .text("non-ASCII in a rule does not match a raw path", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n",
              "FooBot", "/foo/bar/ツ", false, rule: "disallow: /"),
        .text("an encoded rule matches the encoded path",
              "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "/foo/bar/%E3%83%84", true),
        .text("an encoded rule does not match a raw path",
              "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot", "/foo/bar/ツ", false),
        .text("escapes are not decoded", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot",
              "/foo/bar/baz", false),
        .text("the escaped spelling matches itself", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n",
              "FooBot", "/foo/bar/%62%61%7A", true),
        .text("lower-case hex in a rule", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%e3%83%84\n", "FooBot",
              "/foo/bar/%E3%83%84", true, rule: "allow: /foo/bar/%e3%83%84"),
        .text("lower-case hex in the path", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot",
              "/foo/bar/%e3%83%84", true),
        .text("only the hex of an escape ignores case", "User-agent: FooBot\nDisallow: /\nAllow: /a%2fb\n", "FooBot",
              "/A%2Fb", false),
        .text("a percent sign without hex is literal", "User-agent: FooBot\nDisallow: /\nAllow: /100%zz\n", "FooBot",
              "/100%zz", true, rule: "allow: /100%zz"),
    ]

    static let wildcards: [RobotsCase] = [
        .text("* spans one segment", "User-agent: FooBot\nDisallow: /\nAllow: /foo/*/qux\n", "FooBot", "/foo/bar/qux",
              true, rule: "allow: /foo/*/qux"),
        .text("* spans several segments", "User-agent: FooBot\nDisallow: /\nAllow: /foo/*/qux\n", "FooBot",
              "/foo/bar/baz/qux", true, rule: "allow: /foo/*/qux"),
        .text("* may match nothing", "User-agent: FooBot\nDisallow: /\nAllow: /foo/*/qux\n", "FooBot", "/foo//qux",
              true, rule: "allow: /foo/*/qux"),
        .text("the literal parts still have to appear", "User-agent: FooBot\nDisallow: /\nAllow: /foo/*/qux\n",
              "FooBot", "/foo/qux", false, rule: "disallow: /"),
        .text("a plain rule next to a wildcard rule", "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n",
              "FooBot", "/foo/bar/quz", false, rule: "disallow: /foo/bar/quz"),
        .text("* crosses into the query", "User-agent: FooBot\nDisallow: /*sort=\n", "FooBot",
              "/list?page=2&sort=asc", false),
        .text("without the parameter", "User-agent: FooBot\nDisallow: /*sort=\n", "FooBot", "/list?page=2", true),
        .text("* matches across ?", "User-agent: FooBot\nDisallow: /*?\n", "FooBot", "/a/b?c", false),
        .text("$ anchors the end", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot",
              "/foo/bar", false, rule: "disallow: /foo/bar$"),
        .text("$ stops a trailing slash", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n", "FooBot",
              "/foo/bar/", true, rule: nil),
        .text("$ rule beside a longer allow", "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n",
              "FooBot", "/foo/bar/qux", true, rule: "allow: /foo/bar/qux"),
        .text("*.pdf$ matches a pdf", "User-agent: FooBot\nDisallow: /*.pdf$\n", "FooBot", "/docs/a.pdf", false),
        .text("*.pdf$ and a query", "User-agent: FooBot\nDisallow: /*.pdf$\n", "FooBot", "/docs/a.pdf?x=1", true),
        .text("*.pdf$ and a longer name", "User-agent: FooBot\nDisallow: /*.pdf$\n", "FooBot", "/docs/a.pdfx", true),
        .text("$ inside a pattern is literal", "User-agent: FooBot\nDisallow: /a$b\n", "FooBot", "/a$b/c", false),
        .text("$ inside a pattern does not anchor", "User-agent: FooBot\nDisallow: /a$b\n", "FooBot", "/ab", true),
        .text("the anchored piece is found at the end", "User-agent: FooBot\nDisallow: /*ab$\n", "FooBot", "/abab",
              false),
        .text("several stars in order", "User-agent: FooBot\nDisallow: /*a*b*c$\n", "FooBot", "/xaybzc", false),
        .text("several stars and a missed anchor", "User-agent: FooBot\nDisallow: /*a*b*c$\n", "FooBot", "/xaybzcd",
              true),
        .text("several stars out of order", "User-agent: FooBot\nDisallow: /*a*b*c\n", "FooBot", "/xcybza", true),
        .text("a bare *", "User-agent: FooBot\nDisallow: *\n", "FooBot", "/anything", false, rule: "disallow: *"),
        .text("/** is /*", "User-agent: FooBot\nDisallow: /**\n", "FooBot", "/x", false),
        .text("/$ at the root", "User-agent: FooBot\nDisallow: /$\n", "FooBot", "/", false),
        .text("/$ below the root", "User-agent: FooBot\nDisallow: /$\n", "FooBot", "/x", true),
        .text("an empty path is the root", "User-agent: FooBot\nDisallow: /$\n", "FooBot", "", false),
    ]

    static let comments: [RobotsCase] = [
        .text("a commented-out rule", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n",
              "FooBot", "/foo/bar", true, rule: "allow: /"),
        .text("a comment after a rule", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n",
              "FooBot", "/foo/quz", false, rule: "disallow: /foo/quz"),
        .text("a comment after the agent", "User-agent: FooBot # ours\nDisallow: /\n", "FooBot", "/x", false,
              group: "FooBot"),
        .text("a comment that empties a rule", "User-agent: FooBot\nDisallow: # /\n", "FooBot", "/x", true,
              rule: nil, group: "FooBot"),
        .text("a comment before the colon", "User-agent: FooBot\nDisallow #: /\n", "FooBot", "/x", true, rule: nil),
    ]

    static func endings(_ eol: String) -> String {
        "User-Agent: foo\(eol)Allow: /some/path\(eol)User-Agent: bar\(eol)\(eol)\(eol)Disallow: /\(eol)"
    }

    static let lineEndings: [RobotsCase] = [
        .text("LF", endings("\n"), "bar", "/x", false, rule: "disallow: /", group: "bar"),
        .text("CRLF", endings("\r\n"), "bar", "/x", false, rule: "disallow: /", group: "bar"),
        .text("CR", endings("\r"), "bar", "/x", false, rule: "disallow: /", group: "bar"),
        .text("CR keeps the first group apart", endings("\r"), "foo", "/some/path", true, rule: "allow: /some/path",
              group: "foo"),
        .text("mixed endings and no final newline",
              "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\rDisallow: /", "bar", "/x", false,
              rule: "disallow: /"),
        .text("CR after the last rule", "User-agent: FooBot\rDisallow: /private\r", "FooBot", "/private", false,
              rule: "disallow: /private"),
    ]

    static let rules = Array("User-Agent: foo\nDisallow: /\n".utf8)

    static let byteOrderMark: [RobotsCase] = [
        .bytes("a BOM is skipped", [0xEF, 0xBB, 0xBF] + rules, "foo", "/x", false, group: "foo"),
        .bytes("two bytes of a BOM are skipped", [0xEF, 0xBB] + rules, "foo", "/x", false, group: "foo"),
        .bytes("one byte of a BOM is skipped", [0xEF] + rules, "foo", "/x", false, group: "foo"),
        .bytes("a broken BOM spoils the first line", [0xEF, 0x11, 0xBF] + rules, "foo", "/x", true, group: nil),
        .bytes("a BOM inside the file spoils its line",
               Array("User-Agent: foo\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("Disallow: /\n".utf8), "foo", "/x",
               true, rule: nil, group: "foo"),
        .text("a BOM that came through text", "\u{FEFF}User-Agent: foo\nDisallow: /\n", "foo", "/x", false),
    ]

    static let emptyRules: [RobotsCase] = [
        .text("empty allow and disallow", "User-agent: FooBot\nallow: \ndisallow: \n", "FooBot", "/x", true,
              rule: nil, group: "FooBot"),
        .text("an empty disallow under *", "User-agent: *\nDisallow:\n", "FooBot", "/x", true, rule: nil, group: "*"),
        .text("an empty rule beside a real one", "User-agent: *\nDisallow:\nDisallow: /x\n", "FooBot", "/x", false,
              rule: "disallow: /x"),
        .text("an empty allow does not beat a disallow", "User-agent: *\nAllow:\nDisallow: /\n", "FooBot", "/x", false,
              rule: "disallow: /"),
    ]

    static let limit = RobotsTxt.byteLimit

    /// `head`, then a comment line sized so that `tail` begins at byte `offset`.
    static func padded(_ head: String, _ tail: String, at offset: Int) -> [UInt8] {
        let start = Array(head.utf8)
        let filler = offset - start.count - 2
        precondition(filler >= 0)
        return start + Array("#".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: filler) + [0x0A]
            + Array(tail.utf8)
    }

    static let sizeLimit: [RobotsCase] = [
        .bytes("a rule well inside 500 KiB",
               padded("User-agent: *\nAllow: /\n", "Disallow: /private\n", at: limit - 100),
               "FooBot", "/private", false, rule: "disallow: /private"),
        .bytes("a rule past 500 KiB is ignored", padded("User-agent: *\nAllow: /\n", "Disallow: /private\n", at: limit),
               "FooBot", "/private", true, rule: "allow: /"),
        .bytes("a rule ending exactly at 500 KiB", padded("User-agent: *\n", "Disallow: /private\nAllow: /p\n",
                                                          at: limit - "Disallow: /private".utf8.count),
               "FooBot", "/private", false, rule: "disallow: /private"),
        .bytes("a rule cut by the limit is dropped, not shortened",
               padded("User-agent: *\n", "Disallow: /private\n", at: limit - "Disallow: /".utf8.count),
               "FooBot", "/public", true, rule: nil),
    ]
}

@Suite("robots.txt (RFC 9309)")
struct RobotsTxtTests {
    @Test("Line syntax", arguments: RobotsCases.lineSyntax)
    func lineSyntax(_ row: RobotsCase) { row.check() }

    @Test("Groups", arguments: RobotsCases.groups)
    func groups(_ row: RobotsCase) { row.check() }

    @Test("Case of names, agents and paths", arguments: RobotsCases.caseRules)
    func caseRules(_ row: RobotsCase) { row.check() }

    @Test("Choosing the group for our agent", arguments: RobotsCases.agentMatching)
    func agentMatching(_ row: RobotsCase) { row.check() }

    @Test("Longest match, ties go to allow", arguments: RobotsCases.longestMatch)
    func longestMatch(_ row: RobotsCase) { row.check() }

    @Test("Percent-encoding", arguments: RobotsCases.percentEncoding)
    func percentEncoding(_ row: RobotsCase) { row.check() }

    @Test("Wildcards * and $", arguments: RobotsCases.wildcards)
    func wildcards(_ row: RobotsCase) { row.check() }

    @Test("Comments", arguments: RobotsCases.comments)
    func comments(_ row: RobotsCase) { row.check() }

    @Test("Line endings", arguments: RobotsCases.lineEndings)
    func lineEndings(_ row: RobotsCase) { row.check() }

    @Test("Byte order mark", arguments: RobotsCases.byteOrderMark)
    func byteOrderMark(_ row: RobotsCase) { row.check() }

    @Test("Empty rules match nothing", arguments: RobotsCases.emptyRules)
    func emptyRules(_ row: RobotsCase) { row.check() }

    @Test("Only the first 500 KiB is read", arguments: RobotsCases.sizeLimit)
    func sizeLimit(_ row: RobotsCase) { row.check() }

    /// source, allowed, words the reason must contain
    static let fetchOutcomes: [(RobotsTxt.Source, Bool, String)] = [
        (.clientError(404), true, "robots.txt answered 404: everything allowed"),
        (.clientError(403), true, "answered 403: everything allowed"),
        (.clientError(401), true, "answered 401: everything allowed"),
        (.clientError(410), true, "answered 410: everything allowed"),
        (.clientError(429), false, "answered 429: everything disallowed"),
        (.clientError(500), false, "answered 500: everything disallowed"),
        (.clientError(503), false, "answered 503: everything disallowed"),
        (.unavailable("connection timed out"), false,
         "robots.txt unavailable (connection timed out): everything disallowed"),
    ]

    @Test("Fetch status decides without a body", arguments: fetchOutcomes)
    func fetchStatus(_ source: RobotsTxt.Source, _ allowed: Bool, _ words: String) {
        let robots = RobotsTxt(source: source)
        for path in ["/", "/private/x?y=1"] {
            let decision = robots.decision(forPath: path, userAgent: "onboard/0.1")
            #expect(decision.allowed == allowed)
            #expect(decision.rule == nil)
            #expect(decision.group == nil)
            #expect(decision.reason.contains(words), "\(decision.reason)")
        }
        #expect(robots.sitemaps.isEmpty)
    }

    @Test func reasonsSayWhatDecided() {
        let robots = RobotsTxt(text: "User-agent: *\nDisallow: /private\nAllow: /shared\nDisallow: /shared\n")
        let agent = "onboard/0.1 (+https://onboard.example/bot)"
        #expect(robots.decision(forPath: "/about", userAgent: agent).reason == "no rule matches")
        #expect(robots.decision(forPath: "/private/a", userAgent: agent).reason == "longest match: disallow: /private")
        #expect(robots.decision(forPath: "/shared/a", userAgent: agent).reason
            == "longest match: allow: /shared (ties with disallow: /shared; allow wins)")
        let none = RobotsTxt(text: "User-agent: OtherBot\nDisallow: /\n").decision(forPath: "/", userAgent: agent)
        #expect(none.reason == "no group for \"onboard\" and no * group: everything allowed")
        let unusable = RobotsTxt(text: "User-agent: OtherBot\nDisallow: /\n")
            .decision(forPath: "/", userAgent: "bot2/1.0")
        #expect(unusable.reason == "no group for this user agent and no * group: everything allowed")
    }

    @Test func sitemapsAreCollectedFromAnywhereInOrderWithoutDuplicates() {
        let robots = RobotsTxt(text: """
            Sitemap: https://a.example/one.xml
            User-agent: *
            sitemap: https://a.example/two.xml
            Disallow: /
            SITEMAP:https://a.example/three.xml # the third
            Sitemap: https://a.example/one.xml
            Sitemap:
            Sitemap https://a.example/no-colon.xml
            """)
        #expect(robots.sitemaps == [
            "https://a.example/one.xml", "https://a.example/two.xml", "https://a.example/three.xml",
        ])
        #expect(!robots.decision(forPath: "/x", userAgent: "FooBot").allowed)
        #expect(RobotsTxt(text: "User-agent: *\nDisallow: /\n").sitemaps.isEmpty)
    }

    @Test func textAndBodyParseAlike() {
        let text = "User-agent: FooBot\nDisallow: /x\n"
        let fromText = RobotsTxt(text: text).decision(forPath: "/x", userAgent: "FooBot")
        let fromBody = RobotsTxt(source: .body(Data(text.utf8))).decision(forPath: "/x", userAgent: "FooBot")
        #expect(fromText == fromBody)
        #expect(!fromText.allowed)
    }

    @Test func decisionRoundTripsThroughJSON() throws {
        let decision = RobotsTxt(text: "User-agent: *\nDisallow: /private\n")
            .decision(forPath: "/private", userAgent: "onboard/0.1")
        let data = try JSONEncoder().encode(decision)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["allowed", "rule", "group", "reason"])
        #expect(object["rule"] as? String == "disallow: /private")
        #expect(object["group"] as? String == "*")
        #expect(try JSONDecoder().decode(RobotsDecision.self, from: data) == decision)
    }

    @Test func manyWildcardsOnALongPathStayCorrect() {
        let pattern = String(repeating: "*a", count: 200) + "b$"
        let robots = RobotsTxt(text: "User-agent: *\nDisallow: /\(pattern)\n")
        let long = "/" + String(repeating: "a", count: 100_000)
        #expect(robots.decision(forPath: long, userAgent: "FooBot").allowed)
        #expect(!robots.decision(forPath: long + "b", userAgent: "FooBot").allowed)
    }
}
