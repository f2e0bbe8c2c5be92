import CSQLite
import Foundation
import OnboardEngine

/// A row of an import that was not taken, by its line in the file (the header is line 1).
public struct LeadImportProblem: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// What an import did.
public struct LeadImportReport: Sendable {
    /// Good rows written (new and updated).
    public var rows = 0
    public var inserted = 0
    public var updated = 0
    public var problems: [LeadImportProblem] = []
    /// Columns of the file the database has no column of its own for, kept with each lead.
    public var keptColumns: [String] = []
}

/// A file that cannot be imported at all (unreadable, no header, no column that names a lead).
public struct LeadImportError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// `onboard leads import FILE.csv`: Apollo's people export into `state/leads.sqlite`. The file is
/// mapped and read in place; every good row goes through one prepared upsert in one transaction
/// (upsert by Apollo Contact Id, then by email); columns the database does not know are kept as a
/// pre-serialised JSON list of `[header, value]` pairs. Bad rows are reported, good rows imported.
public enum LeadImport {
    public static func run(
        file: URL, stateDirectory: URL, progress: ((_ rows: Int, _ fraction: Double) -> Void)? = nil
    ) throws -> LeadImportReport {
        let data: Data
        do { data = try Data(contentsOf: file, options: .alwaysMapped) } catch {
            throw LeadImportError(path: file.path, message: "cannot be read (\(error.localizedDescription))")
        }
        // The schema is made through the ordinary connection; the bulk work has a connection of its own.
        _ = try LeadDatabase(stateDirectory: stateDirectory)
        let connection = try BulkConnection(path: stateDirectory.appendingPathComponent(LeadDatabase.fileName).path)
        return try data.withUnsafeBytes { bytes in
            var importer = LeadImporter(bytes: bytes, path: file.path, connection: connection, progress: progress)
            return try importer.run()
        }
    }
}

/// One import's reading of the file and writing of rows.
private struct LeadImporter {
    let path: String
    let connection: BulkConnection
    let progress: ((Int, Double) -> Void)?
    var scanner: CSVScanner
    var fields: [CSVScanner.Field] = []
    var report = LeadImportReport()
    /// Field index of each known column (by ApolloColumn.rawValue), -1 when the file lacks it.
    var known = [Int](repeating: -1, count: ApolloColumn.allCases.count)
    var extras: [(index: Int, name: [UInt8], phone: Bool)] = []
    var headerCount = 0
    var headerNames: [String] = []
    var scratch: [UInt8] = []
    var emailKey: [UInt8] = []
    var json: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, path: String, connection: BulkConnection, progress: ((Int, Double) -> Void)?) {
        self.path = path
        self.connection = connection
        self.progress = progress
        scanner = CSVScanner(bytes)
        scratch.reserveCapacity(4096)
        json.reserveCapacity(4096)
    }

    static var upsertSQL: String {
        let columns = ["derived_id"] + ApolloColumn.allCases.map(\.column)
            + ["email_key", "industry_key", "city_key", "state_key", "country_key", "location_source", "extra"]
        // The first contact id a lead was known by stays its id (a later list may carry the same
        // person, same email, under another); every other column takes the newer value when it has one.
        var updates = ApolloColumn.allCases.map { column in
            column == .contactID
                ? "apollo_contact_id = coalesce(apollo_contact_id, excluded.apollo_contact_id)"
                : "\(column.column) = coalesce(excluded.\(column.column), \(column.column))"
        }
        updates += [
            "email_key = coalesce(excluded.email_key, email_key)",
            "industry_key = CASE WHEN excluded.industry IS NULL THEN industry_key ELSE excluded.industry_key END",
        ]
        for key in ["city_key", "state_key", "country_key", "location_source"] {
            updates.append("\(key) = CASE WHEN excluded.location_source = '' THEN \(key) ELSE excluded.\(key) END")
        }
        updates.append("extra = CASE WHEN excluded.extra = '[]' THEN extra ELSE excluded.extra END")
        // A lead first known without an Apollo id takes it as its id when one comes, unless a client
        // already holds it under the old one. (SET expressions read the row as it was.)
        updates.append(
            "derived_id = CASE WHEN derived_id IS NOT NULL AND apollo_contact_id IS NULL AND excluded.apollo_contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = leads.derived_id) THEN NULL ELSE derived_id END"
        )
        let set = updates.joined(separator: ", ")
        return """
            INSERT INTO leads (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT(apollo_contact_id) WHERE apollo_contact_id IS NOT NULL DO UPDATE SET \(set)
            ON CONFLICT(email_key) WHERE email_key IS NOT NULL DO UPDATE SET \(set)
            ON CONFLICT(derived_id) WHERE derived_id IS NOT NULL DO UPDATE SET \(set)
            """
    }

    mutating func run() throws -> LeadImportReport {
        try readHeader()
        try connection.execute("BEGIN IMMEDIATE")
        var before = 0
        do {
            before = try connection.count()
            // Rows of about 250 bytes: a file that brings more rows than the database holds gets its
            // fit index built once at the end.
            let rebuildIndex = scanner.bytes.count / 250 > max(50_000, before)
            if rebuildIndex { try connection.execute("DROP INDEX IF EXISTS leads_by_fit") }
            let statement = try connection.prepare(Self.upsertSQL)
            defer { sqlite3_finalize(statement) }
            var sinceProgress = 0
            loop: while true {
                switch scanner.next(into: &fields) {
                case .end: break loop
                case .malformed(let line, let message): report.problems.append(LeadImportProblem(line: line, message: message))
                case .record(let line):
                    if fields.count == 1, fields[0].start == fields[0].end { continue }  // a blank line
                    if let problem = try write(statement, line: line) {
                        report.problems.append(LeadImportProblem(line: line, message: problem))
                    } else {
                        report.rows += 1
                    }
                    sinceProgress += 1
                    if sinceProgress == 50_000, let progress {
                        sinceProgress = 0
                        progress(report.rows, Double(scanner.position) / Double(max(1, scanner.bytes.count)))
                    }
                }
            }
            if rebuildIndex { try connection.execute(LeadDatabase.fitIndex) }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
        report.inserted = try connection.count() - before
        report.updated = report.rows - report.inserted
        progress?(report.rows, 1)
        return report
    }

    private mutating func readHeader() throws {
        var headerFields: [CSVScanner.Field] = []
        switch scanner.next(into: &headerFields) {
        case .end: throw LeadImportError(path: path, message: "is empty: no header line")
        case .malformed(let line, let message): throw LeadImportError(path: path, message: "line \(line): \(message)")
        case .record: break
        }
        headerCount = headerFields.count
        var names: [String] = []
        defer { headerNames = names }
        for (index, field) in headerFields.enumerated() {
            let name = scanner.string(field).trimmingCharacters(in: .whitespaces)
            names.append(name)
            let key = ApolloColumn.headerKey(name)
            if let column = ApolloColumn.byName[key], known[column.rawValue] < 0 {
                known[column.rawValue] = index
            } else if !name.isEmpty {
                var encoded: [UInt8] = []
                Self.appendJSONString(Array(name.utf8)[...], to: &encoded)
                extras.append((index, encoded, ApolloColumn.isPhone(key)))
                report.keptColumns.append(name)
            }
        }
        let found = known
        let has = { (column: ApolloColumn) in found[column.rawValue] >= 0 }
        guard has(.contactID) || has(.email) || has(.linkedinURL) || (has(.firstName) && has(.lastName) && has(.company)) else {
            throw LeadImportError(
                path: path,
                message: "line 1: no column names a lead: it needs Apollo Contact Id, Email, Person Linkedin Url, or First Name, Last Name and Company (found: \(names.joined(separator: ", ")))"
            )
        }
    }

    /// The first field that is not valid UTF-8 (checked only where a byte is not ASCII).
    private func notUTF8() -> Int? {
        for (index, field) in fields.enumerated() {
            let bytes = slice(field)
            guard bytes.contains(where: { $0 >= 0x80 }) else { continue }
            if String(validating: bytes, as: UTF8.self) == nil { return index }
        }
        return nil
    }

    private func headerName(_ index: Int) -> String { index < headerNames.count ? headerNames[index] : "?" }

    /// The field of a known column, trimmed of spaces; nil when the file lacks it or the cell is empty.
    private func field(_ column: ApolloColumn) -> CSVScanner.Field? {
        let index = known[column.rawValue]
        guard index >= 0 else { return nil }
        return trimmed(fields[index])
    }

    private func trimmed(_ field: CSVScanner.Field) -> CSVScanner.Field? {
        var start = field.start, end = field.end
        while start < end, scanner.bytes[start] == 0x20 || scanner.bytes[start] == 0x09 { start += 1 }
        while end > start, scanner.bytes[end - 1] == 0x20 || scanner.bytes[end - 1] == 0x09 { end -= 1 }
        return start < end ? CSVScanner.Field(start: start, end: end, escaped: field.escaped) : nil
    }

    private func slice(_ field: CSVScanner.Field) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: scanner.bytes[field.start..<field.end])
    }

    /// Binds and writes one record; returns why it was not taken, if it was not.
    private mutating func write(_ statement: OpaquePointer, line: Int) throws -> String? {
        guard fields.count == headerCount else {
            return "\(fields.count) fields where the header has \(headerCount)"
        }
        if let bad = notUTF8() { return "field \(bad + 1) (\(headerName(bad))) is not UTF-8 text; export the file as UTF-8" }
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        let contact = field(.contactID)
        let email = field(.email)

        emailKey.removeAll(keepingCapacity: true)
        if let email {
            scanner.append(email, to: &emailKey)
            var at = -1
            for (offset, byte) in emailKey.enumerated() {
                if byte == 0x40 { at = offset }
                if byte <= 0x20 { return "Email \"\(scanner.string(email))\" is not an address (it holds a space)" }
                if byte >= 0x41 && byte <= 0x5A { emailKey[offset] = byte | 0x20 }
            }
            guard at > 0, at < emailKey.count - 1 else { return "Email \"\(scanner.string(email))\" is not an address" }
        }
        var employees: Int64?
        if let cell = field(.employees) {
            var value: Int64 = 0
            for byte in slice(cell) where byte != 0x2C {
                guard byte >= 0x30 && byte <= 0x39, value < 1_000_000_000_000 else {
                    return "# Employees \"\(scanner.string(cell))\" is not a whole number"
                }
                value = value * 10 + Int64(byte - 0x30)
            }
            employees = value
        }

        // Without Apollo's contact id, an id made from what identifies the person.
        if contact == nil {
            let identity: String
            if !emailKey.isEmpty {
                identity = "email:" + String(decoding: emailKey, as: UTF8.self)
            } else if let linkedin = field(.linkedinURL) {
                identity = "linkedin:" + LeadKeys.linkedIn(scanner.string(linkedin))
            } else if let first = field(.firstName), let last = field(.lastName), let company = field(.company),
                let person = LeadKeys.person(first: scanner.string(first), last: scanner.string(last), company: scanner.string(company))
            {
                identity = "person:" + person
            } else {
                return "no Apollo Contact Id, Email, Person Linkedin Url, or First Name, Last Name and Company to know the lead by"
            }
            bindText(statement, 1, "lead-" + Digest.sha256(identity).prefix(20))
        }

        for column in ApolloColumn.allCases {
            let index = Int32(2 + column.rawValue)
            switch column {
            case .employees:
                if let employees { sqlite3_bind_int64(statement, index, employees) }
            case .seniority:
                if let cell = field(.seniority) {
                    bindText(statement, index, LeadTitles.seniority(scanner.string(cell)))
                }
            default:
                if let cell = field(column) { bindField(statement, index, cell) }
            }
        }
        var parameter = Int32(2 + ApolloColumn.allCases.count)
        if !emailKey.isEmpty { bindBytes(statement, parameter, emailKey) }
        parameter += 1
        bindFolded(statement, parameter, field(.industry))
        parameter += 1
        let person = field(.city) != nil || field(.state) != nil || field(.country) != nil
        let company = !person && (field(.companyCity) != nil || field(.companyState) != nil || field(.companyCountry) != nil)
        bindFolded(statement, parameter, person ? field(.city) : company ? field(.companyCity) : nil)
        bindFolded(statement, parameter + 1, person ? field(.state) : company ? field(.companyState) : nil)
        bindFolded(statement, parameter + 2, person ? field(.country) : company ? field(.companyCountry) : nil)
        bindText(statement, parameter + 3, person ? "person" : company ? "company" : "")
        parameter += 4

        json.removeAll(keepingCapacity: true)
        json.append(0x5B)
        for extra in extras {
            guard var cell = trimmed(fields[extra.index]) else { continue }
            if extra.phone, scanner.bytes[cell.start] == 0x27 {
                cell.start += 1
                if cell.start == cell.end { continue }
            }
            if json.count > 1 { json.append(0x2C) }
            json.append(0x5B)
            json.append(contentsOf: extra.name)
            json.append(0x2C)
            scratch.removeAll(keepingCapacity: true)
            scanner.append(cell, to: &scratch)
            Self.appendJSONString(scratch[...], to: &json)
            json.append(0x5D)
        }
        json.append(0x5D)
        bindBytes(statement, parameter, json)

        let code = sqlite3_step(statement)
        if code == SQLITE_DONE { return nil }
        let message = connection.lastError
        sqlite3_reset(statement)
        if code == SQLITE_CONSTRAINT || (code & 0xFF) == SQLITE_CONSTRAINT {
            return "conflicts with a lead already in the database (\(message)): its Apollo Contact Id and Email belong to two different leads"
        }
        throw LeadDatabaseError(path: connection.path, code: code, message: message, statement: "upsert of line \(line)")
    }

    private func bindField(_ statement: OpaquePointer, _ index: Int32, _ field: CSVScanner.Field) {
        if field.escaped {
            var unescaped: [UInt8] = []
            scanner.append(field, to: &unescaped)
            bindBytes(statement, index, unescaped)
        } else {
            // The mapped file outlives the statement's step, so SQLite may read the bytes where they lie.
            let bytes = slice(field)
            sqlite3_bind_text(statement, index, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        }
    }

    private mutating func bindFolded(_ statement: OpaquePointer, _ index: Int32, _ field: CSVScanner.Field?) {
        scratch.removeAll(keepingCapacity: true)
        if let field {
            if field.escaped {
                var raw: [UInt8] = []
                scanner.append(field, to: &raw)
                raw.withUnsafeBytes { LeadKeys.fold($0, into: &scratch) }
            } else {
                LeadKeys.fold(slice(field), into: &scratch)
            }
        }
        bindBytes(statement, index, scratch)
    }

    private func bindBytes(_ statement: OpaquePointer, _ index: Int32, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else {
            sqlite3_bind_text(statement, index, "", 0, onboard_sqlite_transient())
            return
        }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                _ = sqlite3_bind_text(statement, index, characters.baseAddress, Int32(characters.count), onboard_sqlite_transient())
            }
        }
    }

    private func bindText(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
        sqlite3_bind_text(statement, index, text, -1, onboard_sqlite_transient())
    }

    /// A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped.
    static func appendJSONString(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        output.append(0x22)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case 0x22: output.append(0x5C); output.append(0x22)
            case 0x5C: output.append(0x5C); output.append(0x5C)
            case 0x0A: output.append(0x5C); output.append(0x6E)
            case 0x0D: output.append(0x5C); output.append(0x72)
            case 0x09: output.append(0x5C); output.append(0x74)
            case 0x00..<0x20:
                output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
        output.append(0x22)
    }
}

/// A failure of the lead database itself (not of a row).
public struct LeadDatabaseError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32
    public let message: String
    public let statement: String
    public var description: String { "lead database \(path): \(message) (code \(code)) in: \(statement)" }
}

/// A raw SQLite connection for bulk writes: binds straight from the mapped file.
private final class BulkConnection {
    let handle: OpaquePointer
    let path: String

    init(path: String) throws {
        self.path = path
        var connection: OpaquePointer?
        // One thread uses this connection: SQLite's own locking would only cost time.
        let code = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            sqlite3_close(connection)
            throw LeadDatabaseError(path: path, code: code, message: "cannot open", statement: "open")
        }
        handle = connection
        sqlite3_busy_timeout(connection, 30_000)
        try execute("PRAGMA synchronous=NORMAL")
        // Index pages of a million rows stay in memory during the one big transaction.
        try execute("PRAGMA cache_size=-524288")
        try execute("PRAGMA temp_store=MEMORY")
    }

    deinit { sqlite3_close_v2(handle) }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw LeadDatabaseError(path: path, code: code, message: lastError, statement: sql) }
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw LeadDatabaseError(path: path, code: code, message: lastError, statement: sql) }
        return statement
    }

    func count() throws -> Int {
        let statement = try prepare("SELECT COUNT(*) FROM leads")
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw LeadDatabaseError(path: path, code: 1, message: lastError, statement: "count") }
        return Int(sqlite3_column_int64(statement, 0))
    }
}
