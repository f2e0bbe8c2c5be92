import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The encoding chosen for an HTML page and the step of the WHATWG algorithm that chose it.
public struct SniffedEncoding: Sendable, Equatable, Codable {
    /// Canonical Encoding Standard name in lower case: "utf-8", "windows-1252", "iso-8859-2",
    /// "shift_jis", "utf-16le", ...
    public let name: String
    /// "bom", "content-type", "meta" (the 1024-byte prescan, which also reads a leading XML
    /// declaration) or "default".
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// Determines an HTML page's character encoding the way the HTML Standard does (BOM, then the
/// transport charset, then a prescan of the first 1024 bytes, then windows-1252) and transcodes
/// the page to UTF-8 without ever failing: bytes that are invalid in the chosen encoding become
/// U+FFFD.
public enum CharsetSniffer {
    /// Browsers stop prescanning after 1024 bytes; a meta further on is only honoured by a reparse,
    /// which this component does not do.
    static let prescanLimit = 1024

    public static func sniff(_ bytes: Data, contentType: String?) -> SniffedEncoding {
        let head = [UInt8](bytes.prefix(prescanLimit))
        if let bom = byteOrderMark(head) {
            return SniffedEncoding(name: bom.name, source: "bom")
        }
        if let contentType,
            let label = charsetParameter(ofContentType: contentType),
            let name = canonicalName(forLabel: label)
        {
            return SniffedEncoding(name: name, source: "content-type")
        }
        if let name = prescan(head) {
            return SniffedEncoding(name: name, source: "meta")
        }
        return SniffedEncoding(name: "windows-1252", source: "default")
    }

    /// The page as UTF-8 text (BOM removed), decoded with `encoding`.
    ///
    /// Only a BOM that belongs to `encoding` is removed; `sniff` already lets a BOM pick the
    /// encoding, so for sniffed encodings that is every BOM. A name that is not a known label is
    /// decoded as windows-1252, the same default the sniffer falls back to.
    public static func decode(_ bytes: Data, as encoding: SniffedEncoding) -> String {
        let name = canonicalName(forLabel: encoding.name) ?? "windows-1252"
        switch name {
        case "utf-8":
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
            return String(decoding: body, as: UTF8.self)
        case "utf-16le":
            let body = bytes.starts(with: [0xFF, 0xFE]) ? bytes.dropFirst(2) : bytes[...]
            return decodeUTF16(body, bigEndian: false)
        case "utf-16be":
            let body = bytes.starts(with: [0xFE, 0xFF]) ? bytes.dropFirst(2) : bytes[...]
            return decodeUTF16(body, bigEndian: true)
        case "windows-1252":
            return decodeWindows1252(bytes)
        case "x-user-defined":
            return decodeUserDefined(bytes)
        default:
            guard let codec = LegacyCodec(canonicalName: name),
                let text = codec.decode([UInt8](bytes))
            else {
                // Only reachable when the C library ships no converter for the encoding.
                return decodeWindows1252(bytes)
            }
            return text
        }
    }

    /// Canonical name for a label, or nil when the label is unknown.
    ///
    /// Follows the Encoding Standard's "get an encoding": surrounding ASCII whitespace is removed
    /// and the label is compared ASCII case-insensitively.
    public static func canonicalName(forLabel label: String) -> String? {
        let trimmed = label.utf8.drop(while: isASCIIWhitespace).reversed().drop(while: isASCIIWhitespace)
        let lowered = String(decoding: trimmed.reversed().map(asciiLowercased), as: UTF8.self)
        return labels[lowered]
    }
}

// MARK: - Labels

extension CharsetSniffer {
    /// Labels from the Encoding Standard for the encodings this component can decode. Labels of
    /// other encodings (and of "replacement") are deliberately absent, so they count as unknown
    /// and sniffing falls through to the next step instead of choosing an undecodable encoding.
    static let labels: [String: String] = {
        let groups: [(String, [String])] = [
            ("utf-8", ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]),
            ("iso-8859-2", [
                "csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                "iso_8859-2:1987", "l2", "latin2",
            ]),
            ("iso-8859-15", ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"]),
            ("koi8-r", ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"]),
            ("windows-1250", ["cp1250", "windows-1250", "x-cp1250"]),
            ("windows-1251", ["cp1251", "windows-1251", "x-cp1251"]),
            ("windows-1252", [
                "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
                "us-ascii", "windows-1252", "x-cp1252",
            ]),
            ("gbk", [
                "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                "iso-ir-58", "x-gbk",
            ]),
            ("gb18030", ["gb18030"]),
            ("big5", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]),
            ("euc-jp", ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]),
            ("shift_jis", [
                "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis",
            ]),
            ("euc-kr", [
                "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
                "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949",
            ]),
            ("utf-16be", ["unicodefffe", "utf-16be"]),
            ("utf-16le", ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"]),
            ("x-user-defined", ["x-user-defined"]),
        ]
        var table: [String: String] = [:]
        for (name, names) in groups {
            for label in names { table[label] = name }
        }
        return table
    }()
}

// MARK: - BOM and Content-Type

extension CharsetSniffer {
    static func byteOrderMark(_ head: [UInt8]) -> (name: String, length: Int)? {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if head.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        if head.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        return nil
    }

    /// The first `charset` parameter of a MIME type, unquoted. The parameter name may carry
    /// whitespace around it, which the Fetch parser would reject; servers that send it still mean
    /// the charset, so accepting it costs nothing.
    static func charsetParameter(ofContentType value: String) -> String? {
        let chars = Array(value.utf8)
        var i = 0
        // The MIME essence comes first; parameters only follow a semicolon.
        while i < chars.count, chars[i] != UInt8(ascii: ";") { i += 1 }
        while i < chars.count {
            i += 1  // past ';'
            var name: [UInt8] = []
            while i < chars.count, chars[i] != UInt8(ascii: ";"), chars[i] != UInt8(ascii: "=") {
                name.append(chars[i])
                i += 1
            }
            guard i < chars.count, chars[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < chars.count, isHTTPWhitespace(chars[i]) { i += 1 }
            var parameterValue: [UInt8] = []
            if i < chars.count, chars[i] == UInt8(ascii: "\"") {
                i += 1
                while i < chars.count, chars[i] != UInt8(ascii: "\"") {
                    if chars[i] == UInt8(ascii: "\\"), i + 1 < chars.count { i += 1 }
                    parameterValue.append(chars[i])
                    i += 1
                }
                while i < chars.count, chars[i] != UInt8(ascii: ";") { i += 1 }
            } else {
                while i < chars.count, chars[i] != UInt8(ascii: ";") {
                    parameterValue.append(chars[i])
                    i += 1
                }
                while let last = parameterValue.last, isHTTPWhitespace(last) { parameterValue.removeLast() }
            }
            let trimmedName = name.drop(while: isHTTPWhitespace).reversed().drop(while: isHTTPWhitespace)
            if trimmedName.reversed().map(asciiLowercased) == Array("charset".utf8) {
                return String(decoding: parameterValue, as: UTF8.self)
            }
        }
        return nil
    }
}

// MARK: - Prescan

extension CharsetSniffer {
    private enum AttributeResult {
        case attribute(name: [UInt8], value: [UInt8])
        case none
        case endOfInput
    }

    /// The HTML Standard's "prescan a byte stream to determine its encoding" over `bytes`
    /// (callers pass the first 1024). Running out of bytes anywhere ends the scan with no answer
    /// from meta elements, leaving only an XML declaration.
    static func prescan(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00, 0x78, 0x00]) { return "utf-16le" }
        if bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F, 0x00, 0x78]) { return "utf-16be" }
        return scanForMeta(bytes) ?? xmlDeclarationEncoding(bytes)
    }

    private static func scanForMeta(_ b: [UInt8]) -> String? {
        let n = b.count
        var i = 0
        while i < n {
            defer { i += 1 }
            guard b[i] == UInt8(ascii: "<") else { continue }
            if matches(b, at: i, "<!--") {
                // The closing "--" may share its dashes with the opening "<!--", so "<!-->" ends here.
                var j = i + 4
                while j < n, !(b[j] == UInt8(ascii: ">") && b[j - 1] == UInt8(ascii: "-") && b[j - 2] == UInt8(ascii: "-")) {
                    j += 1
                }
                guard j < n else { return nil }
                i = j
            } else if matchesCaseInsensitive(b, at: i, "<meta"), i + 5 < n,
                isASCIIWhitespace(b[i + 5]) || b[i + 5] == UInt8(ascii: "/")
            {
                i += 5
                switch readMeta(b, &i) {
                case .found(let name): return name
                case .notFound: continue
                case .endOfInput: return nil
                }
            } else if i + 1 < n, isASCIILetter(b[i + 1])
                || (b[i + 1] == UInt8(ascii: "/") && i + 2 < n && isASCIILetter(b[i + 2]))
            {
                while i < n, !isASCIIWhitespace(b[i]), b[i] != UInt8(ascii: ">") { i += 1 }
                guard i < n else { return nil }
                skipAttributes: while true {
                    switch nextAttribute(b, &i) {
                    case .attribute: continue
                    case .none: break skipAttributes
                    case .endOfInput: return nil
                    }
                }
            } else if matches(b, at: i, "<!") || matches(b, at: i, "</") || matches(b, at: i, "<?") {
                var j = i + 1
                while j < n, b[j] != UInt8(ascii: ">") { j += 1 }
                guard j < n else { return nil }
                i = j
            }
        }
        return nil
    }

    private enum MetaOutcome {
        case found(String)
        case notFound
        case endOfInput
    }

    private static func readMeta(_ b: [UInt8], _ i: inout Int) -> MetaOutcome {
        var seen: Set<[UInt8]> = []
        var gotPragma = false
        var needPragma: Bool? = nil
        var charset: String? = nil
        // A charset attribute naming an unknown encoding still counts as "not null", which stops
        // a later content attribute from supplying one.
        var charsetAttempted = false

        attributes: while true {
            switch nextAttribute(b, &i) {
            case .endOfInput:
                return .endOfInput
            case .none:
                break attributes
            case .attribute(let name, let value):
                guard seen.insert(name).inserted else { continue }
                switch String(decoding: name, as: UTF8.self) {
                case "http-equiv":
                    if value == Array("content-type".utf8) { gotPragma = true }
                case "content":
                    if !charsetAttempted, let found = charsetFromMetaContent(value) {
                        charset = found
                        charsetAttempted = true
                        needPragma = true
                    }
                case "charset":
                    charset = canonicalName(forLabel: isomorphicString(value))
                    charsetAttempted = true
                    needPragma = false
                default:
                    break
                }
            }
        }
        guard let needPragma, !(needPragma && !gotPragma), let charset else { return .notFound }
        switch charset {
        case "utf-16le", "utf-16be": return .found("utf-8")
        case "x-user-defined": return .found("windows-1252")
        default: return .found(charset)
        }
    }

    /// "Get an attribute" from the prescan. Names and values come back ASCII-lowercased.
    private static func nextAttribute(_ b: [UInt8], _ i: inout Int) -> AttributeResult {
        let n = b.count
        while i < n, isASCIIWhitespace(b[i]) || b[i] == UInt8(ascii: "/") { i += 1 }
        guard i < n else { return .endOfInput }
        if b[i] == UInt8(ascii: ">") { return .none }

        var name: [UInt8] = []
        var value: [UInt8] = []
        nameLoop: while true {
            guard i < n else { return .endOfInput }
            let c = b[i]
            if c == UInt8(ascii: "="), !name.isEmpty {
                i += 1
                break nameLoop
            } else if isASCIIWhitespace(c) {
                while i < n, isASCIIWhitespace(b[i]) { i += 1 }
                guard i < n else { return .endOfInput }
                guard b[i] == UInt8(ascii: "=") else { return .attribute(name: name, value: []) }
                i += 1
                break nameLoop
            } else if c == UInt8(ascii: "/") || c == UInt8(ascii: ">") {
                return .attribute(name: name, value: [])
            }
            name.append(asciiLowercased(c))
            i += 1
        }

        while i < n, isASCIIWhitespace(b[i]) { i += 1 }
        guard i < n else { return .endOfInput }
        let first = b[i]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            i += 1
            while i < n {
                if b[i] == first {
                    i += 1
                    return .attribute(name: name, value: value)
                }
                value.append(asciiLowercased(b[i]))
                i += 1
            }
            return .endOfInput
        }
        if first == UInt8(ascii: ">") { return .attribute(name: name, value: []) }
        value.append(asciiLowercased(first))
        i += 1
        while i < n {
            if isASCIIWhitespace(b[i]) || b[i] == UInt8(ascii: ">") {
                return .attribute(name: name, value: value)
            }
            value.append(asciiLowercased(b[i]))
            i += 1
        }
        return .endOfInput
    }

    /// "Extracting a character encoding from a meta element" applied to a content attribute such
    /// as `text/html; charset=iso-8859-2`.
    static func charsetFromMetaContent(_ content: [UInt8]) -> String? {
        let n = content.count
        let key = Array("charset".utf8)
        var position = 0
        while true {
            guard let found = indexOfCaseInsensitive(key, in: content, from: position) else { return nil }
            var i = found + key.count
            while i < n, isASCIIWhitespace(content[i]) { i += 1 }
            guard i < n, content[i] == UInt8(ascii: "=") else {
                position = i
                continue
            }
            i += 1
            while i < n, isASCIIWhitespace(content[i]) { i += 1 }
            guard i < n else { return nil }
            let c = content[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                guard let close = content[(i + 1)...].firstIndex(of: c) else { return nil }
                return canonicalName(forLabel: isomorphicString(content[(i + 1)..<close]))
            }
            var end = i
            while end < n, !isASCIIWhitespace(content[end]), content[end] != UInt8(ascii: ";") { end += 1 }
            return canonicalName(forLabel: isomorphicString(content[i..<end]))
        }
    }

    /// "Get an XML encoding when sniffing": an `encoding` pseudo-attribute in a leading
    /// `<?xml ...>` declaration, used only when no meta answered.
    static func xmlDeclarationEncoding(_ b: [UInt8]) -> String? {
        guard matches(b, at: 0, "<?xml"), let end = b.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = Array(b[..<end])
        let key = Array("encoding".utf8)
        guard let found = indexOf(key, in: declaration, from: 0) else { return nil }
        let n = declaration.count
        var i = found + key.count
        while i < n, declaration[i] <= 0x20 { i += 1 }
        guard i < n, declaration[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < n, declaration[i] <= 0x20 { i += 1 }
        guard i < n, declaration[i] == UInt8(ascii: "\"") || declaration[i] == UInt8(ascii: "'") else { return nil }
        let quote = declaration[i]
        guard let close = declaration[(i + 1)...].firstIndex(of: quote) else { return nil }
        let label = declaration[(i + 1)..<close]
        guard !label.contains(where: { $0 <= 0x20 }),
            let name = canonicalName(forLabel: isomorphicString(label))
        else { return nil }
        return name == "utf-16le" || name == "utf-16be" ? "utf-8" : name
    }
}

// MARK: - Decoders

extension CharsetSniffer {
    /// windows-1252 bytes 0x80–0x9F per the Encoding Standard's index. The five bytes Microsoft
    /// leaves undefined map to the C1 control of the same value, as browsers do, so decoding never
    /// fails; Foundation on Linux refuses the whole input instead.
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func decodeWindows1252(_ bytes: Data) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        bytes.withUnsafeBytes { raw in
            for byte in raw {
                if byte < 0x80 {
                    out.append(byte)
                } else if byte < 0xA0 {
                    appendUTF8(UInt32(windows1252High[Int(byte &- 0x80)]), to: &out)
                } else {
                    appendUTF8(UInt32(byte), to: &out)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// x-user-defined keeps ASCII and moves every high byte into the private use area at U+F780.
    static func decodeUserDefined(_ bytes: Data) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        bytes.withUnsafeBytes { raw in
            for byte in raw {
                if byte < 0x80 {
                    out.append(byte)
                } else {
                    appendUTF8(0xF780 + UInt32(byte) - 0x80, to: &out)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeUTF16(_ bytes: Data.SubSequence, bigEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let a = UInt16(bytes[index])
            let b = UInt16(bytes[index + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            index += 2
        }
        // Unpaired surrogates become U+FFFD here, as the Encoding Standard requires.
        var text = String(decoding: units, as: UTF16.self)
        if index < bytes.endIndex { text.append("\u{FFFD}") }
        return text
    }
}

/// Decoding through the C library's iconv, with the Encoding Standard's error handling layered
/// on top: iconv stops at the first bad sequence, and the caller decides what it becomes.
private struct LegacyCodec {
    let converterNames: [String]
    /// Whether a byte starts a multi-byte sequence; always false for single-byte encodings.
    let isLeadByte: (UInt8) -> Bool
    /// What a lone byte iconv rejects means in the Encoding Standard, when it means anything.
    let loneByte: (UInt8) -> UInt32?

    init?(canonicalName: String) {
        let c1Passthrough: (UInt8) -> UInt32? = { (0x80...0x9F).contains($0) ? UInt32($0) : nil }
        let noSingleByte: (UInt8) -> Bool = { _ in false }
        switch canonicalName {
        case "iso-8859-2": self.init(["ISO-8859-2"], noSingleByte, c1Passthrough)
        case "iso-8859-15": self.init(["ISO-8859-15"], noSingleByte, c1Passthrough)
        case "koi8-r": self.init(["KOI8-R"], noSingleByte, c1Passthrough)
        case "windows-1250": self.init(["CP1250", "WINDOWS-1250"], noSingleByte, c1Passthrough)
        case "windows-1251": self.init(["CP1251", "WINDOWS-1251"], noSingleByte, c1Passthrough)
        case "shift_jis":
            self.init(
                ["CP932", "WINDOWS-31J", "SHIFT_JIS"],
                { (0x81...0x9F).contains($0) || (0xE0...0xFC).contains($0) },
                { $0 == 0x80 ? 0x80 : nil })
        case "euc-jp":
            self.init(
                ["EUC-JP-MS", "EUC-JP"],
                { $0 == 0x8E || $0 == 0x8F || (0xA1...0xFE).contains($0) },
                { _ in nil })
        case "euc-kr":
            self.init(["CP949", "UHC", "EUC-KR"], { (0x81...0xFE).contains($0) }, { _ in nil })
        case "big5":
            self.init(["BIG5-HKSCS", "BIG5"], { (0x81...0xFE).contains($0) }, { _ in nil })
        case "gbk", "gb18030":
            // The Encoding Standard decodes GBK with the gb18030 decoder, where a lone 0x80 is the euro sign.
            self.init(["GB18030"], { (0x81...0xFE).contains($0) }, { $0 == 0x80 ? 0x20AC : nil })
        default:
            return nil
        }
    }

    private init(
        _ converterNames: [String], _ isLeadByte: @escaping (UInt8) -> Bool,
        _ loneByte: @escaping (UInt8) -> UInt32?
    ) {
        self.converterNames = converterNames
        self.isLeadByte = isLeadByte
        self.loneByte = loneByte
    }

    /// nil only when no converter could be opened.
    func decode(_ input: [UInt8]) -> String? {
        let failed = iconv_t(bitPattern: -1)
        guard let converter = converterNames.lazy.map({ iconv_open("UTF-8", $0) }).first(where: { $0 != failed })
        else { return nil }
        defer { iconv_close(converter) }

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var source = input.map { CChar(bitPattern: $0) }
        let total = source.count

        source.withUnsafeMutableBufferPointer { sourceBuffer in
            chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                let chunkStart = UnsafeMutableRawPointer(chunkBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                let chunkSize = chunkBuffer.count

                func drain(_ left: Int) {
                    output.append(contentsOf: UnsafeBufferPointer(start: chunkBuffer.baseAddress, count: chunkSize - left))
                }
                // Stateful converters such as BIG5-HKSCS hold a character back until they know
                // whether a combining mark follows; flushing writes it out and resets the state.
                func flush() {
                    var outPointer: UnsafeMutablePointer<CChar>? = chunkStart
                    var outLeft = chunkSize
                    _ = iconv(converter, nil, nil, &outPointer, &outLeft)
                    drain(outLeft)
                }

                guard let base = sourceBuffer.baseAddress else { return }
                var inPointer: UnsafeMutablePointer<CChar>? = base
                var inLeft = total
                while inLeft > 0 {
                    var outPointer: UnsafeMutablePointer<CChar>? = chunkStart
                    var outLeft = chunkSize
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    let error = errno
                    drain(outLeft)
                    guard result == -1 else { break }
                    if error == E2BIG { continue }
                    flush()
                    if error == EINVAL {
                        // A sequence cut off by the end of the input is a single error.
                        appendUTF8(0xFFFD, to: &output)
                        break
                    }
                    let offset = total - inLeft
                    let byte = input[offset]
                    var skip = 1
                    if let scalar = loneByte(byte) {
                        appendUTF8(scalar, to: &output)
                    } else {
                        // A bad pair swallows a non-ASCII trail byte with its lead; an ASCII trail
                        // is read again as itself, so markup after a broken character survives.
                        if isLeadByte(byte), offset + 1 < total, input[offset + 1] >= 0x80 { skip = 2 }
                        appendUTF8(0xFFFD, to: &output)
                    }
                    inPointer = base + offset + skip
                    inLeft -= skip
                }
                flush()
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

// MARK: - Byte helpers

private func isASCIIWhitespace(_ c: UInt8) -> Bool {
    c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20
}

private func isHTTPWhitespace(_ c: UInt8) -> Bool {
    c == 0x09 || c == 0x0A || c == 0x0D || c == 0x20
}

private func isASCIILetter(_ c: UInt8) -> Bool {
    (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
}

private func asciiLowercased(_ c: UInt8) -> UInt8 {
    (0x41...0x5A).contains(c) ? c + 0x20 : c
}

/// Bytes as the code points of the same value; non-ASCII bytes then simply fail to match a label.
private func isomorphicString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}

private func matches(_ b: [UInt8], at i: Int, _ literal: String) -> Bool {
    let pattern = Array(literal.utf8)
    guard i + pattern.count <= b.count else { return false }
    return b[i..<(i + pattern.count)].elementsEqual(pattern)
}

private func matchesCaseInsensitive(_ b: [UInt8], at i: Int, _ literal: String) -> Bool {
    let pattern = Array(literal.utf8)
    guard i + pattern.count <= b.count else { return false }
    return b[i..<(i + pattern.count)].map(asciiLowercased).elementsEqual(pattern)
}

private func indexOf(_ pattern: [UInt8], in b: [UInt8], from start: Int) -> Int? {
    guard pattern.count <= b.count, start <= b.count - pattern.count else { return nil }
    for i in start...(b.count - pattern.count) where b[i..<(i + pattern.count)].elementsEqual(pattern) {
        return i
    }
    return nil
}

private func indexOfCaseInsensitive(_ pattern: [UInt8], in b: [UInt8], from start: Int) -> Int? {
    guard pattern.count <= b.count, start <= b.count - pattern.count else { return nil }
    for i in start...(b.count - pattern.count)
    where b[i..<(i + pattern.count)].lazy.map(asciiLowercased).elementsEqual(pattern) {
        return i
    }
    return nil
}

/// Only ever called with scalar values below U+10000 that are not surrogates, which keeps the
/// encoder to two cases on the hot path of the single-byte decoders.
@inline(__always)
private func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
    if value < 0x80 {
        out.append(UInt8(value))
    } else if value < 0x800 {
        out.append(UInt8(0xC0 | value >> 6))
        out.append(UInt8(0x80 | value & 0x3F))
    } else {
        out.append(UInt8(0xE0 | value >> 12))
        out.append(UInt8(0x80 | (value >> 6) & 0x3F))
        out.append(UInt8(0x80 | value & 0x3F))
    }
}
