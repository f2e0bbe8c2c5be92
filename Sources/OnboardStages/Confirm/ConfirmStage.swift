import Foundation
import OnboardEngine

/// `confirm`: the ICP a person confirmed (`inputs/confirm.json`), with the reviewer's edits
/// applied, in `confirm/icp.json`; the client record gets `icp_confirmed_at` from the
/// confirmation itself, so the artifact is the same however often it is rebuilt. The reviewer's
/// `als_weights`, when given, go into `confirm/icp.json` beside the ICP and become the client's
/// weights in its record; a confirmation without them leaves the record's weights as they were.
struct ConfirmStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    func settings(from document: JSONValue) -> JSONValue { .null }

    func run(_ context: StageContext) async throws -> StageReport {
        let applied = try context.readJSON("apply/client.json")
        let confirmation = try context.readJSON("inputs/confirm.json")
        guard let confirmedAt = confirmation["confirmed_at"]?.stringValue, RFC3339.parse(confirmedAt) != nil else {
            throw StageFailure("inputs/confirm.json: confirmed_at must be an RFC 3339 time")
        }
        let by = confirmation["confirmed_by"]?.stringValue ?? "unknown"
        var icp = applied["icp"]?.objectValue ?? [:]
        if let edits = confirmation["edits"], !edits.isNull {
            do {
                for (field, value) in try ICPEdit.validate(edits) { icp[field] = value }
            } catch {
                throw StageFailure("inputs/confirm.json: edits.\(error.description)")
            }
        }
        let missing = ["icp_industries", "icp_titles"].filter { (icp[$0]?.arrayValue ?? []).isEmpty }
        if !missing.isEmpty {
            throw StageFailure(
                "cannot confirm an ICP without \(missing.joined(separator: " and ")): campaigns and leads need both; confirm again with --edit naming them")
        }
        icp["icp_confirmed_at"] = .string(confirmedAt)
        icp["confirmed_by"] = .string(by)
        try context.writeOutput("icp.json", json: .object(icp))
        if let client = applied["client_id"]?.stringValue {
            let store = try ClientStore(stateDirectory: context.stateDirectory)
            let now = RFC3339.format(context.clock.now())
            var recorded = icp
            recorded["icp_confirmed_at"] = nil
            recorded["confirmed_by"] = nil
            let weights = recorded.removeValue(forKey: ICPEdit.weightsField)
            try store.confirm(
                client: client, job: context.jobID, icp: .object(recorded), alsWeights: weights, confirmedAt: confirmedAt, by: by,
                now: now)
        }
        return StageReport()
    }
}
