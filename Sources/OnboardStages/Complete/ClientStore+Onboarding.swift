import Foundation
import OnboardEngine

extension ClientStore {
    /// Sets where onboarding stands on the client's record (creating the record if the client
    /// has none yet, as when its ICP was never applied).
    func markOnboarding(client: String, status: String, now: String) throws {
        try database.transaction {
            try database.prepare(
                """
                INSERT INTO clients (client_id, onboarding_status, updated_at) VALUES (?, ?, ?)
                ON CONFLICT(client_id) DO UPDATE SET onboarding_status = excluded.onboarding_status, updated_at = excluded.updated_at
                """
            ).bind(.text(client), .text(status), .text(now)).run()
        }
    }
}
