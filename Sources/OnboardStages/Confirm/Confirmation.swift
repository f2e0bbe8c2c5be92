import Foundation
import OnboardEngine

/// What `onboard confirm` and `onboard icp` do, for the command line and the HTTP facade alike.
public enum Confirmation {
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
        /// For a bad edit: the JSON path of the field at fault inside the edits ("als_weights.titel",
        /// "" for the edits as a whole) and what is wrong with it.
        public var field: String? = nil
        public var reason: String? = nil
    }

    /// Writes `inputs/confirm.json` for a job: who confirmed, when (the program's clock), and the
    /// edits of `editFile`, checked first so a bad edit is refused before anything is written.
    public static func confirm(job: String, in tree: Tree, editFile: URL?, by: String, clock: EngineClock) throws -> URL {
        var edits: JSONValue = .null
        if let editFile {
            let data: Data
            do { data = try Data(contentsOf: editFile) } catch { throw Refusal(description: "\(editFile.path): cannot be read") }
            do { edits = try JSONValue.parse(data) } catch { throw Refusal(description: "\(editFile.path): not valid JSON") }
        }
        return try confirm(job: job, in: tree, edits: edits, source: editFile?.path ?? "edits", by: by, clock: clock)
    }

    /// The same with the edits as a value (the HTTP facade's body); `source` names them in a refusal.
    public static func confirm(job: String, in tree: Tree, edits: JSONValue, source: String, by: String, clock: EngineClock) throws -> URL {
        guard tree.hasJob(job) else {
            throw Refusal(description: "no job \"\(job)\" in the outbox")
        }
        var checked: JSONValue = .null
        if !edits.isNull {
            let weights = LeadWeights(pipeline: tree.pipeline.document)
            do { checked = .object(try ICPEdit.validate(edits, pipelineWeights: weights)) } catch {
                throw Refusal(description: "\(source): \(error.description)", field: error.field == "$" ? "" : error.field, reason: error.message)
            }
        }
        let record: JSONValue = [
            "job_id": .string(job), "confirmed_by": .string(by), "confirmed_at": .string(RFC3339.format(clock.now())),
            "edits": checked,
        ]
        let target = tree.job(job).inputs.appendingPathComponent("confirm.json")
        try AtomicFile.write(CanonicalJSON.data(record), to: target)
        return target
    }

    /// The client record, as `onboard icp get` shows it.
    public static func client(_ id: String, in tree: Tree) throws -> JSONValue? {
        try ClientStore(stateDirectory: tree.state).client(id)?.json
    }

    /// Replaces a client's ICP by a reviewer's file (checked like an edit); it is not confirmed.
    /// Its `als_weights`, when given, become the client's weights (null: the client has none of its own).
    public static func setICP(client: String, in tree: Tree, file: URL, clock: EngineClock) throws {
        let value: JSONValue
        do { value = try JSONValue.parse(Data(contentsOf: file)) } catch { throw Refusal(description: "\(file.path): not readable JSON") }
        try setICP(client: client, in: tree, fields: value, source: file.path, clock: clock)
    }

    /// The same with the fields as a value (the HTTP facade's body); `source` names them in a refusal.
    public static func setICP(client: String, in tree: Tree, fields value: JSONValue, source: String, clock: EngineClock) throws {
        var fields: [String: JSONValue]
        let weights = LeadWeights(pipeline: tree.pipeline.document)
        do { fields = try ICPEdit.validate(value, pipelineWeights: weights, weightsMayBeCleared: true) } catch {
            throw Refusal(description: "\(source): \(error.description)")
        }
        let store = try ClientStore(stateDirectory: tree.state)
        let now = RFC3339.format(clock.now())
        if let override = fields.removeValue(forKey: ICPEdit.weightsField) {
            try store.setWeights(client: client, alsWeights: override, now: now)
            // Weights alone change no ICP field, so the record's ICP stays as extracted or confirmed.
            if fields.isEmpty { return }
        }
        var icp = (try store.client(client)?.icp?.objectValue) ?? [:]
        for (key, field) in fields { icp[key] = field }
        try store.applyExtracted(client: client, company: nil, job: "", icp: .object(icp), at: now)
    }
}
