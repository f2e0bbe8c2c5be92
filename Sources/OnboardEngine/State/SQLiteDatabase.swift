import CSQLite
import Foundation

/// A thin owner of one SQLite connection. Not Sendable: one connection per task or process.
/// WAL mode and a busy timeout let several `onboard` processes share one state file.
public final class SQLiteDatabase {
    private var handle: OpaquePointer?
    public let path: String

    public init(path: String, busyTimeoutMilliseconds: Int32 = 30_000) throws {
        self.path = path
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(connection)
            throw SQLiteError(path: path, code: code, message: message, statement: "open")
        }
        handle = connection
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
        // Switching a new file to WAL while another process creates it can fail with SQLITE_BUSY
        // without consulting the busy handler, so that step waits on its own.
        try retryingWhileBusy(milliseconds: busyTimeoutMilliseconds) { try execute("PRAGMA journal_mode=WAL") }
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
    }

    /// Runs `body` again while it fails with SQLITE_BUSY or SQLITE_LOCKED, for at most `milliseconds`.
    public func retryingWhileBusy<T>(milliseconds: Int32, _ body: () throws -> T) throws -> T {
        var waited: Int32 = 0
        while true {
            do {
                return try body()
            } catch let error as SQLiteError where (error.code == SQLITE_BUSY || error.code == SQLITE_LOCKED) && waited < milliseconds {
                usleep(10_000)
                waited += 10
            }
        }
    }

    deinit { sqlite3_close_v2(handle) }

    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error \(code)"
            sqlite3_free(message)
            throw SQLiteError(path: path, code: code, message: text, statement: sql)
        }
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql) }
        return SQLiteStatement(database: self, statement: statement, sql: sql)
    }

    /// Runs `body` in an IMMEDIATE transaction (the write lock is taken up front, so two writers
    /// wait on the busy timeout instead of failing half-way); rolls back on any thrown error.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ code: Int32, _ sql: String) -> SQLiteError {
        SQLiteError(path: path, code: code, message: String(cString: sqlite3_errmsg(handle)), statement: sql)
    }
}

public struct SQLiteError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32
    public let message: String
    public let statement: String

    public var description: String { "state database \(path): \(message) (code \(code)) in: \(statement)" }
}

/// A prepared statement with positional binds (1-based, as SQLite counts).
public final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let statement: OpaquePointer
    private let sql: String

    init(database: SQLiteDatabase, statement: OpaquePointer, sql: String) {
        self.database = database
        self.statement = statement
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    public enum Value {
        case null, integer(Int64), real(Double), text(String), blob(Data)
    }

    @discardableResult
    public func bind(_ values: Value...) -> SQLiteStatement { bind(values) }

    @discardableResult
    public func bind(_ values: [Value]) -> SQLiteStatement {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, onboard_sqlite_transient())
            case .blob(let data):
                data.withUnsafeBytes { buffer in
                    _ = sqlite3_bind_blob(
                        statement, index, buffer.baseAddress, Int32(buffer.count), onboard_sqlite_transient())
                }
            }
        }
        return self
    }

    /// Runs a statement that returns no rows.
    public func run() throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw database.error(code, sql) }
    }

    /// Steps through every row.
    public func forEachRow(_ body: (SQLiteRow) throws -> Void) throws {
        defer { sqlite3_reset(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw database.error(code, sql) }
            try body(SQLiteRow(statement: statement))
        }
    }

    public func rows<T>(_ transform: (SQLiteRow) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow { result.append(try transform($0)) }
        return result
    }
}

/// A view of the current row; valid only inside the callback that received it.
public struct SQLiteRow {
    let statement: OpaquePointer

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    public func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}
