import Foundation
import Glibc

/// Name resolution, injectable so tests never touch the system resolver.
public protocol HostResolver: Sendable {
    func resolve(_ host: String, port: Int) throws -> [IPAddress]
}

/// Why the system resolver gave no answer, with the resolver's own wording.
public struct ResolveError: Error, Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let code: Int32
    public let message: String

    public var description: String { "\(host): \(message)" }
}

/// Resolves through `getaddrinfo` with `AF_UNSPEC`, so both A and AAAA records come back and
/// every one of them gets checked: an attacker controls which family a client happens to prefer.
public struct SystemResolver: HostResolver {
    public init() {}

    public func resolve(_ host: String, port: Int) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        // No AI_ADDRCONFIG: it hides AAAA records on hosts without IPv6, and a hidden record is an
        // unchecked one if the fetch later runs somewhere that has IPv6.
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let message = String(cString: gai_strerror(status))
            throw ResolveError(host: host, code: status, message: message)
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = Self.address(of: entry.pointee), !addresses.contains(address) {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    private static func address(of entry: addrinfo) -> IPAddress? {
        guard let socketAddress = entry.ai_addr else { return nil }
        switch entry.ai_family {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                // s_addr is in network order, so its bytes are already the address's bytes.
                var raw = pointer.pointee.sin_addr
                return withUnsafeBytes(of: &raw) { IPAddress(bytes: Array($0)) }
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                var raw = pointer.pointee.sin6_addr
                return withUnsafeBytes(of: &raw) { IPAddress(bytes: Array($0)) }
            }
        default:
            return nil
        }
    }
}

/// A URL the guard will not fetch. `reason` is one of "scheme", "loopback", "private",
/// "link-local", "metadata", "reserved", "userinfo", "host", "resolve".
public struct GuardRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let url: String
    public let reason: String
    public let detail: String

    public init(url: String, reason: String, detail: String) {
        self.url = url
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "refused \(url): \(detail)" }
}

/// A URL that passed: where to connect (the checked address, to pin the connection to).
public struct GuardedTarget: Sendable, Equatable {
    public let url: URL
    /// "http" or "https", lower case.
    public let scheme: String
    /// Lower case, without brackets or a trailing dot. For an address literal this is the
    /// address's canonical text, so `http://2130706433/` gives "127.0.0.1".
    public let host: String
    public let port: Int
    /// The address that was checked. The fetch must connect to this one and not resolve the name
    /// again, or a second answer from DNS could point somewhere unchecked.
    public let address: IPAddress
    public let allowListed: Bool
}

/// Decides whether a URL may be fetched, before the fetch and again for every redirect hop.
///
/// Any port is allowed: the project fetches sites that run on non-standard ports and the
/// address checks, not the port, are what keep requests off internal services.
public struct URLGuard: Sendable {
    enum Host: Hashable, Sendable {
        case address(IPAddress)
        case name(String)
    }

    struct Endpoint: Hashable, Sendable {
        let host: Host
        let port: Int
    }

    private let allowed: Set<Endpoint>
    private let resolver: any HostResolver

    /// Names that reach a cloud metadata service whatever they resolve to on a given network.
    static let metadataNames: Set<String> = [
        "metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal",
    ]

    /// `allowHosts`: "host:port" pairs ("127.0.0.1:8081", "[::1]:8081", "site.example:443") that
    /// may be fetched although they resolve to loopback or private addresses.
    ///
    /// Entries are compared after the same normalisation as URL hosts, so an address entry also
    /// matches the other spellings of that address (`127.0.0.1:8711` allows
    /// `http://2130706433:8711/`): the allow-list names an endpoint, and refusing one spelling of an
    /// endpoint that is allowed under another would protect nothing. A name entry matches only that
    /// name, never the addresses it resolves to, and an IPv4 entry does not match its IPv6-mapped
    /// form. Entries that cannot be read are ignored; `isValidAllowHost` lets configuration
    /// checking report them.
    public init(allowHosts: [String], resolver: any HostResolver = SystemResolver()) {
        allowed = Set(allowHosts.compactMap(Self.endpoint(fromAllowEntry:)))
        self.resolver = resolver
    }

    public static func isValidAllowHost(_ entry: String) -> Bool {
        endpoint(fromAllowEntry: entry) != nil
    }

    static func endpoint(fromAllowEntry entry: String) -> Endpoint? {
        let hostPart: Substring
        let portPart: Substring
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { return nil }
            let after = entry[entry.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            hostPart = entry[...close]
            portPart = after.dropFirst()
        } else {
            guard let colon = entry.lastIndex(of: ":") else { return nil }
            hostPart = entry[..<colon]
            portPart = entry[entry.index(after: colon)...]
        }
        guard !portPart.isEmpty, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              portPart.count <= 5, let port = Int(portPart), (1...65535).contains(port),
              case .success(let host) = normaliseHost(String(hostPart))
        else { return nil }
        return Endpoint(host: host, port: port)
    }

    /// Reads a host as it appears in a URL's authority (IPv6 still in brackets, IDN already in
    /// punycode). The failure value is the detail for a "host" refusal.
    static func normaliseHost(_ raw: String) -> Result<Host, HostProblem> {
        if raw.isEmpty { return .failure(HostProblem("no host")) }
        // Percent-escapes in a host are decoded by some clients and not others, and a zone id
        // (`%25eth0`) names a local interface: either way the name checked could differ from the
        // name connected to.
        if raw.contains("%") { return .failure(HostProblem("invalid host \(raw)")) }
        if raw.hasPrefix("[") {
            guard raw.hasSuffix("]"), raw.count > 2,
                  let address = IPAddress.parseV6(String(raw.dropFirst().dropLast()))
            else { return .failure(HostProblem("invalid host \(raw)")) }
            return .success(.address(address))
        }
        var host = raw.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, !host.contains(":") else { return .failure(HostProblem("invalid host \(raw)")) }
        // As in the WHATWG host parser: a host whose last label is a number is an IPv4 address or
        // nothing. Resolvers would read `0x7f.1` as an address, never look it up as a name.
        if endsInNumber(host) {
            guard let address = IPAddress.parseV4(host) else { return .failure(HostProblem("invalid host \(raw)")) }
            return .success(.address(address))
        }
        guard isValidName(host) else { return .failure(HostProblem("invalid host \(raw)")) }
        return .success(.name(host))
    }

    struct HostProblem: Error {
        let detail: String
        init(_ detail: String) { self.detail = detail }
    }

    private static func endsInNumber(_ host: String) -> Bool {
        guard let last = host.split(separator: ".", omittingEmptySubsequences: false).last, !last.isEmpty else {
            return false
        }
        if last.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        if last.hasPrefix("0x") {
            return last.dropFirst(2).allSatisfy { $0.isASCII && $0.isHexDigit }
        }
        return false
    }

    private static func isValidName(_ host: String) -> Bool {
        guard host.utf8.count <= 253 else { return false }
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count) else { return false }
            // Underscores are not legal in host names but do occur in real DNS records.
            let legal = label.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
            }
            guard legal else { return false }
        }
        return true
    }

    private static func isLocalhostName(_ host: String) -> Bool {
        // RFC 6761 reserves localhost and everything under it for the loopback interface.
        host == "localhost" || host.hasSuffix(".localhost")
    }

    /// Checks a URL given as text; text that does not parse as a URL is refused as "host" (or
    /// "scheme" when its scheme is already visibly not http or https).
    public func check(_ text: String) throws(GuardRefusal) -> GuardedTarget {
        guard let url = URL(string: text) else {
            var reason = "host"
            var detail = "not a valid URL"
            if let colon = text.firstIndex(of: ":") {
                let scheme = text[..<colon].lowercased()
                if scheme != "http", scheme != "https" {
                    reason = "scheme"
                    detail = "scheme \(scheme) is not http or https"
                }
            }
            throw GuardRefusal(url: text, reason: reason, detail: detail)
        }
        return try check(url)
    }

    /// Checks scheme, userinfo and host; resolves the host and checks EVERY address (refuse if any
    /// address is not public); returns the first address to pin to.
    public func check(_ url: URL) throws(GuardRefusal) -> GuardedTarget {
        let absolute = url.absoluteURL
        let shown = absolute.absoluteString
        func refuse(_ reason: String, _ detail: String) -> GuardRefusal {
            GuardRefusal(url: shown, reason: reason, detail: detail)
        }

        guard let components = URLComponents(url: absolute, resolvingAgainstBaseURL: true) else {
            throw refuse("host", "not a valid URL")
        }
        guard let rawScheme = components.scheme, !rawScheme.isEmpty else {
            throw refuse("scheme", "no scheme")
        }
        let scheme = rawScheme.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw refuse("scheme", "scheme \(scheme) is not http or https")
        }
        // Credentials in a URL are a classic way to disguise the real host (`http://site.example@10.0.0.1/`),
        // and a fetch of a public page never needs them; an empty `@` is refused for the same reason.
        if components.percentEncodedUser != nil || components.percentEncodedPassword != nil {
            throw refuse("userinfo", "user name or password in the URL")
        }
        let host: Host
        switch Self.normaliseHost(components.encodedHost ?? "") {
        case .success(let found): host = found
        case .failure(let problem): throw refuse("host", problem.detail)
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else {
            throw refuse("host", "port \(port) is out of range")
        }
        let allowListed = allowed.contains(Endpoint(host: host, port: port))

        // A metadata endpoint hands out credentials: no allow-list entry opens one, whatever it names.
        switch host {
        case .address(let address):
            let cls = address.addressClass
            if cls == .metadata || (!allowListed && cls != .public) {
                throw refuse(cls.rawValue, Self.detail(address, cls, host: nil))
            }
            return GuardedTarget(url: absolute, scheme: scheme, host: address.description, port: port,
                                 address: address, allowListed: allowListed)

        case .name(let name):
            if Self.metadataNames.contains(name) { throw refuse("metadata", "metadata host \(name)") }
            if !allowListed, Self.isLocalhostName(name) { throw refuse("loopback", "loopback host \(name)") }
            let addresses: [IPAddress]
            do {
                addresses = try resolver.resolve(name, port: port)
            } catch {
                throw refuse("resolve", "cannot resolve \(name): \(error)")
            }
            guard let first = addresses.first else { throw refuse("resolve", "no addresses for \(name)") }
            // One bad answer refuses the lot: which answer a client uses is not ours to predict,
            // and mixing a public with a private answer is how DNS rebinding slips through.
            for address in addresses {
                let cls = address.addressClass
                if cls == .metadata || (!allowListed && cls != .public) {
                    throw refuse(cls.rawValue, Self.detail(address, cls, host: name))
                }
            }
            return GuardedTarget(url: absolute, scheme: scheme, host: name, port: port,
                                 address: first, allowListed: allowListed)
        }
    }

    private static func detail(_ address: IPAddress, _ cls: AddressClass, host: String?) -> String {
        var text = "\(cls.rawValue) address \(address)"
        if let inner = address.embeddedIPv4 { text += " (an IPv6 form of \(inner))" }
        if let host { text += " for host \(host)" }
        return text
    }
}
