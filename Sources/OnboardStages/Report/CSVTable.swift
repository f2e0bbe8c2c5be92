import Foundation

/// A CSV artifact as the report reads it; rows are looked up by column name.
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    /// Unreadable records are left out: the report shows what can be read.
    init(_ data: Data) {
        let records = CSVRecords.read(data).rows
        header = records.first?.fields ?? []
        rows = records.dropFirst().map(\.fields)
    }

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    func value(_ row: [String], _ column: Int?) -> String {
        guard let column, column < row.count else { return "" }
        let text = row[column]
        guard let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
