import Foundation

/// A CSV file as rows of named fields (RFC 4180: quoted fields may hold commas, quotes and line
/// breaks; a byte-order mark and CRLF line ends are accepted). Column names are matched
/// case-insensitively, since exports drift in case between versions.
struct LeadSheet: Sendable {
    struct Row: Sendable {
        /// The line of the file the row starts on (the header is line 1).
        let line: Int
        let fields: [String]
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let header: [String]
    let rows: [Row]
    private let index: [String: Int]

    init(data: Data, path: String) throws {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records = try Self.records(text, path: path)
        guard let first = records.first else { throw Problem(description: "\(path): empty, expected a header line") }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name.lowercased()] == nil { index[name.lowercased()] = position }
        self.index = index
        rows = Array(records.dropFirst()).filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
    }

    func has(_ column: String) -> Bool { index[column.lowercased()] != nil }

    func value(_ row: Row, _ column: String) -> String {
        guard let position = index[column.lowercased()], position < row.fields.count else { return "" }
        return row.fields[position].trimmingCharacters(in: .whitespaces)
    }

    /// Parses UTF-8 bytes, not Characters: a quota of leads is megabytes, and grapheme breaking
    /// every byte of it costs seconds.
    private static func records(_ text: String, path: String) throws -> [Row] {
        let bytes = Array(text.utf8)
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var atFieldStart = true
        var line = 1
        var rowLine = 1
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == lf || (byte == cr && (index >= bytes.count || bytes[index] != lf)) { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where atFieldStart:
                quoted = true
                atFieldStart = false
            case comma:
                endField()
            case cr, lf:
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
                endField()
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                line += 1
                rowLine = line
            default:
                field.append(byte)
                atFieldStart = false
            }
        }
        if quoted { throw Problem(description: "\(path): line \(rowLine): a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }
}

/// Writing CSV the way spreadsheets and sequencing tools read it back.
enum CSVLine {
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ values: [String]) -> String { values.map(field).joined(separator: ",") + "\n" }
}
