import Foundation
import OnboardEngine

/// `apply`: the enriched ICP written to the client's record in state (when `auto_apply`), not
/// confirmed. `apply/client.json` shows what was written; the time it was written lives in the
/// record (`icp_extracted_at`), not in the artifact.
struct ApplyStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    func settings(from document: JSONValue) -> JSONValue {
        .object(["auto_apply": document.value(at: "settings.auto_apply") ?? .null])
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let icp = try context.readJSON("enrich/icp.json")
        let request = try context.readJSON("intake/request.json")
        guard let client = request["client_id"]?.stringValue else { throw StageFailure("intake/request.json: client_id is missing") }
        let autoApply = context.pipeline.document.value(at: "settings.auto_apply")?.boolValue ?? true
        try context.writeOutput("client.json", json: [
            "client_id": .string(client), "job_id": .string(context.jobID),
            "company_name": request["company_name"] ?? .null, "icp": icp, "confirmed": false, "applied": .bool(autoApply),
        ])
        if autoApply {
            let store = try ClientStore(stateDirectory: context.stateDirectory)
            try store.applyExtracted(
                client: client, company: request["company_name"]?.stringValue, job: context.jobID, icp: icp,
                at: RFC3339.format(context.clock.now()))
        }
        return StageReport(warnings: autoApply ? [] : ["auto_apply is off: the client record was not changed"])
    }
}
