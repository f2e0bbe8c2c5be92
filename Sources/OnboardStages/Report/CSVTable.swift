import Foundation

/// A CSV file as the report reads it (RFC 4180: quoted fields, doubled quotes, commas and line
/// breaks inside quotes, CRLF or LF). Rows are looked up by column name.
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    init(_ data: Data) {
        var records = Self.records(String(decoding: data, as: UTF8.self))
        if let first = records.first?.first, first.hasPrefix("\u{FEFF}") {
            records[0][0] = String(first.dropFirst())
        }
        header = records.first ?? []
        rows = Array(records.dropFirst()).filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    func value(_ row: [String], _ column: Int?) -> String {
        guard let column, column < row.count else { return "" }
        return row[column].trimmingCharacters(in: .whitespaces)
    }

    private static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return scalars.next()
        }
        var started = false
        while let scalar = next() {
            started = true
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else {
                            quoted = false
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r":
                if let following = next(), following != "\n" { pending = following }
                record.append(field)
                records.append(record)
                record = []
                field = ""
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.unicodeScalars.append(scalar)
            }
        }
        if started && (!field.isEmpty || !record.isEmpty) {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
