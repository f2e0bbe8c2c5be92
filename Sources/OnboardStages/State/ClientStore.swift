import Foundation
import OnboardEngine

/// The client records in `state/onboard.sqlite`: the ICP the pipeline extracted for each client,
/// when it was extracted and confirmed, the client's own lead-score weights (`als_weights`), and
/// where onboarding stands.
final class ClientStore {
    static let fileName = "onboard.sqlite"

    let database: SQLiteDatabase

    init(stateDirectory: URL) throws {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: stateDirectory.appendingPathComponent(Self.fileName).path)
        try database.retryingWhileBusy(milliseconds: 30_000) {
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS clients (
                    client_id TEXT PRIMARY KEY, company_name TEXT, job_id TEXT, icp TEXT,
                    icp_extracted_at TEXT, icp_confirmed_at TEXT, confirmed_by TEXT,
                    onboarding_status TEXT NOT NULL DEFAULT 'pending', updated_at TEXT NOT NULL, als_weights TEXT);
                """)
            try migrate()
        }
    }

    /// Columns added after the first release, for a database an earlier version created. Checked
    /// and added in one write transaction, so two processes opening an old file add each column once.
    static let addedColumns = [("als_weights", "TEXT")]

    private func migrate() throws {
        guard !Set(Self.addedColumns.map(\.0)).isSubset(of: try columns()) else { return }
        try database.transaction {
            let present = try columns()
            for (name, type) in Self.addedColumns where !present.contains(name) {
                try database.execute("ALTER TABLE clients ADD COLUMN \(name) \(type)")
            }
        }
    }

    private func columns() throws -> Set<String> {
        Set(try database.prepare("PRAGMA table_info(clients)").rows { $0.text(1) ?? "" })
    }

    struct Client: Sendable {
        var clientID: String
        var companyName: String?
        var jobID: String?
        var icp: JSONValue?
        var icpExtractedAt: String?
        var icpConfirmedAt: String?
        var confirmedBy: String?
        var onboardingStatus: String
        /// The client's own weights for some of the lead score's factors (WeightOverride's form).
        var alsWeights: JSONValue?

        var json: JSONValue {
            .object([
                "client_id": .string(clientID), "company_name": companyName.map(JSONValue.string) ?? .null,
                "job_id": jobID.map(JSONValue.string) ?? .null, "icp": icp ?? .null,
                "icp_extracted_at": icpExtractedAt.map(JSONValue.string) ?? .null,
                "icp_confirmed_at": icpConfirmedAt.map(JSONValue.string) ?? .null,
                "confirmed_by": confirmedBy.map(JSONValue.string) ?? .null,
                "onboarding_status": .string(onboardingStatus), "als_weights": alsWeights ?? .null,
            ])
        }
    }

    func client(_ id: String) throws -> Client? {
        let statement = try database.prepare(
            """
            SELECT client_id, company_name, job_id, icp, icp_extracted_at, icp_confirmed_at, confirmed_by, onboarding_status,
                als_weights FROM clients WHERE client_id = ?
            """)
        statement.bind(.text(id))
        return try statement.rows { row in
            Client(
                clientID: row.text(0) ?? id, companyName: row.text(1), jobID: row.text(2),
                icp: row.text(3).flatMap { try? JSONValue.parse(Data($0.utf8)) }, icpExtractedAt: row.text(4),
                icpConfirmedAt: row.text(5), confirmedBy: row.text(6), onboardingStatus: row.text(7) ?? "pending",
                // Text that is not JSON (a hand edit of the database) stays a string, so the reader's check names it.
                alsWeights: row.text(8).map { text in (try? JSONValue.parse(Data(text.utf8))) ?? .string(text) })
        }.first
    }

    /// Writes the extracted (not yet confirmed) ICP of a client.
    func applyExtracted(client: String, company: String?, job: String, icp: JSONValue, at time: String) throws {
        try database.transaction {
            try database.prepare(
                """
                INSERT INTO clients (client_id, company_name, job_id, icp, icp_extracted_at, icp_confirmed_at, confirmed_by, updated_at)
                VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)
                ON CONFLICT(client_id) DO UPDATE SET company_name = excluded.company_name, job_id = excluded.job_id,
                    icp = excluded.icp, icp_extracted_at = excluded.icp_extracted_at, icp_confirmed_at = NULL,
                    confirmed_by = NULL, updated_at = excluded.updated_at
                """
            ).bind(
                .text(client), company.map { .text($0) } ?? .null, .text(job), .text(CanonicalJSON.compactString(icp)), .text(time),
                .text(time)
            ).run()
        }
    }

    /// Records the ICP a person confirmed, and the client's weights when the confirmation gives them.
    func confirm(client: String, job: String, icp: JSONValue, alsWeights: JSONValue?, confirmedAt: String, by: String, now: String) throws {
        try database.transaction {
            if let alsWeights { try writeWeights(client: client, alsWeights: alsWeights, now: now) }
            try database.prepare(
                """
                INSERT INTO clients (client_id, job_id, icp, icp_confirmed_at, confirmed_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(client_id) DO UPDATE SET job_id = excluded.job_id, icp = excluded.icp,
                    icp_confirmed_at = excluded.icp_confirmed_at, confirmed_by = excluded.confirmed_by, updated_at = excluded.updated_at
                """
            ).bind(.text(client), .text(job), .text(CanonicalJSON.compactString(icp)), .text(confirmedAt), .text(by), .text(now)).run()
        }
    }

    /// Sets the client's own lead-score weights (`.null` clears them); a later job's confirmation
    /// that names none keeps them.
    func setWeights(client: String, alsWeights: JSONValue, now: String) throws {
        try database.transaction { try writeWeights(client: client, alsWeights: alsWeights, now: now) }
    }

    /// The upsert of setWeights, inside a transaction the caller holds.
    private func writeWeights(client: String, alsWeights: JSONValue, now: String) throws {
        try database.prepare(
            """
            INSERT INTO clients (client_id, als_weights, updated_at) VALUES (?, ?, ?)
            ON CONFLICT(client_id) DO UPDATE SET als_weights = excluded.als_weights, updated_at = excluded.updated_at
            """
        ).bind(.text(client), alsWeights == .null ? .null : .text(CanonicalJSON.compactString(alsWeights)), .text(now)).run()
    }

    /// Follows the status of the client's job (job.json): the record says where onboarding stands.
    func setOnboardingStatus(client: String, job: String, status: String, now: String) throws {
        try database.transaction {
            try database.prepare(
                """
                INSERT INTO clients (client_id, job_id, onboarding_status, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(client_id) DO UPDATE SET job_id = excluded.job_id,
                    onboarding_status = excluded.onboarding_status, updated_at = excluded.updated_at
                """
            ).bind(.text(client), .text(job), .text(status), .text(now)).run()
        }
    }
}
