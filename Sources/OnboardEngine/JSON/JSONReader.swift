import Foundation

/// RFC 8259 text into a `JSONValue`, read byte by byte. Foundation's decoder goes through Codable
/// and tries every type in turn for each value, which made reading job records and summaries most
/// of the work of a pass that looks at every job. This reader also says where a document stops
/// being JSON (line and column) and refuses what the RFC refuses (trailing commas, leading zeros,
/// control characters in strings, lone surrogates), and a key given twice in one object, whose
/// meaning would depend on the reader. Numbers read as Foundation's decoder reads them into a
/// `JSONValue`: an integral value an Int64 can hold is `.int` (`1.0` and `1e2` included).
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let problem: String
    public var description: String { "line \(line), column \(column): \(problem)" }
}

struct JSONReader {
    /// Nesting deeper than this is refused rather than risking the stack on hostile input.
    static let maximumDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    static func parse(_ data: Data) throws(JSONReadError) -> JSONValue {
        let result: Result<JSONValue, JSONReadError> = data.withUnsafeBytes { buffer in
            var reader = JSONReader(bytes: buffer)
            do throws(JSONReadError) { return .success(try reader.document()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        // A UTF-8 byte order mark is not part of the document.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    private mutating func document() throws(JSONReadError) -> JSONValue {
        skipWhitespace()
        let value = try self.value(depth: 0)
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected text after the document") }
        return value
    }

    private mutating func value(depth: Int) throws(JSONReadError) -> JSONValue {
        guard index < bytes.count else { throw failure("the document ends where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) throws(JSONReadError) -> JSONValue {
        if depth > Self.maximumDepth { throw failure("nested more than \(Self.maximumDepth) levels deep") }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("expected a key in double quotes") }
            let keyStart = index
            let key = try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw failure("expected ':' after the key \"\(key)\"") }
            index += 1
            skipWhitespace()
            let member = try value(depth: depth)
            if members.updateValue(member, forKey: key) != nil {
                throw failure("the key \"\(key)\" is given twice in one object", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("the document ends inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                let comma = index
                index += 1
                skipWhitespace()
                if peek(UInt8(ascii: "}")) { throw failure("a comma before '}'", at: comma) }
                continue
            }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw failure("expected ',' or '}' in an object")
        }
    }

    private mutating func array(depth: Int) throws(JSONReadError) -> JSONValue {
        if depth > Self.maximumDepth { throw failure("nested more than \(Self.maximumDepth) levels deep") }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure("the document ends inside an array") }
            if bytes[index] == UInt8(ascii: ",") {
                let comma = index
                index += 1
                skipWhitespace()
                if peek(UInt8(ascii: "]")) { throw failure("a comma before ']'", at: comma) }
                continue
            }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw failure("expected ',' or ']' in an array")
        }
    }

    private mutating func string() throws(JSONReadError) -> String {
        let opening = index
        index += 1
        var decoded: [UInt8] = []
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                guard let text = String(validating: decoded, as: UTF8.self) else {
                    throw failure("the string is not valid UTF-8", at: opening)
                }
                return text
            }
            if byte < 0x20 { throw failure("a control character (0x\(String(byte, radix: 16))) inside a string must be escaped") }
            if byte == UInt8(ascii: "\\") {
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                try escape(into: &decoded)
                runStart = index
                continue
            }
            index += 1
        }
        throw failure("the string is never closed", at: opening)
    }

    private mutating func escape(into decoded: inout [UInt8]) throws(JSONReadError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw failure("the document ends inside an escape", at: start) }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4(at: start))
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a high surrogate \\u\(String(scalar, radix: 16)) without its low half", at: start)
                }
                index += 2
                let low = UInt32(try hex4(at: start))
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate followed by \\u\(String(low, radix: 16))", at: start) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("a low surrogate \\u\(String(scalar, radix: 16)) without its high half", at: start)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("\\u escape of no character", at: start) }
            decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw failure("unknown escape \\\(Character(Unicode.Scalar(letter)))", at: start)
        }
    }

    private mutating func hex4(at start: Int) throws(JSONReadError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits", at: start) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits", at: start)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(JSONReadError) -> JSONValue {
        let start = index
        var integral = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs a digit after '-'", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("a number does not start with 0 unless it is 0", at: start) }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a digit must follow the decimal point", at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a digit must follow the exponent", at: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let whole = Int64(text) { return .int(whole) }
        guard let number = Double(text), number.isFinite else { throw failure("the number \(text) is out of range", at: start) }
        if let whole = Int64(exactly: number) { return .int(whole) }
        return .double(number)
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let length = word.utf8CodeUnitCount
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: length)
        guard index + length <= bytes.count, bytes[index..<(index + length)].elementsEqual(expected) else {
            throw failure("expected a value (object, array, string, number, true, false or null)")
        }
        index += length
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func failure(_ problem: String, at position: Int? = nil) -> JSONReadError {
        let offset = min(position ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for at in 0..<offset where bytes[at] == 0x0A {
            line += 1
            lineStart = at + 1
        }
        // Columns count characters, not bytes: a continuation byte of UTF-8 starts none.
        let column = 1 + bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count
        return JSONReadError(line: line, column: column, problem: problem)
    }
}
