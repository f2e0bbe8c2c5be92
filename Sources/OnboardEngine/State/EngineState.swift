import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The engine's tables in `state/engine.sqlite`: what the inbox held (so a no-op pass needs only
/// `stat`) and, per job, the signatures of the files its state was computed from.
public final class EngineState {
    public let database: SQLiteDatabase

    public init(path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: path.path)
        try database.retryingWhileBusy(milliseconds: 30_000) {
            try database.execute(
            """
            CREATE TABLE IF NOT EXISTS inbox_files (
                name TEXT PRIMARY KEY, signature TEXT NOT NULL, sha256 TEXT NOT NULL,
                job_id TEXT, outcome TEXT NOT NULL, recorded_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS job_index (
                job_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, settled INTEGER NOT NULL,
                entries TEXT NOT NULL, summary TEXT, failed INTEGER NOT NULL DEFAULT 0);
            """)
        }
    }

    // MARK: inbox

    public struct InboxFile: Sendable {
        public let name: String
        public let signature: String
        public let sha256: String
        public let jobID: String?
        public let outcome: String
    }

    public func inboxFiles() throws -> [String: InboxFile] {
        let statement = try database.prepare("SELECT name, signature, sha256, job_id, outcome FROM inbox_files")
        var result: [String: InboxFile] = [:]
        try statement.forEachRow { row in
            let file = InboxFile(
                name: row.text(0) ?? "", signature: row.text(1) ?? "", sha256: row.text(2) ?? "",
                jobID: row.text(3), outcome: row.text(4) ?? "")
            result[file.name] = file
        }
        return result
    }

    public func recordInboxFile(_ file: InboxFile, at time: String) throws {
        try database.prepare(
            "INSERT OR REPLACE INTO inbox_files (name, signature, sha256, job_id, outcome, recorded_at) VALUES (?, ?, ?, ?, ?, ?)"
        ).bind(.text(file.name), .text(file.signature), .text(file.sha256), file.jobID.map { .text($0) } ?? .null,
               .text(file.outcome), .text(time)).run()
    }

    public func forgetInboxFile(_ name: String) throws {
        try database.prepare("DELETE FROM inbox_files WHERE name = ?").bind(.text(name)).run()
    }

    // MARK: job index

    public func jobIndex() throws -> [String: JobIndexEntry] {
        let statement = try database.prepare("SELECT job_id, fingerprint, settled, entries, summary, failed FROM job_index")
        var result: [String: JobIndexEntry] = [:]
        try statement.forEachRow { row in
            let id = row.text(0) ?? ""
            result[id] = JobIndexEntry(
                fingerprint: row.text(1) ?? "", settled: row.int(2) != 0,
                encodedFiles: row.text(3) ?? "", summary: row.text(4), failed: row.int(5) != 0)
        }
        return result
    }

    public func saveJobIndex(_ entries: [(String, JobIndexEntry)]) throws {
        guard !entries.isEmpty else { return }
        try database.transaction {
            let statement = try database.prepare(
                "INSERT OR REPLACE INTO job_index (job_id, fingerprint, settled, entries, summary, failed) VALUES (?, ?, ?, ?, ?, ?)")
            for (id, entry) in entries {
                try statement.bind(
                    .text(id), .text(entry.fingerprint), .integer(entry.settled ? 1 : 0), .text(entry.encodedFiles),
                    entry.summary.map { .text($0) } ?? .null, .integer(entry.failed ? 1 : 0)
                ).run()
            }
        }
    }

    public func forgetJobIndex(_ jobID: String) throws {
        try database.prepare("DELETE FROM job_index WHERE job_id = ?").bind(.text(jobID)).run()
    }
}

/// What the engine remembers of one job: every file its state was computed from, with the file's
/// stat signature and (for artifacts) its hash, one `path\tsignature\tsha256` line each.
/// `settled` means nothing could run when it was taken. Kept as text and parsed only when a job
/// needs a full evaluation, so the no-op pass over thousands of jobs stays cheap.
public struct JobIndexEntry: Sendable {
    public struct File: Sendable, Equatable {
        public let signature: String  // "-" when the file did not exist
        public let sha256: String?
    }

    public var fingerprint: String
    public var settled: Bool
    public var encodedFiles: String
    /// The job's status as JSON, kept for `status` when the job is settled.
    public var summary: String?
    /// Whether the job was failed, so a no-op pass can report it without decoding the summary.
    public var failed: Bool

    init(fingerprint: String, settled: Bool, encodedFiles: String, summary: String?, failed: Bool) {
        self.fingerprint = fingerprint
        self.settled = settled
        self.encodedFiles = encodedFiles
        self.summary = summary
        self.failed = failed
    }

    init(fingerprint: String, settled: Bool, files: [String: File], summary: String?, failed: Bool) {
        var out = ""
        for key in files.keys.sorted() {
            let file = files[key]!
            out += "\(key)\t\(file.signature)\t\(file.sha256 ?? "-")\n"
        }
        self.init(fingerprint: fingerprint, settled: settled, encodedFiles: out, summary: summary, failed: failed)
    }

    /// Parsed on the UTF-8 bytes: a pass after pipeline.json changed reads every job's entry.
    var files: [String: File] {
        var files: [String: File] = [:]
        var text = encodedFiles
        text.withUTF8 { bytes in
            var parts: [String] = []
            var start = 0
            for index in 0...bytes.count {
                let end = index == bytes.count
                guard end || bytes[index] == 0x09 || bytes[index] == 0x0a else { continue }
                if start < index || !end { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index + 1
                guard end || bytes[index] == 0x0a else { continue }
                if parts.count == 3 { files[parts[0]] = File(signature: parts[1], sha256: parts[2] == "-" ? nil : parts[2]) }
                parts.removeAll(keepingCapacity: true)
            }
        }
        return files
    }

    /// True when every recorded file still has the signature it had: the job's state cannot have
    /// changed. This runs for every job on every pass, so it parses the lines in place and stats
    /// relative to the job folder, allocating nothing per file.
    public func matchesDisk(jobFolder: String) -> Bool {
        let folder = open(jobFolder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return false }
        defer { close(folder) }
        var text = encodedFiles
        return text.withUTF8 { bytes -> Bool in
            var path = [CChar](repeating: 0, count: 4097)
            var index = 0
            let count = bytes.count
            while index < count {
                var length = 0
                while index < count, bytes[index] != 0x09 {
                    guard length < 4096 else { return false }
                    path[length] = CChar(bitPattern: bytes[index])
                    length += 1
                    index += 1
                }
                path[length] = 0
                index += 1
                let start = index
                while index < count, bytes[index] != 0x09 { index += 1 }
                let signature = UnsafeBufferPointer(rebasing: bytes[start..<min(index, count)])
                while index < count, bytes[index] != 0x0a { index += 1 }
                index += 1
                var info = stat()
                let exists = fstatat(folder, path, &info, AT_SYMLINK_NOFOLLOW) == 0
                if !Self.signature(signature, matches: exists ? info : nil) { return false }
            }
            return true
        }
    }

    /// Compares "inode:size:mtime:ctime" (or "-" for absent) with a stat result without building strings.
    private static func signature(_ text: UnsafeBufferPointer<UInt8>, matches info: stat?) -> Bool {
        guard let info else { return text.count == 1 && text[0] == 0x2d }
        var fields: [Int64] = [0, 0, 0, 0]
        var field = 0
        var negative = false
        for byte in text {
            if byte == 0x3a {
                if negative { fields[field] = -fields[field] }
                field += 1
                negative = false
                guard field < 4 else { return false }
            } else if byte == 0x2d {
                negative = true
            } else if byte >= 0x30, byte <= 0x39 {
                fields[field] = fields[field] &* 10 &+ Int64(byte - 0x30)
            } else {
                return false
            }
        }
        if negative { fields[field] = -fields[field] }
        guard field == 3 else { return false }
        return UInt64(bitPattern: fields[0]) == UInt64(info.st_ino) && fields[1] == Int64(info.st_size)
            && fields[2] == Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            && fields[3] == Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }
}
