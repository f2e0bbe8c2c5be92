import Foundation

/// What a stage's stamp is compared with besides its inputs: the hash of its settings slice and
/// its logic (version and data files). They are the same for every job of a pass, so a pass works
/// them out once per stage instead of once per stage of every job.
struct StageFacts: Sendable {
    let settingsSHA256: String
    let logicVersion: Int
    let dataSHA256: [String: String]

    init(_ definition: StageDefinition, profile: any PipelineProfile, document: JSONValue) {
        let implementation = definition.command == nil ? profile.implementation(of: definition.name) : nil
        let slice = definition.command == nil ? (implementation?.settings(from: document) ?? .null) : definition.entry
        settingsSHA256 = Digest.sha256(CanonicalJSON.compact(slice))
        logicVersion = implementation?.logicVersion ?? 1
        dataSHA256 = implementation?.dataSHA256 ?? [:]
    }

    static func all(_ pipeline: PipelineDefinition, profile: any PipelineProfile) -> [String: StageFacts] {
        var facts: [String: StageFacts] = [:]
        for name in pipeline.order {
            if let definition = pipeline.stage(name) { facts[name] = StageFacts(definition, profile: profile, document: pipeline.document) }
        }
        return facts
    }
}
