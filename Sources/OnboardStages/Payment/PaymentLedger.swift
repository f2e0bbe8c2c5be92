import Foundation
import OnboardEngine

/// Every paid Stripe event the tree has taken, by event id, in `state/onboard.sqlite`: an id is
/// applied once however often Stripe delivers it. An event for a client with no job yet is
/// `kept` here until intake creates that client's next job.
final class PaymentLedger {
    let database: SQLiteDatabase

    /// What became of an event.
    enum Disposition: String {
        /// Written as the job's `inputs/payment.json`.
        case written
        /// The job was already paid: recorded only.
        case logged
        /// No job yet: waits for the client's next job.
        case kept
        /// Was kept, then written into a job at intake.
        case delivered
    }

    init(stateDirectory: URL) throws {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: stateDirectory.appendingPathComponent("onboard.sqlite").path)
        let ready = try database.retryingWhileBusy(milliseconds: 30_000) {
            try database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'payment_events_kept'").rows { _ in true }
        }
        guard ready.isEmpty else { return }
        try database.retryingWhileBusy(milliseconds: 30_000) {
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS payment_events (
                    event_id TEXT PRIMARY KEY, type TEXT NOT NULL, client_id TEXT, job_id TEXT, disposition TEXT NOT NULL,
                    payment TEXT NOT NULL, created INTEGER NOT NULL, received_at TEXT NOT NULL, delivered_at TEXT);
                CREATE INDEX IF NOT EXISTS payment_events_kept ON payment_events (client_id) WHERE disposition = 'kept';
                """)
        }
    }

    func disposition(of event: String) throws -> (Disposition, String?)? {
        try database.prepare("SELECT disposition, job_id FROM payment_events WHERE event_id = ?").bind(.text(event)).rows {
            (Disposition(rawValue: $0.text(0) ?? "") ?? .logged, $0.text(1))
        }.first
    }

    func record(_ event: StripeEvent, client: String?, job: String?, disposition: Disposition, payment: JSONValue, at time: String) throws {
        try database.prepare(
            """
            INSERT INTO payment_events (event_id, type, client_id, job_id, disposition, payment, created, received_at, delivered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
            """
        ).bind(
            .text(event.id), .text(event.type), client.map { .text($0) } ?? .null, job.map { .text($0) } ?? .null,
            .text(disposition.rawValue), .text(CanonicalJSON.compactString(payment)), .integer(event.created), .text(time)
        ).run()
    }

    /// At intake: writes the first event kept for this job (named by its `metadata.job_id`) or for
    /// its client into the job's `inputs/payment.json`; the client's other kept events belong to
    /// the same signup and are recorded against the job too. Returns the event id written, if any.
    func deliverKept(client: String, job: JobFolder, at time: String) throws -> String? {
        // Most jobs have nothing waiting: find that out without taking the write lock.
        let waiting = try database.prepare(
            "SELECT 1 FROM payment_events WHERE disposition = 'kept' AND (job_id = ? OR (job_id IS NULL AND client_id = ?)) LIMIT 1"
        ).bind(.text(job.id), .text(client)).rows { _ in true }
        guard !waiting.isEmpty else { return nil }
        return try database.transaction {
            let kept = try database.prepare(
                """
                SELECT event_id, client_id, job_id, payment FROM payment_events
                WHERE disposition = 'kept' AND (job_id = ? OR (job_id IS NULL AND client_id = ?))
                ORDER BY job_id IS NULL, created, received_at, event_id
                """
            ).bind(.text(job.id), .text(client)).rows { row in
                (event: row.text(0) ?? "", client: row.text(1), payment: row.text(3) ?? "{}")
            }.filter { $0.client == nil || $0.client == client }
            guard let first = kept.first else { return nil }
            let target = job.inputs.appendingPathComponent("payment.json")
            let alreadyPaid = FileManager.default.fileExists(atPath: target.path)
            if !alreadyPaid {
                var payment = (try? JSONValue.parse(Data(first.payment.utf8)))?.objectValue ?? [:]
                payment["client_id"] = .string(client)
                try AtomicFile.write(CanonicalJSON.data(.object(payment)), to: target)
            }
            let mark = try database.prepare("UPDATE payment_events SET disposition = ?, job_id = ?, delivered_at = ? WHERE event_id = ?")
            for (index, entry) in kept.enumerated() {
                let disposition: Disposition = index == 0 && !alreadyPaid ? .delivered : .logged
                try mark.bind(.text(disposition.rawValue), .text(job.id), .text(time), .text(entry.event)).run()
            }
            return alreadyPaid ? nil : first.event
        }
    }
}
