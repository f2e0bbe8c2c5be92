import Foundation

/// The classes the URL guard refuses by, and the names users see in a refusal.
public enum AddressClass: String, Sendable, Codable {
    case `public`
    case loopback
    case `private`
    case linkLocal = "link-local"
    case metadata
    case reserved
}

/// An IPv4 or IPv6 address held as its network-order bytes (4 or 16 of them).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public init(v4 value: UInt32) {
        bytes = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    public var isV6: Bool { bytes.count == 16 }

    var v4Value: UInt32 {
        bytes.prefix(4).reduce(0) { ($0 << 8) | UInt32($1) }
    }

    /// The form a URL or a `host:port` pair needs: IPv6 in brackets.
    public var uriHost: String { isV6 ? "[\(description)]" : description }

    // MARK: Parsing

    /// Reads an IPv4 address in any of the forms `inet_aton` and the WHATWG URL standard accept,
    /// or an IPv6 address (optionally in brackets). Zone ids (`fe80::1%eth0`) are refused because a
    /// zone picks an interface, which no fetch of a public site needs.
    public static func parse(_ text: String) -> IPAddress? {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count >= 2 else { return nil }
            return parseV6(String(text.dropFirst().dropLast()))
        }
        if text.contains(":") { return parseV6(text) }
        return parseV4(text)
    }

    /// IPv4 with the numeric tricks resolvers and browsers honour: one to four parts, each decimal,
    /// octal (leading `0`) or hex (`0x`); the last part fills all remaining bytes, so `127.1` is
    /// 127.0.0.1 and `2130706433` is 127.0.0.1. An attacker uses these spellings precisely because a
    /// naive dotted-quad check misses them, so they are read exactly as a resolver would read them.
    public static func parseV4(_ text: String) -> IPAddress? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = parseV4Number(part) else { return nil }
            numbers.append(number)
        }
        for number in numbers.dropLast() where number > 255 { return nil }
        let lastLimit: UInt64 = 1 << (8 * UInt64(5 - numbers.count))
        guard let last = numbers.last, last < lastLimit else { return nil }
        var value: UInt64 = last
        for (index, number) in numbers.dropLast().enumerated() {
            value |= number << (8 * UInt64(3 - index))
        }
        return IPAddress(v4: UInt32(value))
    }

    /// One part of an IPv4 address; nil on anything a resolver would not take as a number,
    /// including values too large to hold (so they cannot wrap round into a small address).
    static func parseV4Number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty else { return nil }
        var digits = part
        var radix: UInt64 = 10
        if part.count >= 2, part.hasPrefix("0x") || part.hasPrefix("0X") {
            digits = part.dropFirst(2)
            radix = 16
            // WHATWG reads a bare "0x" as zero; glibc's inet_aton agrees.
            if digits.isEmpty { return 0 }
        } else if part.count >= 2, part.hasPrefix("0") {
            digits = part.dropFirst()
            radix = 8
        }
        var value: UInt64 = 0
        for character in digits {
            guard let digit = character.hexDigitValue, UInt64(digit) < radix, character.isASCII else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
            guard !overflowA, !overflowB, sum <= UInt64(UInt32.max) else { return nil }
            value = sum
        }
        return value
    }

    /// IPv6 in full, compressed (`::`) or with a trailing dotted IPv4 (`::ffff:1.2.3.4`).
    /// The embedded IPv4 must be a strict dotted quad, as `inet_pton` requires.
    public static func parseV6(_ text: String) -> IPAddress? {
        guard !text.contains("%"), text.allSatisfy({ $0.isASCII }) else { return nil }
        let head: Substring
        var tail: Substring? = nil
        if let gap = text.range(of: "::") {
            head = text[..<gap.lowerBound]
            let rest = text[gap.upperBound...]
            if rest.contains("::") { return nil }
            tail = rest
        } else {
            head = Substring(text)
        }
        guard var headGroups = groups(head) else { return nil }
        var tailGroups: [Substring] = []
        if let tail {
            guard let found = groups(tail) else { return nil }
            tailGroups = found
        }

        // Only the final group of the whole address may be a dotted IPv4.
        var v4Tail: [UInt8] = []
        if tail != nil, let last = tailGroups.last, last.contains(".") {
            guard let quad = strictDottedQuad(last) else { return nil }
            v4Tail = quad
            tailGroups.removeLast()
        } else if tail == nil, let last = headGroups.last, last.contains(".") {
            guard let quad = strictDottedQuad(last) else { return nil }
            v4Tail = quad
            headGroups.removeLast()
        }

        var headWords: [UInt16] = []
        var tailWords: [UInt16] = []
        for group in headGroups {
            guard let word = hexGroup(group) else { return nil }
            headWords.append(word)
        }
        for group in tailGroups {
            guard let word = hexGroup(group) else { return nil }
            tailWords.append(word)
        }
        let explicitWords = headWords.count + tailWords.count + v4Tail.count / 2
        let words: [UInt16]
        if tail != nil {
            guard explicitWords <= 7 else { return nil }
            words = headWords + Array(repeating: 0, count: 8 - explicitWords) + tailWords
        } else {
            guard explicitWords == 8 else { return nil }
            words = headWords
        }
        var bytes: [UInt8] = []
        for word in words {
            bytes.append(UInt8(word >> 8))
            bytes.append(UInt8(word & 0xFF))
        }
        bytes.append(contentsOf: v4Tail)
        return bytes.count == 16 ? IPAddress(bytes: bytes) : nil
    }

    /// Colon-separated groups; an empty side of `::` has none, but an empty group anywhere else
    /// (`1:::2`, `:1::`) makes the address invalid.
    private static func groups(_ text: Substring) -> [Substring]? {
        if text.isEmpty { return [] }
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        return pieces.contains(where: \.isEmpty) ? nil : pieces
    }

    private static func hexGroup(_ group: Substring) -> UInt16? {
        guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return nil }
        return UInt16(group, radix: 16)
    }

    private static func strictDottedQuad(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(part.count > 1 && part.hasPrefix("0")), let value = UInt8(part)
            else { return nil }
            result.append(value)
        }
        return result
    }

    // MARK: Classification

    /// The IPv4 address an IPv6 address carries in its low 32 bits when it is one of the
    /// translation forms (mapped, compatible, translated, NAT64 well-known prefix).
    public var embeddedIPv4: IPAddress? {
        guard isV6 else { return nil }
        let zero10 = bytes[0..<10].allSatisfy { $0 == 0 }
        let low = Array(bytes[12..<16])
        // ::ffff:a.b.c.d, mapped
        if zero10, bytes[10] == 0xFF, bytes[11] == 0xFF { return IPAddress(bytes: low) }
        // ::a.b.c.d, compatible (deprecated, but stacks still route it); :: and ::1 are themselves.
        if zero10, bytes[10] == 0, bytes[11] == 0 {
            let value = low.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
            return value <= 1 ? nil : IPAddress(bytes: low)
        }
        // ::ffff:0:a.b.c.d, translated (SIIT)
        if bytes[0..<8].allSatisfy({ $0 == 0 }), bytes[8] == 0xFF, bytes[9] == 0xFF, bytes[10] == 0, bytes[11] == 0 {
            return IPAddress(bytes: low)
        }
        // 64:ff9b::/96, the NAT64 well-known prefix
        if bytes[0..<4] == [0x00, 0x64, 0xFF, 0x9B], bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return IPAddress(bytes: low)
        }
        return nil
    }

    public var addressClass: AddressClass {
        isV6 ? v6Class : Self.classifyV4(v4Value)
    }

    /// Cloud instance-metadata endpoints reached by IPv4: AWS/GCP/Azure/OpenStack share
    /// 169.254.169.254; Alibaba uses 100.100.100.200, which would otherwise only read as private.
    private static let v4Metadata: Set<UInt32> = [0xA9FE_A9FE, 0x6464_64C8]

    private static let v4Table: [(base: UInt32, prefix: Int, cls: AddressClass)] = [
        (0x0000_0000, 8, .reserved),      // 0/8, "this network"; 0.0.0.0 reaches the local host
        (0x7F00_0000, 8, .loopback),      // 127/8
        (0x0A00_0000, 8, .private),       // 10/8
        (0xAC10_0000, 12, .private),      // 172.16/12
        (0xC0A8_0000, 16, .private),      // 192.168/16
        (0x6440_0000, 10, .private),      // 100.64/10, carrier-grade NAT
        (0xA9FE_0000, 16, .linkLocal),    // 169.254/16
        (0xC000_0000, 24, .reserved),     // 192.0.0/24, IETF protocol assignments
        (0xC000_0200, 24, .reserved),     // 192.0.2/24, TEST-NET-1
        (0xC612_0000, 15, .reserved),     // 198.18/15, benchmarking
        (0xC633_6400, 24, .reserved),     // 198.51.100/24, TEST-NET-2
        (0xCB00_7100, 24, .reserved),     // 203.0.113/24, TEST-NET-3
        (0xE000_0000, 4, .reserved),      // 224/4, multicast
        (0xF000_0000, 4, .reserved),      // 240/4, including 255.255.255.255
    ]

    static func classifyV4(_ value: UInt32) -> AddressClass {
        if v4Metadata.contains(value) { return .metadata }
        for entry in v4Table {
            let mask: UInt32 = entry.prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - entry.prefix)
            if value & mask == entry.base { return entry.cls }
        }
        return .public
    }

    private static let v6Metadata: Set<[UInt8]> = [
        // fd00:ec2::254, the AWS metadata service over IPv6
        [0xFD, 0x00, 0x0E, 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54],
    ]

    private static let v6Table: [(prefix: [UInt8], bits: Int, cls: AddressClass)] = [
        ([0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01], 48, .reserved),  // 64:ff9b:1::/48, local-use NAT64
        ([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, .reserved),         // 100::/64, discard-only
        ([0x20, 0x01, 0x0D, 0xB8], 32, .reserved),               // 2001:db8::/32, documentation
        ([0x20, 0x01, 0x00, 0x00], 32, .reserved),               // 2001::/32, Teredo
        ([0x20, 0x02], 16, .reserved),                           // 2002::/16, 6to4
        ([0xFC], 7, .private),                                   // fc00::/7, unique-local
        ([0xFE, 0x80], 10, .linkLocal),                          // fe80::/10
        ([0xFE, 0xC0], 10, .private),                            // fec0::/10, site-local (deprecated)
        ([0xFF], 8, .reserved),                                  // ff00::/8, multicast
    ]

    private var v6Class: AddressClass {
        if bytes.allSatisfy({ $0 == 0 }) { return .reserved }
        if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] == 1 { return .loopback }
        if Self.v6Metadata.contains(bytes) { return .metadata }
        if let inner = embeddedIPv4 {
            // A translation form reaches an IPv4 host through a path the IPv4 checks never see,
            // so it is refused even when the IPv4 inside is public; the class names what it points at.
            let innerClass = Self.classifyV4(inner.v4Value)
            return innerClass == .public ? .reserved : innerClass
        }
        for entry in Self.v6Table where Self.matches(bytes, entry.prefix, entry.bits) {
            return entry.cls
        }
        // Only 2000::/3 is allocated for global unicast; anything else has no public host behind it.
        return bytes[0] & 0xE0 == 0x20 ? .public : .reserved
    }

    private static func matches(_ bytes: [UInt8], _ prefix: [UInt8], _ bits: Int) -> Bool {
        var remaining = bits
        for (index, expected) in prefix.enumerated() where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if bytes[index] & mask != expected & mask { return false }
            remaining -= take
        }
        return true
    }

    // MARK: Text

    /// Dotted quad for IPv4; RFC 5952 for IPv6 (lower case, the longest run of two or more zero
    /// groups compressed, the first run on a tie) with mapped addresses as `::ffff:a.b.c.d`.
    public var description: String {
        if !isV6 { return bytes.map(String.init).joined(separator: ".") }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return "::ffff:" + bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let words = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard words[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, words[end] == 0 { end += 1 }
            if end - index > bestLength { bestStart = index; bestLength = end - index }
            index = end
        }
        let hex = words.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let left = hex[..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }
}
