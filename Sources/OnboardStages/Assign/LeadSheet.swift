import Foundation

/// A CSV file as rows of named fields, refused whole at its first malformed record. Column names
/// are matched case-insensitively, since exports drift in case between versions.
struct LeadSheet: Sendable {
    typealias Row = CSVRecords.Row

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let header: [String]
    let rows: [Row]
    private let index: [String: Int]

    init(data: Data, path: String) throws {
        let (records, problems) = CSVRecords.read(data)
        if let problem = problems.first { throw Problem(description: "\(path): \(problem)") }
        guard let first = records.first else { throw Problem(description: "\(path): empty, expected a header line") }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name.lowercased()] == nil { index[name.lowercased()] = position }
        self.index = index
        rows = Array(records.dropFirst())
    }

    func has(_ column: String) -> Bool { index[column.lowercased()] != nil }

    func value(_ row: Row, _ column: String) -> String {
        guard let position = index[column.lowercased()], position < row.fields.count else { return "" }
        return row.fields[position].trimmingCharacters(in: .whitespaces)
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
