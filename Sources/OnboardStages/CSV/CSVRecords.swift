import Foundation

/// A whole CSV file as rows of strings, for files that are held at once (a quota of leads, a pool
/// file, an artifact read back): the same RFC 4180 reading as the lead import's scanner, so every
/// reader of the project agrees on quotes, line breaks inside them, CRLF and a byte order mark.
struct CSVRecords {
    struct Row: Sendable {
        /// The line of the file the row starts on (the header is line 1).
        let line: Int
        let fields: [String]
    }

    struct Problem: Error, Sendable, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Every record, the header first; blank lines are skipped. A malformed record is left out and
    /// reported, and reading goes on after it.
    static func read(_ data: Data, strict: Bool = false) -> (rows: [Row], problems: [Problem]) {
        data.withUnsafeBytes { bytes in
            var scanner = CSVScanner(bytes, strict: strict)
            var fields: [CSVScanner.Field] = []
            var rows: [Row] = []
            var problems: [Problem] = []
            var buffer: [UInt8] = []
            while true {
                switch scanner.next(into: &fields) {
                case .end:
                    return (rows, problems)
                case .malformed(let line, let message):
                    problems.append(Problem(line: line, message: message))
                case .record(let line):
                    var strings: [String] = []
                    strings.reserveCapacity(fields.count)
                    for field in fields {
                        buffer.removeAll(keepingCapacity: true)
                        scanner.append(field, to: &buffer)
                        strings.append(String(decoding: buffer, as: UTF8.self))
                    }
                    if strings.count == 1, strings[0].allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                    rows.append(Row(line: line, fields: strings))
                }
            }
        }
    }
}
