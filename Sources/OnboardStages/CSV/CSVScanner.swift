import Foundation

/// RFC 4180 records read where they lie in memory: a field is a byte range of the buffer (quoted
/// fields point inside their quotes and say whether they hold doubled quotes), so a million-row
/// file is read without making a string per cell. Records end at CRLF or LF; quoted fields may hold
/// commas, quotes and line breaks. Line numbers count every line break, the header being line 1.
struct CSVScanner {
    struct Field {
        var start: Int
        var end: Int
        /// Holds `""` pairs that stand for one quote each.
        var escaped: Bool
    }

    enum Outcome {
        case record(line: Int)
        case malformed(line: Int, message: String)
        case end
    }

    let bytes: UnsafeRawBufferPointer
    /// Also refuses a quote inside an unquoted field, for files a person writes by hand (a lenient
    /// reading would take `5" tall` as it stands; a strict one says where the quoting went wrong).
    let strict: Bool
    private(set) var position: Int
    private(set) var line = 1

    init(_ bytes: UnsafeRawBufferPointer, strict: Bool = false) {
        self.bytes = bytes
        self.strict = strict
        // A UTF-8 byte order mark is not part of the first header.
        position = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// Reads the next record's fields into `fields` (reusing its storage).
    mutating func next(into fields: inout [Field]) -> Outcome {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        guard position < count else { return .end }
        let startLine = line
        while true {
            if position < count, bytes[position] == Self.quote {
                var cursor = position + 1
                let start = cursor
                var escaped = false
                var closed = -1
                while cursor < count {
                    let byte = bytes[cursor]
                    if byte == Self.quote {
                        if cursor + 1 < count, bytes[cursor + 1] == Self.quote {
                            escaped = true
                            cursor += 2
                            continue
                        }
                        closed = cursor
                        break
                    }
                    if byte == Self.lf { line += 1 }
                    cursor += 1
                }
                guard closed >= 0 else {
                    position = count
                    return .malformed(line: startLine, message: "a quoted field is not closed before the end of the file")
                }
                fields.append(Field(start: start, end: closed, escaped: escaped))
                position = closed + 1
                if position < count, bytes[position] != Self.comma, bytes[position] != Self.cr, bytes[position] != Self.lf {
                    skipRestOfLine()
                    return .malformed(line: startLine, message: "text follows the closing quote of field \(fields.count)")
                }
            } else {
                let start = position
                var cursor = position
                while cursor < count {
                    let byte = bytes[cursor]
                    if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                    if strict, byte == Self.quote {
                        position = cursor
                        skipRestOfLine()
                        return .malformed(line: startLine, message: "a quote inside an unquoted field (field \(fields.count + 1))")
                    }
                    cursor += 1
                }
                fields.append(Field(start: start, end: cursor, escaped: false))
                position = cursor
            }
            guard position < count else { return .record(line: startLine) }
            switch bytes[position] {
            case Self.comma:
                position += 1
            case Self.cr:
                position += 1
                if position < count, bytes[position] == Self.lf { position += 1 }
                line += 1
                return .record(line: startLine)
            default:
                position += 1
                line += 1
                return .record(line: startLine)
            }
        }
    }

    private mutating func skipRestOfLine() {
        while position < bytes.count, bytes[position] != Self.lf { position += 1 }
        if position < bytes.count {
            position += 1
            line += 1
        }
    }

    /// A field's bytes with `""` read as `"`, appended to `output`.
    func append(_ field: Field, to output: inout [UInt8]) {
        guard field.escaped else {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]))
            return
        }
        var index = field.start
        while index < field.end {
            let byte = bytes[index]
            output.append(byte)
            index += byte == Self.quote ? 2 : 1
        }
    }

    func string(_ field: Field) -> String {
        var output: [UInt8] = []
        append(field, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
