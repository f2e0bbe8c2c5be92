import Foundation

/// Builds the report's markup. Every piece of text goes through `text` or an attribute, both
/// escaped: what the report shows comes from scraped pages and must never become markup.
struct HTMLWriter {
    private(set) var output = ""

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            // Control characters other than tab and newlines have no place in a page (and NUL
            // is a parse error); they are dropped rather than passed on.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A link target the report may use: http(s) URLs and the job's own files, nothing that
    /// runs (`javascript:`), nothing that reaches outside the job folder.
    static func safeHref(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            return trimmed.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) ? nil : trimmed
        }
        return nil
    }

    mutating func raw(_ markup: String) { output += markup }

    mutating func text(_ text: String) { output += Self.escape(text) }

    /// `<name attributes>` … `</name>`; attribute values are escaped, names are the code's own.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ body: (inout HTMLWriter) -> Void) {
        open(name, attributes)
        body(&self)
        output += "</\(name)>"
    }

    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text content: String) {
        open(name, attributes)
        text(content)
        output += "</\(name)>"
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        output += "<\(name)"
        for (key, value) in attributes { output += " \(key)=\"\(Self.escape(value))\"" }
        output += ">"
    }

    /// A link when the target is safe, plain text otherwise.
    mutating func link(_ href: String?, text content: String, title: String? = nil) {
        guard let href else { return text(content) }
        if let title {
            element("a", ["href": href, "title": title], text: content)
        } else {
            element("a", ["href": href], text: content)
        }
    }

    mutating func notYet(_ what: String) {
        element("p", ["class": "not-yet"], text: "not yet: \(what)")
    }
}

/// Numbers as the report prints them: fixed decimals, no locale, so the bytes never depend on
/// the machine that renders them.
enum ReportNumber {
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        var text = "\(value < 0 && scaled > 0 ? "-" : "")\(whole)"
        if decimals > 0 {
            let fraction = Int64(scaled) - whole * Int64(scale)
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

    /// At most two decimals, without trailing zeros: 4.8, 0.25, 3.
    static func short(_ value: Double) -> String {
        var text = fixed(value, decimals: 2)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return "\(fixed(seconds, decimals: 2)) s" }
        let minutes = Int(seconds / 60)
        return "\(minutes) min \(fixed(seconds - Double(minutes * 60), decimals: 0)) s"
    }

    static func usd(_ value: Double) -> String { "$\(fixed(value, decimals: 4))" }

    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }
}
