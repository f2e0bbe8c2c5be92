import Foundation
import OnboardEngine

/// The local lead database, `state/leads.sqlite` (a file of its own: it holds millions of rows and
/// is written in bulk by `onboard leads import`), and the claims that give a lead to a client
/// (rule 6). Not Sendable: one connection per task or process; WAL and the busy timeout let several
/// processes share the file.
public final class LeadDatabase {
    public static let fileName = "leads.sqlite"

    let database: SQLiteDatabase
    public let path: String

    /// Opens (creating when needed) `leads.sqlite` in a tree's state folder.
    public init(stateDirectory: URL) throws {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        path = stateDirectory.appendingPathComponent(Self.fileName).path
        database = try SQLiteDatabase(path: path)
        try database.retryingWhileBusy(milliseconds: 30_000) { try database.execute(Self.schema) }
    }

    /// What fit checks group by. A bulk import that more than doubles the database drops it and
    /// builds it again at the end: one sort instead of a million scattered inserts.
    static let fitIndex = "CREATE INDEX IF NOT EXISTS leads_by_fit ON leads(industry_key, country_key, state_key, city_key)"

    /// `lead_id` is Apollo's contact id, or for a lead first known without one an id made from its
    /// email, LinkedIn URL or name and company (`derived_id`); a generated column, so it costs no index.
    static let schema = """
        CREATE TABLE IF NOT EXISTS leads (
            id INTEGER PRIMARY KEY,
            derived_id TEXT,
            lead_id TEXT GENERATED ALWAYS AS (coalesce(derived_id, apollo_contact_id)) VIRTUAL,
            \(ApolloColumn.allCases.map { "\($0.column) \($0 == .employees ? "INTEGER" : "TEXT")" }.joined(separator: ", ")),
            email_key TEXT, industry_key TEXT NOT NULL DEFAULT '', city_key TEXT NOT NULL DEFAULT '',
            state_key TEXT NOT NULL DEFAULT '', country_key TEXT NOT NULL DEFAULT '',
            location_source TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '[]',
            CHECK (derived_id IS NOT NULL OR apollo_contact_id IS NOT NULL));
        CREATE UNIQUE INDEX IF NOT EXISTS leads_by_contact ON leads(apollo_contact_id) WHERE apollo_contact_id IS NOT NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS leads_by_email ON leads(email_key) WHERE email_key IS NOT NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS leads_by_derived_id ON leads(derived_id) WHERE derived_id IS NOT NULL;
        \(fitIndex);
        CREATE TABLE IF NOT EXISTS lead_claims (
            lead_id TEXT NOT NULL, client_id TEXT NOT NULL, job_id TEXT NOT NULL, email TEXT, claimed_at TEXT NOT NULL,
            PRIMARY KEY (lead_id, client_id));
        CREATE INDEX IF NOT EXISTS lead_claims_by_client ON lead_claims(client_id);
        """

    /// Every lead in the database.
    public func count() throws -> Int {
        try database.prepare("SELECT COUNT(*) FROM leads").rows { Int($0.int(0)) }.first ?? 0
    }
}
