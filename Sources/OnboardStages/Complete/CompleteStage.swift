import Foundation
import OnboardEngine

/// `complete`: what the client got (`complete/summary.json`: the sending resources held for it,
/// its campaigns and how many leads each received). The job shows `completed` once every stage is
/// done, and that writes the client record's status and the job's report.
struct CompleteStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    func settings(from document: JSONValue) -> JSONValue { .null }

    func run(_ context: StageContext) async throws -> StageReport {
        let allocations = try Self.object(context, "allocate/allocations.json")
        let assigned = try Self.object(context, "assign/summary.json")
        guard let client = allocations["client_id"]?.stringValue else {
            throw StageFailure("allocate/allocations.json: client_id is missing")
        }
        let campaigns: [JSONValue] = (assigned["campaigns"]?.arrayValue ?? []).map { campaign in
            [
                "id": campaign["id"] ?? .null, "name": campaign["name"] ?? .null, "status": campaign["status"] ?? .null,
                "allocation_pct": campaign["allocation_pct"] ?? .null, "leads": campaign["assigned"] ?? 0,
            ]
        }
        let summary: JSONValue = [
            "client_id": .string(client), "tier": allocations["tier"] ?? .null,
            "resources": [
                "email_domains": allocations["email_domains"] ?? [], "phones": allocations["phones"] ?? [],
                "linkedin_seats": allocations["linkedin_seats"] ?? 0,
            ],
            "campaigns": .array(campaigns),
            "leads": [
                "assigned": assigned["assigned"] ?? 0,
                "unassigned": .int(Int64(assigned["unassigned"]?.arrayValue?.count ?? 0)),
                "sourcing": assigned["sourcing"] ?? .null,
            ],
        ]
        try context.writeOutput("summary.json", json: summary)
        // The client record and report.html follow the job's status (OnboardingProfile.jobStatusChanged),
        // so both are written once this stage is committed and stamped.
        return StageReport()
    }

    private static func object(_ context: StageContext, _ path: String) throws -> JSONValue {
        let value = try context.readJSON(path)
        guard value.objectValue != nil else { throw StageFailure("\(path): not a JSON object") }
        return value
    }
}
