import Foundation
import OnboardEngine
import OnboardStages

/// analyze, status, result and confirm: the job's side of the seed's endpoints.
extension Facade {
    /// Checks the request exactly as intake will and drops it into the inbox. The job id is the
    /// one intake computes, so a client can poll status at once.
    func analyze(_ body: Data) throws -> FacadeAnswer {
        let tree = try loadTree()
        let admitted: AdmittedRequest
        switch profile.admit(body, pipeline: tree.pipeline) {
        case .failure(let rejection): throw FacadeError(400, rejection.message, field: rejection.field)
        case .success(let request): admitted = request
        }
        let accepted = FacadeAnswer.json(202, ["job_id": .string(admitted.jobID)])
        let job = tree.job(admitted.jobID)
        if let existing = try? Data(contentsOf: job.request) {
            try sameRequest(existing, as: admitted, where: "job \(admitted.jobID)", tree: tree)
            return accepted
        }
        let drop = InboxDrop(inbox: tree.inbox, jobID: admitted.jobID)
        if case .alreadyThere(let existing) = try drop.place(body) {
            try sameRequest(existing, as: admitted, where: "inbox/\(drop.name)", tree: tree)
        }
        return accepted
    }

    /// A request whose job or inbox file already exists is the same request, or a conflict.
    private func sameRequest(_ existing: Data, as admitted: AdmittedRequest, where place: String, tree: Tree) throws {
        let earlier = try? profile.admit(existing, pipeline: tree.pipeline).get()
        guard earlier?.normalizedSHA256 == admitted.normalizedSHA256 else {
            let what = admitted.explicitID ? "request_id \"\(admitted.jobID)\"" : "job id \(admitted.jobID)"
            throw FacadeError(409, "\(what) is already used by a different request (\(place))", field: admitted.explicitID ? "request_id" : nil)
        }
    }

    /// job.json as the engine wrote it; a request still waiting in the inbox answers 202.
    func status(_ id: String) throws -> FacadeAnswer {
        let job = try Identifier.job(id)
        let tree = try loadTree()
        if let record = try? Data(contentsOf: tree.job(job).record) { return .file(200, record) }
        let drop = InboxDrop(inbox: tree.inbox, jobID: job)
        if FileManager.default.fileExists(atPath: drop.target.path) {
            return .json(
                202,
                [
                    "job_id": .string(job), "status": "pending", "inbox_file": .string("inbox/\(drop.name)"),
                    "message": "waiting in the inbox for `onboard run` or `onboard watch` to take it",
                ])
        }
        throw FacadeError(404, "no job \"\(job)\" (not in the outbox, nor waiting in the inbox)")
    }

    /// The ICP as far as the job has got: the confirmed one, else the enriched one, else the
    /// first extraction. `source` names the artifact served.
    func result(_ id: String) throws -> FacadeAnswer {
        let job = try Identifier.job(id)
        let folder = try loadTree().job(job)
        guard FileManager.default.fileExists(atPath: folder.record.path) else { throw FacadeError(404, "no job \"\(job)\" in the outbox") }
        for source in Self.icpArtifacts {
            guard let data = try? Data(contentsOf: folder.file(source)) else { continue }
            guard let icp = try? JSONValue.parse(data) else {
                throw FacadeError(500, "outbox/\(job)/\(source) is not valid JSON (edited by hand?)")
            }
            return .json(
                200,
                ["job_id": .string(job), "source": .string(source), "confirmed": .bool(source == "confirm/icp.json"), "icp": icp])
        }
        let status = JobRecord.read(folder)?.status.rawValue ?? "unknown"
        throw FacadeError(404, "job \"\(job)\" has no ICP yet (job status: \(status)); poll /api/v1/onboarding/status/\(job)")
    }

    static let icpArtifacts = ["confirm/icp.json", "enrich/icp.json", "icp/icp.json"]

    /// Writes `inputs/confirm.json` as `onboard confirm` does; the next `onboard run` applies it.
    func confirm(_ body: Data) throws -> FacadeAnswer {
        let members = try parseObject(body)
        for key in members.keys.sorted() where !["job_id", "edits", "confirmed_by"].contains(key) {
            throw FacadeError(400, "\(key): unknown field (allowed: job_id, edits, confirmed_by)", field: key)
        }
        guard let raw = members["job_id"]?.stringValue else {
            throw FacadeError(400, "job_id: is required and must be a string", field: "job_id")
        }
        let job = try Identifier.job(raw)
        let by = try confirmer(members["confirmed_by"])
        let tree = try loadTree()
        guard FileManager.default.fileExists(atPath: tree.job(job).record.path) else {
            throw FacadeError(404, "no job \"\(job)\" in the outbox")
        }
        let edits = members["edits"] ?? .null
        do {
            let written = try Confirmation.confirm(job: job, in: tree, edits: edits, source: "edits", by: by, clock: clock)
            let record = try JSONValue.parse(Data(contentsOf: written))
            return .json(
                200,
                [
                    "job_id": .string(job), "confirmed_by": .string(by), "confirmed_at": record["confirmed_at"] ?? .null,
                    "written": .string("outbox/\(job)/inputs/confirm.json"),
                ])
        } catch let refusal as Confirmation.Refusal {
            guard let field = refusal.field, let reason = refusal.reason else { throw FacadeError(400, refusal.description, field: "edits") }
            let path = field.isEmpty ? "edits" : "edits.\(field)"
            throw FacadeError(400, "\(path): \(reason)", field: path)
        }
    }

    private func confirmer(_ value: JSONValue?) throws(FacadeError) -> String {
        guard let value, !value.isNull else { return "api" }
        guard let text = value.stringValue else {
            throw FacadeError(400, "confirmed_by: must be a string, not \(value.typeName)", field: "confirmed_by")
        }
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FacadeError(400, "confirmed_by: must be 1 to 200 characters without control characters", field: "confirmed_by")
        }
        return name
    }
}
