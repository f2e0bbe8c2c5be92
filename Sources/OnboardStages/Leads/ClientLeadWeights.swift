import Foundation
import OnboardEngine

/// The weights a job's leads are scored by: pipeline.json's `settings.als_weights`, each factor
/// the client names replaced by the client's own weight. The client's weights are those of the
/// job's confirmation (`als_weights` in confirm/icp.json); when it names none, those an earlier
/// confirmation left on the client record in state, which is shared state and so recorded.
struct ClientLeadWeights {
    enum Source: String {
        case pipeline = "pipeline.json"
        case confirmation = "confirm/icp.json"
        case clientRecord = "client record"
    }

    let weights: LeadWeights
    let source: Source
    /// What was read of the client record (for the stamp's shared_state_read); nil when not read.
    let clientRecordRead: JSONValue?

    static func resolve(
        pipeline: LeadWeights, confirmed: WeightOverride?, client: String, stateDirectory: URL, statePath: String
    ) throws -> ClientLeadWeights {
        if let confirmed { return try checked(pipeline.overridden(by: confirmed), .confirmation, read: nil) }
        let database = "\(statePath)/\(ClientStore.fileName)"
        // Only read: a tree whose state holds no client records gets none made here.
        var recorded: JSONValue = .null
        if FileManager.default.fileExists(atPath: stateDirectory.appendingPathComponent(ClientStore.fileName).path) {
            recorded = try ClientStore(stateDirectory: stateDirectory).client(client)?.alsWeights ?? .null
        }
        let read: JSONValue = ["database": .string(database), "client_id": .string(client), "als_weights": recorded]
        guard !recorded.isNull else { return ClientLeadWeights(weights: pipeline, source: .pipeline, clientRecordRead: read) }
        let override: WeightOverride
        do { override = try WeightOverride(recorded) } catch {
            throw StageFailure("\(database): client \(client)'s \(error.description) (set them again with onboard icp set)")
        }
        return try checked(pipeline.overridden(by: override), .clientRecord, read: read)
    }

    private static func checked(_ weights: LeadWeights, _ source: Source, read: JSONValue?) throws -> ClientLeadWeights {
        guard !weights.allZero else {
            throw StageFailure(
                "the client's als_weights (\(source.rawValue)) over pipeline.json's settings.als_weights weigh every factor 0; "
                    + "give at least one factor a weight above 0 (onboard confirm --edit)")
        }
        return ClientLeadWeights(weights: weights, source: source, clientRecordRead: read)
    }
}
