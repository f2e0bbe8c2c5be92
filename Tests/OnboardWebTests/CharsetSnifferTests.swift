import Foundation
import Testing

@testable import OnboardWeb

private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

struct SniffCase: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: [UInt8]
    let contentType: String?
    let name: String
    let source: String

    init(_ label: String, _ bytes: [UInt8], contentType: String? = nil, _ name: String, _ source: String) {
        self.label = label
        self.bytes = bytes
        self.contentType = contentType
        self.name = name
        self.source = source
    }

    init(_ label: String, _ html: String, contentType: String? = nil, _ name: String, _ source: String) {
        self.init(label, ascii(html), contentType: contentType, name, source)
    }

    var testDescription: String { label }
}

struct DecodeCase: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: [UInt8]
    let encoding: String
    let expected: String

    init(_ label: String, _ bytes: [UInt8], as encoding: String, _ expected: String) {
        self.label = label
        self.bytes = bytes
        self.encoding = encoding
        self.expected = expected
    }

    var testDescription: String { label }
}

/// 1100 bytes of filler, enough to push whatever follows out of the 1024-byte prescan window.
private let pastThePrescanWindow = "<html><head>" + String(repeating: "<!-- padding -->", count: 68)

@Suite("Charset sniffing: BOM, then Content-Type, then the 1024-byte meta prescan, then windows-1252")
struct CharsetSnifferTests {
    static let sniffCases: [SniffCase] = [
        // A BOM beats everything.
        SniffCase("UTF-8 BOM", [0xEF, 0xBB, 0xBF] + ascii("<p>hi"), "utf-8", "bom"),
        SniffCase("UTF-16LE BOM", [0xFF, 0xFE, 0x3C, 0x00, 0x70, 0x00], "utf-16le", "bom"),
        SniffCase("UTF-16BE BOM", [0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x70], "utf-16be", "bom"),
        SniffCase(
            "UTF-8 BOM beats a contradicting Content-Type and meta",
            [0xEF, 0xBB, 0xBF] + ascii("<meta charset=shift_jis>"),
            contentType: "text/html; charset=windows-1252", "utf-8", "bom"),
        SniffCase(
            "UTF-16LE BOM beats a UTF-8 Content-Type", [0xFF, 0xFE, 0x3C, 0x00],
            contentType: "text/html; charset=utf-8", "utf-16le", "bom"),

        // The transport charset comes next.
        SniffCase("Content-Type charset", "<p>x", contentType: "text/html; charset=ISO-8859-2", "iso-8859-2", "content-type"),
        SniffCase("Content-Type charset in double quotes", "<p>x", contentType: "text/html; charset=\"Shift_JIS\"", "shift_jis", "content-type"),
        SniffCase("Content-Type without a space", "<p>x", contentType: "text/html;charset=utf-8", "utf-8", "content-type"),
        SniffCase(
            "Content-Type charset among other parameters, name in capitals", "<p>x",
            contentType: "TEXT/HTML; format=flowed; CHARSET=koi8-r; q=1", "koi8-r", "content-type"),
        SniffCase("Content-Type label latin1 is windows-1252", "<p>x", contentType: "text/html; charset=latin1", "windows-1252", "content-type"),
        SniffCase(
            "Content-Type beats meta", "<meta charset=iso-8859-2>",
            contentType: "text/html; charset=utf-8", "utf-8", "content-type"),
        SniffCase(
            "an unknown Content-Type label falls through to meta", "<meta charset=iso-8859-2>",
            contentType: "text/html; charset=klingon", "iso-8859-2", "meta"),
        SniffCase("Content-Type without charset falls through to the default", "<p>x", contentType: "text/html", "windows-1252", "default"),
        SniffCase("Content-Type utf-16 stays UTF-16 (only a meta is remapped)", "<p>x", contentType: "text/html; charset=utf-16", "utf-16le", "content-type"),

        // <meta charset>
        SniffCase("meta charset in double quotes", "<meta charset=\"iso-8859-2\">", "iso-8859-2", "meta"),
        SniffCase("meta charset in single quotes", "<meta charset='windows-1251'>", "windows-1251", "meta"),
        SniffCase("meta charset unquoted", "<meta charset=euc-jp>", "euc-jp", "meta"),
        SniffCase("meta in capitals", "<META CHARSET=UTF-8>", "utf-8", "meta"),
        SniffCase("meta charset with spaces around =", "<meta charset = \"euc-kr\" >", "euc-kr", "meta"),
        SniffCase("meta followed by a slash", "<meta/charset=big5>", "big5", "meta"),
        SniffCase("meta after other tags and attributes", "<!DOCTYPE html><html lang=pl><head><title>x</title><meta name=a charset=iso-8859-15>", "iso-8859-15", "meta"),

        // <meta http-equiv content>
        SniffCase(
            "http-equiv before content", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\">",
            "iso-8859-2", "meta"),
        SniffCase("content before http-equiv", "<meta content='text/html; charset=gbk' http-equiv=content-type>", "gbk", "meta"),
        SniffCase("quoted charset inside content", "<meta http-equiv=content-type content=\"text/html; charset='koi8-r'\">", "koi8-r", "meta"),
        SniffCase("content without http-equiv is ignored", "<meta content=\"text/html; charset=big5\">", "windows-1252", "default"),
        SniffCase("http-equiv other than content-type is ignored", "<meta http-equiv=refresh content=\"text/html; charset=big5\">", "windows-1252", "default"),
        SniffCase(
            "a charset attribute overrides content in the same meta",
            "<meta http-equiv=content-type content=\"text/html; charset=big5\" charset=euc-kr>", "euc-kr", "meta"),

        // Prescan rules.
        SniffCase("meta inside a comment is ignored", "<!-- <meta charset=shift_jis> --><meta charset=euc-jp>", "euc-jp", "meta"),
        SniffCase("a commented-out meta alone gives the default", "<!--<meta charset=shift_jis>-->", "windows-1252", "default"),
        SniffCase("<!--> is a whole comment", "<!--><meta charset=iso-8859-2>", "iso-8859-2", "meta"),
        SniffCase("the first meta wins", "<meta charset=iso-8859-2><meta charset=utf-8>", "iso-8859-2", "meta"),
        SniffCase("an unknown meta label lets a later meta answer", "<meta charset=bogus><meta charset=iso-8859-2>", "iso-8859-2", "meta"),
        SniffCase("the first of two charset attributes counts", "<meta charset=iso-8859-2 charset=utf-8>", "iso-8859-2", "meta"),
        SniffCase("<metacharset> is not a meta tag", "<metacharset=utf-8>", "windows-1252", "default"),
        SniffCase("a meta inside another tag's attribute is skipped", "<div title=\"<meta charset=big5>\"><meta charset=iso-8859-15>", "iso-8859-15", "meta"),
        SniffCase("<? and <! constructs are skipped", "<!DOCTYPE html><?php x ?><meta charset=euc-kr>", "euc-kr", "meta"),
        SniffCase("meta utf-16 means UTF-8", "<meta charset=utf-16>", "utf-8", "meta"),
        SniffCase("meta utf-16be means UTF-8", "<meta http-equiv=content-type content=\"text/html;charset=UTF-16BE\">", "utf-8", "meta"),
        SniffCase("meta x-user-defined means windows-1252", "<meta charset=x-user-defined>", "windows-1252", "meta"),
        SniffCase("meta label sjis is shift_jis", "<meta charset=sjis>", "shift_jis", "meta"),
        SniffCase("meta label ascii is windows-1252", "<meta charset=ascii>", "windows-1252", "meta"),
        SniffCase("meta after the first 1024 bytes is ignored", pastThePrescanWindow + "<meta charset=iso-8859-2>", "windows-1252", "default"),
        SniffCase(
            "meta cut by the 1024-byte limit is ignored",
            String(repeating: " ", count: 1010) + "<meta charset=iso-8859-2>", "windows-1252", "default"),
        SniffCase(
            "meta ending right at byte 1024 counts",
            String(repeating: " ", count: 1024 - 25) + "<meta charset=iso-8859-2>", "iso-8859-2", "meta"),
        SniffCase("XML declaration encoding", "<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><html>", "iso-8859-2", "meta"),
        SniffCase("UTF-16LE XML declaration without a BOM", [0x3C, 0x00, 0x3F, 0x00, 0x78, 0x00, 0x6D, 0x00], "utf-16le", "meta"),
        SniffCase("nothing declared", "<html><body>plain</body></html>", "windows-1252", "default"),
        SniffCase("empty input", [], "windows-1252", "default"),
    ]

    @Test(arguments: sniffCases)
    func sniff(_ c: SniffCase) {
        let result = CharsetSniffer.sniff(Data(c.bytes), contentType: c.contentType)
        #expect(result == SniffedEncoding(name: c.name, source: c.source))
    }

    static let labelCases: [(String, String?)] = [
        ("latin1", "windows-1252"),
        ("ascii", "windows-1252"),
        ("US-ASCII", "windows-1252"),
        ("iso-8859-1", "windows-1252"),
        ("ISO_8859-1:1987", "windows-1252"),
        (" \tutf8\n", "utf-8"),
        ("unicode-1-1-utf-8", "utf-8"),
        ("sjis", "shift_jis"),
        ("Windows-31J", "shift_jis"),
        ("x-sjis", "shift_jis"),
        ("gb2312", "gbk"),
        ("x-gbk", "gbk"),
        ("gb18030", "gb18030"),
        ("latin2", "iso-8859-2"),
        ("l9", "iso-8859-15"),
        ("cp1251", "windows-1251"),
        ("x-cp1250", "windows-1250"),
        ("koi8_r", "koi8-r"),
        ("ks_c_5601-1987", "euc-kr"),
        ("big5-hkscs", "big5"),
        ("x-euc-jp", "euc-jp"),
        ("utf-16", "utf-16le"),
        ("unicodefffe", "utf-16be"),
        ("klingon", nil),
        ("", nil),
        ("utf-8x", nil),
        ("iso-2022-jp", nil),
        ("replacement", nil),
        ("latin9", nil),
    ]

    @Test(arguments: labelCases)
    func canonicalName(_ label: String, _ expected: String?) {
        #expect(CharsetSniffer.canonicalName(forLabel: label) == expected)
    }

    static let decodeCases: [DecodeCase] = [
        DecodeCase("windows-1252 smart quotes and euro", [0x93, 0x61, 0x94, 0x20, 0x80], as: "windows-1252", "\u{201C}a\u{201D} \u{20AC}"),
        DecodeCase(
            "windows-1252 undefined bytes become C1 controls", [0x81, 0x8D, 0x8F, 0x90, 0x9D], as: "windows-1252",
            "\u{81}\u{8D}\u{8F}\u{90}\u{9D}"),
        DecodeCase("windows-1252 upper half is Latin-1", ascii("caf") + [0xE9, 0xA0, 0xFF], as: "windows-1252", "caf\u{E9}\u{A0}\u{FF}"),
        DecodeCase(
            "iso-8859-2 Polish", ascii("Za") + [0xBF, 0xF3, 0xB3, 0xE6, 0x20, 0x67, 0xEA, 0xB6, 0x6C, 0xB1, 0x20, 0x6A, 0x61, 0xBC, 0xF1],
            as: "iso-8859-2", "Zażółć gęślą jaźń"),
        DecodeCase("iso-8859-15 euro sign", [0xA4, 0xBD], as: "iso-8859-15", "\u{20AC}\u{153}"),
        DecodeCase("windows-1250 Polish", [0xB9, 0x9C, 0x9F, 0x81], as: "windows-1250", "ąśź\u{81}"),
        DecodeCase("windows-1251 Russian", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], as: "windows-1251", "Привет"),
        DecodeCase("koi8-r Russian", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], as: "koi8-r", "Привет"),
        DecodeCase("shift_jis Japanese", [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x3C, 0x62, 0x3E, 0xB1], as: "shift_jis", "日本語<b>ｱ"),
        DecodeCase("shift_jis invalid byte", [0x41, 0xFF, 0x42], as: "shift_jis", "A\u{FFFD}B"),
        DecodeCase("shift_jis bad trail keeps the ASCII byte", [0x81, 0x3C, 0x62], as: "shift_jis", "\u{FFFD}<b"),
        DecodeCase("shift_jis cut off at the end", [0x41, 0x93], as: "shift_jis", "A\u{FFFD}"),
        DecodeCase("euc-jp Japanese", [0xC6, 0xFC, 0xCB, 0xDC], as: "euc-jp", "日本"),
        DecodeCase("euc-kr Korean", [0xC7, 0xD1, 0xB1, 0xDB], as: "euc-kr", "한글"),
        DecodeCase("gbk Chinese", [0xC4, 0xE3, 0xBA, 0xC3], as: "gbk", "你好"),
        DecodeCase("gb18030 lone 0x80 is the euro sign", [0x80, 0xC4, 0xE3], as: "gb18030", "\u{20AC}你"),
        DecodeCase("big5 Chinese", [0xA4, 0xA4, 0xA4, 0xE5], as: "big5", "中文"),
        DecodeCase("UTF-16LE with BOM", [0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00, 0x3D, 0xD8, 0x00, 0xDE], as: "utf-16le", "hi\u{1F600}"),
        DecodeCase("UTF-16BE with BOM", [0xFE, 0xFF, 0x00, 0x68, 0x00, 0xE9], as: "utf-16be", "h\u{E9}"),
        DecodeCase("UTF-16LE lone surrogate and odd byte", [0x00, 0xD8, 0x41, 0x00, 0x42], as: "utf-16le", "\u{FFFD}A\u{FFFD}"),
        DecodeCase("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + ascii("h") + [0xC3, 0xA9], as: "utf-8", "h\u{E9}"),
        DecodeCase("invalid UTF-8", [0x61, 0xFF, 0x62, 0xC3, 0x28, 0xE2, 0x82], as: "utf-8", "a\u{FFFD}b\u{FFFD}(\u{FFFD}"),
        DecodeCase("x-user-defined high bytes", [0x41, 0x80, 0xFF], as: "x-user-defined", "A\u{F780}\u{F7FF}"),
        DecodeCase("a label works as the name", [0x93, 0x94], as: "Latin1", "\u{201C}\u{201D}"),
        DecodeCase("an unknown name decodes as windows-1252", [0x80], as: "klingon", "\u{20AC}"),
    ]

    @Test(arguments: decodeCases)
    func decode(_ c: DecodeCase) {
        let text = CharsetSniffer.decode(Data(c.bytes), as: SniffedEncoding(name: c.encoding, source: "test"))
        #expect(Array(text.unicodeScalars) == Array(c.expected.unicodeScalars))
    }

    @Test func sniffedPageDecodesToUTF8() {
        let page = Data(ascii("<meta charset=windows-1252><p>") + [0x93, 0x48, 0x69, 0x94, 0x20, 0x80, 0x35])
        let encoding = CharsetSniffer.sniff(page, contentType: "text/html")
        #expect(encoding == SniffedEncoding(name: "windows-1252", source: "meta"))
        #expect(CharsetSniffer.decode(page, as: encoding) == "<meta charset=windows-1252><p>“Hi” €5")
    }

    @Test func decodingASlicedDataUsesItsOwnBytes() {
        let whole = Data([0x00, 0x00, 0xFF, 0xFE, 0x68, 0x00])
        let slice = whole[2...]
        let encoding = CharsetSniffer.sniff(slice, contentType: nil)
        #expect(encoding.name == "utf-16le")
        #expect(CharsetSniffer.decode(slice, as: encoding) == "h")
    }

    @Test func largeLegacyPageDecodesCompletely() {
        let unit: [UInt8] = [0x93, 0xFA, 0x96, 0x7B, 0x41]
        let bytes = Data(Array(repeating: unit, count: 40_000).joined())
        let text = CharsetSniffer.decode(bytes, as: SniffedEncoding(name: "shift_jis", source: "meta"))
        #expect(text.unicodeScalars.count == 120_000)
        #expect(text.hasSuffix("日本A"))
        #expect(!text.contains("\u{FFFD}"))
    }

    @Test func sniffedEncodingRoundTripsThroughJSON() throws {
        let value = SniffedEncoding(name: "shift_jis", source: "content-type")
        let copy = try JSONDecoder().decode(SniffedEncoding.self, from: JSONEncoder().encode(value))
        #expect(copy == value)
    }
}
