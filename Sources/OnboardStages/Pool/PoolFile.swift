import Foundation

/// A pool file (`domains.csv` or `phones.csv`) read and checked as a whole: every row must be
/// good, or the first bad one is reported by its line number (the header is line 1).
struct PoolFile {
    struct Problem: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    static let domainColumns = ["domain", "status", "warmup_days", "health_score", "spf", "dkim", "dmarc", "blacklisted"]
    static let phoneColumns = ["number", "country", "status", "health_score"]

    /// Rows with the line each came from.
    enum Rows {
        case domains([(line: Int, row: PoolDomain)])
        case phones([(line: Int, row: PoolPhone)])
    }

    static func read(_ data: Data, kind: PoolKind) throws(Problem) -> Rows {
        guard String(data: data, encoding: .utf8) != nil else {
            throw Problem(line: 1, message: "the file is not UTF-8 text")
        }
        let (lines, problems) = CSVRecords.read(data, strict: true)
        if let problem = problems.first { throw Problem(line: problem.line, message: problem.message) }
        guard let headerLine = lines.first, headerLine.line == 1 else {
            throw Problem(line: 1, message: "no header (expected \(columns(kind).joined(separator: ",")))")
        }
        let header = headerLine.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let expected = columns(kind)
        if let unknown = header.first(where: { !expected.contains($0) }) {
            throw Problem(line: 1, message: "unknown column \"\(unknown)\" (a \(kind.rawValue) file has \(expected.joined(separator: ",")))")
        }
        if let missing = expected.first(where: { !header.contains($0) }) {
            throw Problem(line: 1, message: "missing column \"\(missing)\" (a \(kind.rawValue) file has \(expected.joined(separator: ",")))")
        }
        if Set(header).count != header.count {
            throw Problem(line: 1, message: "a column is named twice")
        }
        var records: [(Int, [String: String])] = []
        for row in lines.dropFirst() {
            guard row.fields.count == header.count else {
                throw Problem(line: row.line, message: "has \(row.fields.count) fields; the header has \(header.count)")
            }
            var record: [String: String] = [:]
            for (column, value) in zip(header, row.fields) { record[column] = value.trimmingCharacters(in: .whitespaces) }
            records.append((row.line, record))
        }
        var seen: [String: Int] = [:]
        func once(_ key: String, _ line: Int) throws(Problem) {
            if let first = seen[key] { throw Problem(line: line, message: "\(key) is already on line \(first)") }
            seen[key] = line
        }
        switch kind {
        case .domains:
            var rows: [(line: Int, row: PoolDomain)] = []
            for (line, record) in records {
                let row = try domain(record, line: line)
                try once(row.domain, line)
                rows.append((line, row))
            }
            return .domains(rows)
        case .phones:
            var rows: [(line: Int, row: PoolPhone)] = []
            for (line, record) in records {
                let row = try phone(record, line: line)
                try once(row.number, line)
                rows.append((line, row))
            }
            return .phones(rows)
        }
    }

    static func columns(_ kind: PoolKind) -> [String] { kind == .domains ? domainColumns : phoneColumns }

    // MARK: rows

    private static func domain(_ record: [String: String], line: Int) throws(Problem) -> PoolDomain {
        let name = record["domain", default: ""].lowercased()
        guard isHostName(name) else {
            throw Problem(line: line, message: "domain: \"\(record["domain", default: ""])\" is not a domain name")
        }
        return PoolDomain(
            domain: name, status: try status(record, line: line),
            warmupDays: try integer(record, "warmup_days", in: 0...100_000, line: line),
            healthScore: try integer(record, "health_score", in: 0...100, line: line),
            spf: try flag(record, "spf", line: line), dkim: try flag(record, "dkim", line: line),
            dmarc: try flag(record, "dmarc", line: line), blacklisted: try flag(record, "blacklisted", line: line))
    }

    private static func phone(_ record: [String: String], line: Int) throws(Problem) -> PoolPhone {
        let number = record["number", default: ""]
        let digits = number.utf8.dropFirst()
        guard number.hasPrefix("+"), (7...15).contains(digits.count), digits.first != UInt8(ascii: "0"),
            digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            throw Problem(line: line, message: "number: \"\(number)\" is not an E.164 number (+ then 7 to 15 digits)")
        }
        let country = record["country", default: ""].uppercased()
        guard country.utf8.count == 2, country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5a }) else {
            throw Problem(line: line, message: "country: \"\(record["country", default: ""])\" is not a two-letter country code")
        }
        return PoolPhone(
            number: number, country: country, status: try status(record, line: line),
            healthScore: try integer(record, "health_score", in: 0...100, line: line))
    }

    private static func status(_ record: [String: String], line: Int) throws(Problem) -> String {
        let value = record["status", default: ""].lowercased()
        guard PoolStatus.all.contains(value) else {
            throw Problem(line: line, message: "status: \"\(record["status", default: ""])\" is not one of \(PoolStatus.all.joined(separator: ", "))")
        }
        return value
    }

    private static func integer(_ record: [String: String], _ column: String, in range: ClosedRange<Int>, line: Int) throws(Problem) -> Int {
        let text = record[column, default: ""]
        guard let value = Int(text), range.contains(value) else {
            throw Problem(line: line, message: "\(column): \"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func flag(_ record: [String: String], _ column: String, line: Int) throws(Problem) -> Bool {
        switch record[column, default: ""].lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        case let other: throw Problem(line: line, message: "\(column): \"\(other)\" is not true or false")
        }
    }

    private static func isHostName(_ name: String) -> Bool {
        guard name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
            return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }
        }
    }
}
