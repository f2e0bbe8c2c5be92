import Foundation

/// A CSV file as the report reads it (RFC 4180: quoted fields, doubled quotes, commas and line
/// breaks inside quotes, CRLF or LF). Rows are looked up by column name.
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    init(_ data: Data) {
        var records = Self.records(data)
        if let first = records.first?.first, first.hasPrefix("\u{FEFF}") {
            records[0][0] = String(first.dropFirst())
        }
        header = records.first ?? []
        rows = Array(records.dropFirst()).filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    func value(_ row: [String], _ column: Int?) -> String {
        guard let column, column < row.count else { return "" }
        let text = row[column]
        guard let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Works on the UTF-8 bytes: every delimiter is ASCII, so a field is a run of bytes that can
    /// be decoded once, and a file of tens of thousands of leads reads in one quick pass.
    private static func records(_ file: Data) -> [[String]] {
        let data = [UInt8](file)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = data.startIndex
        let end = data.endIndex
        func finishField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func finishRecord() {
            finishField()
            records.append(record)
            record = []
        }
        while index < end {
            let byte = data[index]
            index += 1
            if quoted {
                if byte == quote {
                    if index < end, data[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty: quoted = true
            case comma: finishField()
            case cr:
                if index < end, data[index] == lf { index += 1 }
                finishRecord()
            case lf: finishRecord()
            default: field.append(byte)
            }
        }
        if !field.isEmpty || !record.isEmpty { finishRecord() }
        return records
    }
}
