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

    private static func records(_ text: String, path: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var atFieldStart = true
        var characters = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let held = pending { pending = nil; return held }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n", "\r":
                fields.append(field)
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                field = ""
                atFieldStart = true
                line += 1
                rowLine = line
            default:
                field.append(character)
                atFieldStart = false
            }
        }
        if quoted { throw Problem(description: "\(path): line \(rowLine): a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
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
