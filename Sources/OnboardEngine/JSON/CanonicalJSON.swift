import Foundation

/// The one way artifacts are written: keys sorted, two-space indent, a trailing newline,
/// so the same value always gives the same bytes and `diff` between runs is meaningful.
public enum CanonicalJSON {
    public static func data<T: Encodable>(_ value: T) throws -> Data {
        data(try JSONValue.from(value))
    }

    public static func data(_ value: JSONValue) -> Data {
        var out = ""
        write(value, into: &out, indent: 0, pretty: true)
        out.append("\n")
        return Data(out.utf8)
    }

    /// One line, keys sorted: for hashing a value and for lines of logs.
    public static func compact(_ value: JSONValue) -> Data {
        var out = ""
        write(value, into: &out, indent: 0, pretty: false)
        return Data(out.utf8)
    }

    public static func compactString(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, indent: 0, pretty: false)
        return out
    }

    private static func write(_ value: JSONValue, into out: inout String, indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append("null")
        case .bool(let flag): out.append(flag ? "true" : "false")
        case .int(let number): out.append(String(number))
        case .double(let number): out.append(format(number))
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            if items.isEmpty { out.append("[]"); return }
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                newline(&out, indent + 1, pretty)
                write(item, into: &out, indent: indent + 1, pretty: pretty)
            }
            newline(&out, indent, pretty)
            out.append("]")
        case .object(let members):
            if members.isEmpty { out.append("{}"); return }
            out.append("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                newline(&out, indent + 1, pretty)
                writeString(key, into: &out)
                out.append(pretty ? ": " : ":")
                write(members[key]!, into: &out, indent: indent + 1, pretty: pretty)
            }
            newline(&out, indent, pretty)
            out.append("}")
        }
    }

    private static func newline(_ out: inout String, _ indent: Int, _ pretty: Bool) {
        guard pretty else { return }
        out.append("\n")
        out.append(String(repeating: "  ", count: indent))
    }

    /// Shortest form that reads back as the same Double; integral values keep no fraction.
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    private static func writeString(_ text: String, into out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out.append(String(format: "\\u%04x", scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
