import Foundation
import Testing

@testable import OnboardWeb

/// Answers from a fixed table and remembers every name it was asked about, so the tests can
/// prove that address literals never reach a resolver and that nothing touches real DNS.
final class TableResolver: HostResolver, @unchecked Sendable {
    struct NotFound: Error, CustomStringConvertible {
        let host: String
        var description: String { "no such name \(host)" }
    }

    private let table: [String: [String]]
    private let lock = NSLock()
    private var asked: [String] = []

    init(_ table: [String: [String]]) { self.table = table }

    var lookups: [String] {
        lock.lock()
        defer { lock.unlock() }
        return asked
    }

    func resolve(_ host: String, port: Int) throws -> [IPAddress] {
        lock.lock()
        asked.append(host)
        lock.unlock()
        guard let texts = table[host] else { throw NotFound(host: host) }
        return texts.map { IPAddress.parse($0)! }
    }
}

/// Invented names (RFC 2606 .example and .test) and what they "resolve" to.
private let names: [String: [String]] = [
    "shop.example": ["93.184.216.34"],
    "dual.example": ["2606:4700::6810:85e5", "104.16.133.229"],
    "xn--bcher-kva.example": ["93.184.216.34"],
    "under_score.example": ["8.8.4.4"],
    "far-port.test": ["93.184.216.34"],
    "internal.example": ["10.1.2.3"],
    "rebind.example": ["93.184.216.34", "192.168.0.10"],
    "rebind6.example": ["2606:4700::6810:85e5", "fd12::7"],
    "v6loop.example": ["::1"],
    "mapped.example": ["::ffff:93.184.216.34"],
    "metadata-alias.example": ["169.254.169.254"],
    "linklocal.example": ["169.254.10.20"],
    "cgnat.example": ["100.64.1.1"],
    "zero.example": ["0.0.0.0"],
    "multicast.example": ["239.1.2.3"],
    "empty.example": [],
    "intranet.example": ["10.0.0.8"],
    "localhost": ["127.0.0.1", "::1"],
]

private let allowHosts = ["127.0.0.1:8711", "[::1]:8081", "LOCALHOST.:9000", "intranet.example:8080"]

private func makeGuard(allowHosts: [String] = allowHosts) -> (URLGuard, TableResolver) {
    let resolver = TableResolver(names)
    return (URLGuard(allowHosts: allowHosts, resolver: resolver), resolver)
}

@Suite("URL guard: refusing requests to internal addresses")
struct URLGuardTests {
    static let refused: [(url: String, reason: String)] = [
        // Loopback, including every numeric spelling resolvers accept.
        ("http://127.0.0.1/", "loopback"),
        ("http://127.255.255.254:8080/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("https://0X7F000001/", "loopback"),
        ("http://017700000001/", "loopback"),
        ("http://0177.0x0.0x0.0x1/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://127.0.1/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://127.0.0.1./", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[0000::1]/", "loopback"),
        ("http://[0:0:0:0:0:0:0:1]:8080/", "loopback"),
        ("http://localhost/", "loopback"),
        ("http://api.localhost/", "loopback"),
        ("http://v6loop.example/", "loopback"),
        // Allow-listing is per exact endpoint.
        ("http://127.0.0.1:8712/", "loopback"),
        ("http://127.0.0.2:8711/", "loopback"),
        ("http://[::ffff:127.0.0.1]:8711/", "loopback"),
        ("http://[::1]:8711/", "loopback"),
        ("http://localhost:9001/", "loopback"),
        ("http://intranet.example:8081/", "private"),
        // Private ranges.
        ("http://10.0.0.1/", "private"),
        ("http://167772161/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://172.31.255.255/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://0300.0250.0.1/", "private"),
        ("http://3232235777/", "private"),
        ("http://100.64.0.1/", "private"),
        ("http://100.127.255.255/", "private"),
        ("http://[fc00::1]/", "private"),
        ("http://[fd12:3456:789a::1]/", "private"),
        ("http://[fec0::1]/", "private"),
        ("http://internal.example/", "private"),
        ("http://cgnat.example/", "private"),
        ("http://rebind.example/", "private"),
        ("http://rebind6.example/", "private"),
        // Link-local.
        ("http://169.254.1.1/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[febf::1]/", "link-local"),
        ("http://linklocal.example/", "link-local"),
        // Cloud metadata, by address and by name.
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://0xa9fea9fe/", "metadata"),
        ("http://0xA9.0xFE.0xA9.0xFE/", "metadata"),
        ("http://169.254.43518/", "metadata"),
        ("http://2852039166/", "metadata"),
        ("http://100.100.100.200/", "metadata"),
        ("http://[fd00:ec2::254]/", "metadata"),
        ("http://[::ffff:169.254.169.254]/", "metadata"),
        ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
        ("http://METADATA/", "metadata"),
        ("http://instance-data./", "metadata"),
        ("http://metadata-alias.example/", "metadata"),
        // Reserved IPv4.
        ("http://0/", "reserved"),
        ("http://0.0.0.0/", "reserved"),
        ("http://0x/", "reserved"),
        ("http://0.1.2.3/", "reserved"),
        ("http://192.0.0.8/", "reserved"),
        ("http://192.0.2.1/", "reserved"),
        ("http://198.18.0.1/", "reserved"),
        ("http://198.19.255.255/", "reserved"),
        ("http://198.51.100.7/", "reserved"),
        ("http://203.0.113.9/", "reserved"),
        ("http://224.0.0.1/", "reserved"),
        ("http://239.255.255.250/", "reserved"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "reserved"),
        ("http://4294967295/", "reserved"),
        ("http://zero.example/", "reserved"),
        ("http://multicast.example/", "reserved"),
        // Reserved IPv6 and IPv4 carried inside IPv6.
        ("http://[::]/", "reserved"),
        ("http://[ff02::1]/", "reserved"),
        ("http://[100::1]/", "reserved"),
        ("http://[2001:db8::1]/", "reserved"),
        ("http://[2001::5efe:7f00:1]/", "reserved"),
        ("http://[2002:7f00:1::1]/", "reserved"),
        ("http://[64:ff9b:1::a00:1]/", "reserved"),
        ("http://[::ffff:129.144.52.38]/", "reserved"),
        ("http://[64:ff9b::93.184.216.34]/", "reserved"),
        ("http://[1::1]/", "reserved"),
        ("http://mapped.example/", "reserved"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:7f00:1]/", "loopback"),
        ("http://[::127.0.0.1]/", "loopback"),
        ("http://[::ffff:0:127.0.0.1]/", "loopback"),
        ("http://[64:ff9b::7f00:1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[64:ff9b::c0a8:101]/", "private"),
        // Schemes.
        ("ftp://93.184.216.34/", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("data:text/html,hello", "scheme"),
        ("gopher://93.184.216.34:70/", "scheme"),
        ("//shop.example/", "scheme"),
        // Credentials.
        ("http://user:pass@93.184.216.34/", "userinfo"),
        ("http://user@shop.example/", "userinfo"),
        ("http://@shop.example/", "userinfo"),
        ("http://shop.example@127.0.0.1/", "userinfo"),
        ("http://shop.example\\@127.0.0.1/", "userinfo"),
        // Hosts that are missing or not hosts.
        ("http://[]", "host"),
        ("http://[]/", "host"),
        ("http://:123", "host"),
        ("http:///path", "host"),
        ("http:/shop.example/", "host"),
        ("http://127.0.0.1.5/", "host"),
        ("http://256.1.1.1/", "host"),
        ("http://1.2.65536/", "host"),
        ("http://08.1/", "host"),
        ("http://shop.0x7f/", "host"),
        ("http://[1.2.3.4]/", "host"),
        ("http://[v1.shop]/", "host"),
        ("http://[fe80::1%25eth0]/", "host"),
        ("http://%31%32%37.0.0.1/", "host"),
        ("http://[::1]x/", "host"),
        ("http://shop.example:0/", "host"),
        ("http://shop.example:99999/", "host"),
        ("http://shop..example/", "host"),
        // Resolution failures.
        ("http://nowhere.example/", "resolve"),
        ("http://empty.example/", "resolve"),
    ]

    @Test(arguments: refused)
    func refusesWithTheClassUsersSee(url: String, reason: String) {
        let (guardUnderTest, _) = makeGuard()
        do {
            let target = try guardUnderTest.check(url)
            Issue.record("\(url) passed as \(target.address)")
        } catch {
            #expect(error.reason == reason, "\(error)")
            #expect(error.description.hasPrefix("refused "))
        }
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        let url: String
        let host: String
        let address: String
        let port: Int
        let allowListed: Bool
        init(_ url: String, _ host: String, _ address: String, _ port: Int, _ allowListed: Bool) {
            (self.url, self.host, self.address, self.port, self.allowListed) = (url, host, address, port, allowListed)
        }
        var testDescription: String { url }
    }

    static let accepted: [Accepted] = [
        .init("http://93.184.216.34/", "93.184.216.34", "93.184.216.34", 80, false),
        .init("https://93.184.216.34/", "93.184.216.34", "93.184.216.34", 443, false),
        .init("http://93.184.216.34:8080/path?q=1#top", "93.184.216.34", "93.184.216.34", 8080, false),
        .init("http://1572395042/", "93.184.216.34", "93.184.216.34", 80, false),
        .init("http://0x5db8d822/", "93.184.216.34", "93.184.216.34", 80, false),
        .init("http://8.8.8.8./", "8.8.8.8", "8.8.8.8", 80, false),
        .init("http://172.32.0.1/", "172.32.0.1", "172.32.0.1", 80, false),
        .init("http://100.128.0.1/", "100.128.0.1", "100.128.0.1", 80, false),
        .init("http://169.255.0.1/", "169.255.0.1", "169.255.0.1", 80, false),
        .init("http://223.255.255.255/", "223.255.255.255", "223.255.255.255", 80, false),
        .init("http://[2606:2800:220:1:248:1893:25c8:1946]/", "2606:2800:220:1:248:1893:25c8:1946",
              "2606:2800:220:1:248:1893:25c8:1946", 80, false),
        .init("https://[2001:4860:4860:0:0:0:0:8888]:8443/", "2001:4860:4860::8888", "2001:4860:4860::8888", 8443, false),
        .init("https://shop.example/", "shop.example", "93.184.216.34", 443, false),
        .init("HTTPS://Shop.EXAMPLE./Path", "shop.example", "93.184.216.34", 443, false),
        .init("http://dual.example:8443/", "dual.example", "2606:4700::6810:85e5", 8443, false),
        .init("http://bücher.example/", "xn--bcher-kva.example", "93.184.216.34", 80, false),
        .init("http://under_score.example/", "under_score.example", "8.8.4.4", 80, false),
        .init("http://far-port.test:65535/", "far-port.test", "93.184.216.34", 65535, false),
        // Allow-listed endpoints, and equivalent spellings of an allow-listed address.
        .init("http://127.0.0.1:8711/", "127.0.0.1", "127.0.0.1", 8711, true),
        .init("https://127.0.0.1:8711/", "127.0.0.1", "127.0.0.1", 8711, true),
        .init("http://2130706433:8711/", "127.0.0.1", "127.0.0.1", 8711, true),
        .init("http://[::1]:8081/", "::1", "::1", 8081, true),
        .init("http://[0:0::1]:8081/", "::1", "::1", 8081, true),
        .init("http://localhost:9000/", "localhost", "127.0.0.1", 9000, true),
        .init("http://intranet.example:8080/", "intranet.example", "10.0.0.8", 8080, true),
    ]

    @Test(arguments: accepted)
    func acceptsPublicAndAllowListedTargets(_ expected: Accepted) throws {
        let (guardUnderTest, _) = makeGuard()
        let target = try guardUnderTest.check(expected.url)
        #expect(target.host == expected.host)
        #expect(target.address.description == expected.address)
        #expect(target.port == expected.port)
        #expect(target.allowListed == expected.allowListed)
        #expect(target.scheme == (expected.url.lowercased().hasPrefix("https") ? "https" : "http"))
    }

    @Test func addressLiteralsNeverReachTheResolver() {
        let (guardUnderTest, resolver) = makeGuard()
        let urls = Self.refused.map(\.url) + Self.accepted.map(\.url)
        let literals = urls.filter { url in
            guard var host = URLComponents(string: url)?.encodedHost else { return false }
            if host.hasSuffix(".") { host.removeLast() }
            return host.hasPrefix("[") || host.last?.isNumber == true
        }
        #expect(literals.count > 60)
        for url in literals { _ = try? guardUnderTest.check(url) }
        #expect(resolver.lookups.isEmpty, "looked up \(resolver.lookups)")
    }

    @Test func refusedNamesThatNeedNoAnswerAreNotLookedUp() {
        let (guardUnderTest, resolver) = makeGuard()
        for url in ["http://metadata.google.internal/", "http://localhost/", "ftp://shop.example/", "http://user@shop.example/"] {
            _ = try? guardUnderTest.check(url)
        }
        #expect(resolver.lookups.isEmpty, "looked up \(resolver.lookups)")
    }

    @Test func namesAreLookedUpLowerCasedWithoutTheTrailingDotAndWithThePort() throws {
        let (guardUnderTest, resolver) = makeGuard()
        _ = try guardUnderTest.check("https://SHOP.example./")
        #expect(resolver.lookups == ["shop.example"])
    }

    @Test func theFirstAnswerIsPinnedAndEveryAnswerIsChecked() throws {
        let (guardUnderTest, _) = makeGuard()
        let target = try guardUnderTest.check(URL(string: "http://dual.example/")!)
        #expect(target.address == IPAddress.parse("2606:4700::6810:85e5"))
        #expect(throws: GuardRefusal.self) { try guardUnderTest.check(URL(string: "http://rebind.example/")!) }
    }

    @Test func refusalNamesTheURLClassAndAddress() {
        let (guardUnderTest, _) = makeGuard()
        do {
            _ = try guardUnderTest.check(URL(string: "http://127.0.0.1/")!)
            Issue.record("loopback passed")
        } catch {
            #expect(error == GuardRefusal(url: "http://127.0.0.1/", reason: "loopback", detail: "loopback address 127.0.0.1"))
            #expect(error.description == "refused http://127.0.0.1/: loopback address 127.0.0.1")
        }
        do {
            _ = try guardUnderTest.check(URL(string: "http://rebind.example/")!)
            Issue.record("rebinding name passed")
        } catch {
            #expect(error.description == "refused http://rebind.example/: private address 192.168.0.10 for host rebind.example")
        }
        do {
            _ = try guardUnderTest.check(URL(string: "http://[::ffff:129.144.52.38]/")!)
            Issue.record("mapped address passed")
        } catch {
            #expect(error.detail == "reserved address ::ffff:129.144.52.38 (an IPv6 form of 129.144.52.38)")
        }
    }

    @Test func noAllowListEntryOpensAMetadataEndpoint() throws {
        let (guardUnderTest, _) = makeGuard(allowHosts: ["169.254.169.254:80", "metadata-alias.example:80",
                                                         "metadata.google.internal:80", "127.0.0.1:8081"])
        for url in ["http://169.254.169.254/latest", "http://metadata-alias.example/", "http://metadata.google.internal/"] {
            #expect(throws: GuardRefusal.self, "\(url)") { try guardUnderTest.check(URL(string: url)!) }
        }
        #expect(try guardUnderTest.check(URL(string: "http://127.0.0.1:8081/")!).allowListed, "other entries still open")
    }

    @Test func relativeURLsAreCheckedAgainstTheirBase() throws {
        let (guardUnderTest, _) = makeGuard()
        let base = URL(string: "https://shop.example/a/")!
        let hop = URL(string: "//169.254.169.254/latest", relativeTo: base)!
        #expect(throws: GuardRefusal(url: "https://169.254.169.254/latest", reason: "metadata",
                                     detail: "metadata address 169.254.169.254")) {
            try guardUnderTest.check(hop)
        }
        let sameSite = try guardUnderTest.check(URL(string: "b?c=1", relativeTo: base)!)
        #expect(sameSite.url.absoluteString == "https://shop.example/a/b?c=1")
        #expect(sameSite.port == 443)
    }

    static let allowEntries: [(entry: String, valid: Bool)] = [
        ("127.0.0.1:8081", true),
        ("[::1]:8081", true),
        ("site.example:443", true),
        ("Site.Example.:443", true),
        ("0x7f.1:80", true),
        ("site.example", false),
        ("site.example:", false),
        ("site.example:0", false),
        ("site.example:65536", false),
        ("site.example:+80", false),
        ("::1:8081", false),
        ("[::1]8081", false),
        ("[1.2.3.4]:80", false),
        (":80", false),
        ("256.0.0.1:80", false),
    ]

    @Test(arguments: allowEntries)
    func allowListEntriesAreHostPortPairs(entry: String, valid: Bool) {
        #expect(URLGuard.isValidAllowHost(entry) == valid)
    }

    @Test func systemResolverReadsAddressLiteralsWithoutDNS() throws {
        #expect(try SystemResolver().resolve("127.0.0.1", port: 80) == [IPAddress.parse("127.0.0.1")!])
        #expect(try SystemResolver().resolve("::1", port: 443) == [IPAddress.parse("::1")!])
    }
}

@Suite("IP addresses: parsing every spelling and classifying")
struct IPAddressTests {
    static let valid: [(text: String, canonical: String)] = [
        ("1.2.3.4", "1.2.3.4"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0x0.0x0.0x1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("00", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("4294967295", "255.255.255.255"),
        ("1.2.65535", "1.2.255.255"),
        ("1.16777215", "1.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("0000::1", "::1"),
        ("[::1]", "::1"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        ("1::", "1::"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
        ("::ffff:7f00:1", "::ffff:127.0.0.1"),
        ("::ffff:0:127.0.0.1", "::ffff:0:7f00:1"),
        ("64:ff9b::127.0.0.1", "64:ff9b::7f00:1"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ]

    @Test(arguments: valid)
    func parsesAndPrintsCanonically(text: String, canonical: String) throws {
        let address = try #require(IPAddress.parse(text))
        #expect(address.description == canonical)
        #expect(address.isV6 == canonical.contains(":"))
        #expect(IPAddress.parse(canonical) == address, "canonical text reads back")
    }

    static let invalid: [String] = [
        "", ".", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1.2.65536", "1.16777216", "4294967296",
        "99999999999999999999", "08", "0x1g", "1..2", "1.2.3.", ".1.2.3", "-1", "+1", "1.2.3.4 ",
        " 1.2.3.4", "a.b.c.d", "１.2.3.4", "0xx1",
        ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", "g::", ":1::", "1:::2",
        "1:2:3:4:5:6:7:8::", "fe80::1%eth0", "fe80::1%25eth0", "::ffff:1.2.3", "::ffff:01.2.3.4",
        "::ffff:1.2.3.256", "::ffff:0x7f.0.0.1", "1.2.3.4::", "::1.2.3.4:1", "[::1", "::1]", "[1.2.3.4]",
        "[]", "::１",
    ]

    @Test(arguments: invalid)
    func refusesMalformedText(text: String) {
        #expect(IPAddress.parse(text) == nil)
    }

    static let classes: [(text: String, cls: AddressClass)] = [
        ("93.184.216.34", .public),
        ("1.1.1.1", .public),
        ("0.0.0.0", .reserved),
        ("0.255.255.255", .reserved),
        ("1.0.0.0", .public),
        ("9.255.255.255", .public),
        ("10.0.0.0", .private),
        ("10.255.255.255", .private),
        ("11.0.0.0", .public),
        ("100.63.255.255", .public),
        ("100.64.0.0", .private),
        ("100.127.255.255", .private),
        ("100.128.0.0", .public),
        ("100.100.100.200", .metadata),
        ("126.255.255.255", .public),
        ("127.0.0.0", .loopback),
        ("127.255.255.255", .loopback),
        ("128.0.0.0", .public),
        ("169.253.255.255", .public),
        ("169.254.0.0", .linkLocal),
        ("169.254.169.253", .linkLocal),
        ("169.254.169.254", .metadata),
        ("169.254.255.255", .linkLocal),
        ("172.15.255.255", .public),
        ("172.16.0.0", .private),
        ("172.31.255.255", .private),
        ("172.32.0.0", .public),
        ("192.0.0.0", .reserved),
        ("192.0.1.0", .public),
        ("192.0.2.255", .reserved),
        ("192.167.255.255", .public),
        ("192.168.0.0", .private),
        ("192.169.0.0", .public),
        ("198.17.255.255", .public),
        ("198.18.0.0", .reserved),
        ("198.19.255.255", .reserved),
        ("198.20.0.0", .public),
        ("198.51.100.0", .reserved),
        ("203.0.113.255", .reserved),
        ("203.0.114.0", .public),
        ("223.255.255.255", .public),
        ("224.0.0.0", .reserved),
        ("239.255.255.255", .reserved),
        ("240.0.0.0", .reserved),
        ("255.255.255.255", .reserved),
        ("::", .reserved),
        ("::1", .loopback),
        ("::2", .reserved),
        ("::ffff:127.0.0.1", .loopback),
        ("::ffff:10.1.1.1", .private),
        ("::ffff:169.254.1.1", .linkLocal),
        ("::ffff:169.254.169.254", .metadata),
        ("::ffff:93.184.216.34", .reserved),
        ("::ffff:0.0.0.0", .reserved),
        ("::192.168.1.1", .private),
        ("::ffff:0:10.0.0.1", .private),
        ("64:ff9b::10.0.0.1", .private),
        ("64:ff9b::8.8.8.8", .reserved),
        ("64:ff9b:1::1", .reserved),
        ("100::", .reserved),
        ("100::ffff:ffff:ffff:ffff", .reserved),
        ("100:0:0:1::", .reserved),
        ("2001::1", .reserved),
        ("2001:0:ffff::", .reserved),
        ("2001:1::1", .public),
        ("2001:db8::", .reserved),
        ("2001:db9::1", .public),
        ("2002::1", .reserved),
        ("2003::1", .public),
        ("2606:4700::1111", .public),
        ("3fff:ffff::1", .public),
        ("4000::1", .reserved),
        ("fbff::1", .reserved),
        ("fc00::", .private),
        ("fdff:ffff::1", .private),
        ("fd00:ec2::254", .metadata),
        ("fd00:ec2::253", .private),
        ("fe80::", .linkLocal),
        ("febf:ffff::1", .linkLocal),
        ("fec0::", .private),
        ("feff::1", .private),
        ("ff00::", .reserved),
        ("ff02::1", .reserved),
    ]

    @Test(arguments: classes)
    func classifies(text: String, cls: AddressClass) throws {
        let address = try #require(IPAddress.parse(text))
        #expect(address.addressClass == cls)
    }

    @Test func embeddedIPv4IsFoundOnlyInTranslationForms() {
        #expect(IPAddress.parse("::ffff:1.2.3.4")?.embeddedIPv4 == IPAddress.parse("1.2.3.4"))
        #expect(IPAddress.parse("64:ff9b::1.2.3.4")?.embeddedIPv4 == IPAddress.parse("1.2.3.4"))
        #expect(IPAddress.parse("::1")?.embeddedIPv4 == nil)
        #expect(IPAddress.parse("2001:db8::1.2.3.4")?.embeddedIPv4 == nil)
        #expect(IPAddress.parse("1.2.3.4")?.embeddedIPv4 == nil)
    }

    @Test func classNamesAreTheOnesUsersSee() throws {
        #expect(AddressClass.linkLocal.rawValue == "link-local")
        let encoded = try JSONEncoder().encode([AddressClass.linkLocal, .metadata])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["link-local","metadata"]"#)
    }

    @Test func uriHostBracketsIPv6() {
        #expect(IPAddress.parse("::1")?.uriHost == "[::1]")
        #expect(IPAddress.parse("127.1")?.uriHost == "127.0.0.1")
    }
}
