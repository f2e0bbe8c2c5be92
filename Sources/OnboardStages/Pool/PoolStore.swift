import Foundation
import OnboardEngine

/// The resource pool in `state/onboard.sqlite`: email domains, phone numbers, and which client
/// holds which (`client_resources`). The primary key of `client_resources` is the resource, so the
/// database itself refuses a second owner; every change runs in one IMMEDIATE transaction.
final class PoolStore {
    let database: SQLiteDatabase

    static let domainPickOrder = "(warmup_days >= \(PoolDomain.warmDays)) DESC, health_score DESC, domain"
    /// Written out exactly as the partial index says it, so SQLite uses the index to pick.
    static let domainAllocatable = allocatable(.domains)
    static let phonePickOrder = "health_score DESC, number"
    static let phoneAllocatable = allocatable(.phones)

    /// The condition for a row that can be given out; `row` qualifies the columns (`NEW.` in a trigger).
    static func allocatable(_ kind: PoolKind, row: String = "") -> String {
        switch kind {
        case .domains:
            return "\(row)status = 'available' AND \(row)blacklisted = 0 AND \(row)spf = 1 AND \(row)dkim = 1 AND \(row)dmarc = 1"
        case .phones:
            return "\(row)status = 'available'"
        }
    }

    init(stateDirectory: URL) throws {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: stateDirectory.appendingPathComponent("onboard.sqlite").path)
        let ready = try database.retryingWhileBusy(milliseconds: 30_000) {
            try database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'pool_phones_counted_update'").rows { _ in true }
        }
        if ready.isEmpty {
            try database.retryingWhileBusy(milliseconds: 30_000) { try database.transaction { try createSchema() } }
        }
    }

    /// Tables, the indexes allocation picks through, and `pool_counts`, kept by triggers so the
    /// levels read inside an allocation cost a lookup, not a scan of the pool.
    private func createSchema() throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS pool_domains (
                domain TEXT PRIMARY KEY, status TEXT NOT NULL, warmup_days INTEGER NOT NULL,
                health_score INTEGER NOT NULL, spf INTEGER NOT NULL, dkim INTEGER NOT NULL, dmarc INTEGER NOT NULL,
                blacklisted INTEGER NOT NULL, updated_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS pool_domains_pick ON pool_domains (\(Self.domainPickOrder))
                WHERE \(Self.domainAllocatable);
            CREATE TABLE IF NOT EXISTS pool_phones (
                number TEXT PRIMARY KEY, country TEXT NOT NULL, status TEXT NOT NULL, health_score INTEGER NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS pool_phones_pick ON pool_phones (\(Self.phonePickOrder)) WHERE \(Self.phoneAllocatable);
            CREATE TABLE IF NOT EXISTS client_resources (
                kind TEXT NOT NULL, resource TEXT NOT NULL, client_id TEXT NOT NULL, job_id TEXT NOT NULL,
                allocated_at TEXT NOT NULL, PRIMARY KEY (kind, resource));
            CREATE INDEX IF NOT EXISTS client_resources_client ON client_resources (client_id, kind);
            CREATE TABLE IF NOT EXISTS pool_counts (kind TEXT NOT NULL, bucket TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (kind, bucket));
            """)
        for kind in PoolKind.allCases {
            let allocatable = Self.allocatable(kind)
            func add(_ alias: String, _ sign: String) -> String {
                """
                INSERT INTO pool_counts (kind, bucket, n) VALUES ('\(kind.rawValue)', \(alias).status, \(sign)1)
                    ON CONFLICT (kind, bucket) DO UPDATE SET n = n + excluded.n;
                INSERT INTO pool_counts (kind, bucket, n) VALUES ('\(kind.rawValue)', 'allocatable', \(sign)(\(Self.allocatable(kind, row: alias + "."))))
                    ON CONFLICT (kind, bucket) DO UPDATE SET n = n + excluded.n;
                """
            }
            try database.execute(
                """
                CREATE TRIGGER IF NOT EXISTS \(kind.table)_counted_insert AFTER INSERT ON \(kind.table) BEGIN \(add("NEW", "")) END;
                CREATE TRIGGER IF NOT EXISTS \(kind.table)_counted_delete AFTER DELETE ON \(kind.table) BEGIN \(add("OLD", "-")) END;
                CREATE TRIGGER IF NOT EXISTS \(kind.table)_counted_update AFTER UPDATE ON \(kind.table) BEGIN
                    \(add("OLD", "-")) \(add("NEW", "")) END;
                DELETE FROM pool_counts WHERE kind = '\(kind.rawValue)';
                INSERT INTO pool_counts (kind, bucket, n) SELECT '\(kind.rawValue)', status, COUNT(*) FROM \(kind.table) GROUP BY status;
                INSERT INTO pool_counts (kind, bucket, n) SELECT '\(kind.rawValue)', 'allocatable', COUNT(*) FROM \(kind.table) WHERE \(allocatable);
                """)
        }
    }

    // MARK: reading

    static let domainColumns = "d.domain, d.status, d.warmup_days, d.health_score, d.spf, d.dkim, d.dmarc, d.blacklisted"
    static let phoneColumns = "p.number, p.country, p.status, p.health_score"

    private static func domain(_ row: SQLiteRow) -> PoolDomain {
        PoolDomain(
            domain: row.text(0) ?? "", status: row.text(1) ?? "", warmupDays: Int(row.int(2)), healthScore: Int(row.int(3)),
            spf: row.int(4) != 0, dkim: row.int(5) != 0, dmarc: row.int(6) != 0, blacklisted: row.int(7) != 0)
    }

    private static func phone(_ row: SQLiteRow) -> PoolPhone {
        PoolPhone(number: row.text(0) ?? "", country: row.text(1) ?? "", status: row.text(2) ?? "", healthScore: Int(row.int(3)))
    }

    /// A client's domains, best first (the order they would be picked in).
    func heldDomains(_ client: String) throws -> [PoolDomain] {
        try database.prepare(
            """
            SELECT \(Self.domainColumns) FROM client_resources c JOIN pool_domains d ON d.domain = c.resource
            WHERE c.kind = 'domains' AND c.client_id = ? ORDER BY \(Self.domainPickOrder)
            """
        ).bind(.text(client)).rows(Self.domain)
    }

    func heldPhones(_ client: String) throws -> [PoolPhone] {
        try database.prepare(
            """
            SELECT \(Self.phoneColumns) FROM client_resources c JOIN pool_phones p ON p.number = c.resource
            WHERE c.kind = 'phones' AND c.client_id = ? ORDER BY \(Self.phonePickOrder)
            """
        ).bind(.text(client)).rows(Self.phone)
    }

    func pickDomains(_ limit: Int) throws -> [PoolDomain] {
        guard limit > 0 else { return [] }
        return try database.prepare(
            "SELECT \(Self.domainColumns) FROM pool_domains d WHERE \(Self.domainAllocatable) ORDER BY \(Self.domainPickOrder) LIMIT ?"
        ).bind(.integer(Int64(limit))).rows(Self.domain)
    }

    func pickPhones(_ limit: Int) throws -> [PoolPhone] {
        guard limit > 0 else { return [] }
        return try database.prepare(
            "SELECT \(Self.phoneColumns) FROM pool_phones p WHERE \(Self.phoneAllocatable) ORDER BY \(Self.phonePickOrder) LIMIT ?"
        ).bind(.integer(Int64(limit))).rows(Self.phone)
    }

    /// Counts by status, what can be allocated, and the buffer (allocatable over all not retired).
    func levels() throws -> [PoolKind: PoolLevel] {
        var result: [PoolKind: PoolLevel] = [.domains: PoolLevel(), .phones: PoolLevel()]
        try database.prepare("SELECT kind, bucket, n FROM pool_counts").forEachRow { row in
            guard let kind = PoolKind(rawValue: row.text(0) ?? "") else { return }
            let bucket = row.text(1) ?? ""
            let count = Int(row.int(2))
            if bucket == "allocatable" { result[kind]?.allocatable = count } else if count != 0 { result[kind]?.byStatus[bucket] = count }
        }
        return result
    }

    func holder(_ kind: PoolKind, _ resource: String) throws -> String? {
        try database.prepare("SELECT client_id FROM client_resources WHERE kind = ? AND resource = ?")
            .bind(.text(kind.rawValue), .text(resource)).rows { $0.text(0) }.first ?? nil
    }

    /// Every (kind, resource, client) holding, for checks and tests.
    func holdings() throws -> [(kind: String, resource: String, client: String)] {
        try database.prepare("SELECT kind, resource, client_id FROM client_resources ORDER BY kind, resource").rows {
            (kind: $0.text(0) ?? "", resource: $0.text(1) ?? "", client: $0.text(2) ?? "")
        }
    }

    // MARK: changing

    /// Marks resources as the client's and `in_use`.
    func take(_ kind: PoolKind, _ resources: [String], client: String, job: String, at time: String) throws {
        let mark = try database.prepare("UPDATE \(kind.table) SET status = 'in_use', updated_at = ? WHERE \(kind.keyColumn) = ?")
        let hold = try database.prepare(
            "INSERT INTO client_resources (kind, resource, client_id, job_id, allocated_at) VALUES (?, ?, ?, ?, ?)")
        for resource in resources {
            try mark.bind(.text(time), .text(resource)).run()
            try hold.bind(.text(kind.rawValue), .text(resource), .text(client), .text(job), .text(time)).run()
        }
    }

    /// Hands resources back to the pool as `warming`: a domain or number another client used
    /// needs time before it is given out again.
    func giveBack(_ kind: PoolKind, _ resources: [String], at time: String) throws {
        let mark = try database.prepare("UPDATE \(kind.table) SET status = 'warming', updated_at = ? WHERE \(kind.keyColumn) = ?")
        let drop = try database.prepare("DELETE FROM client_resources WHERE kind = ? AND resource = ?")
        for resource in resources {
            try mark.bind(.text(time), .text(resource)).run()
            try drop.bind(.text(kind.rawValue), .text(resource)).run()
        }
    }

    /// Upserts one file's rows in one transaction; rows of resources a client holds are skipped and reported.
    func importRows(_ rows: PoolFile.Rows, at time: String) throws -> PoolImportReport {
        try database.transaction {
            var report = PoolImportReport()
            switch rows {
            case .domains(let entries):
                report.kind = .domains
                let existing = try database.prepare("SELECT \(Self.domainColumns) FROM pool_domains d WHERE d.domain = ?")
                let upsert = try database.prepare(
                    """
                    INSERT INTO pool_domains (domain, status, warmup_days, health_score, spf, dkim, dmarc, blacklisted, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(domain) DO UPDATE SET status = excluded.status, warmup_days = excluded.warmup_days,
                        health_score = excluded.health_score, spf = excluded.spf, dkim = excluded.dkim, dmarc = excluded.dmarc,
                        blacklisted = excluded.blacklisted, updated_at = excluded.updated_at
                    """)
                for (line, row) in entries {
                    if let client = try holder(.domains, row.domain) {
                        report.held.append(.init(line: line, resource: row.domain, client: client))
                        continue
                    }
                    let before = try existing.bind(.text(row.domain)).rows(Self.domain).first
                    if before == row { report.unchanged += 1; continue }
                    if before == nil { report.inserted += 1 } else { report.updated += 1 }
                    try upsert.bind(
                        .text(row.domain), .text(row.status), .integer(Int64(row.warmupDays)), .integer(Int64(row.healthScore)),
                        .integer(row.spf ? 1 : 0), .integer(row.dkim ? 1 : 0), .integer(row.dmarc ? 1 : 0),
                        .integer(row.blacklisted ? 1 : 0), .text(time)
                    ).run()
                }
            case .phones(let entries):
                report.kind = .phones
                let existing = try database.prepare("SELECT \(Self.phoneColumns) FROM pool_phones p WHERE p.number = ?")
                let upsert = try database.prepare(
                    """
                    INSERT INTO pool_phones (number, country, status, health_score, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(number) DO UPDATE SET country = excluded.country, status = excluded.status,
                        health_score = excluded.health_score, updated_at = excluded.updated_at
                    """)
                for (line, row) in entries {
                    if let client = try holder(.phones, row.number) {
                        report.held.append(.init(line: line, resource: row.number, client: client))
                        continue
                    }
                    let before = try existing.bind(.text(row.number)).rows(Self.phone).first
                    if before == row { report.unchanged += 1; continue }
                    if before == nil { report.inserted += 1 } else { report.updated += 1 }
                    try upsert.bind(.text(row.number), .text(row.country), .text(row.status), .integer(Int64(row.healthScore)), .text(time))
                        .run()
                }
            }
            return report
        }
    }

    /// Returns every resource a client holds to the pool.
    func release(client: String, at time: String) throws -> (domains: [String], phones: [String]) {
        try database.transaction {
            let domains = try heldDomains(client).map(\.domain)
            let phones = try heldPhones(client).map(\.number)
            try giveBack(.domains, domains, at: time)
            try giveBack(.phones, phones, at: time)
            return (domains, phones)
        }
    }
}

/// What one import did.
public struct PoolImportReport: Sendable {
    public struct Held: Sendable {
        public let line: Int
        public let resource: String
        public let client: String
    }

    public var kind: PoolKind = .domains
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Rows naming a resource a client holds: reported, not applied.
    public var held: [Held] = []

    public var json: JSONValue {
        [
            "kind": .string(kind.rawValue), "inserted": .int(Int64(inserted)), "updated": .int(Int64(updated)),
            "unchanged": .int(Int64(unchanged)),
            "held": .array(held.map { ["line": .int(Int64($0.line)), "resource": .string($0.resource), "client_id": .string($0.client)] }),
        ]
    }
}
