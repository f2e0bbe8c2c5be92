import Foundation
import OnboardEngine

/// The one model call that writes every campaign's sequence copy: the instructions and the tool
/// schema are data files in Resources/prompts (hashed into the campaigns stamp), the request
/// text lists the campaigns with their segment, the ICP and the proof points, and the variables.
enum CampaignCopyPrompt {
    static let instructionsFile = "prompts/campaign-copy.txt"
    static let schemaFile = "prompts/record_campaign_copy.schema.json"
    static let toolName = "record_campaign_copy"

    static let schema: JSONValue = {
        guard let value = try? JSONValue.parse(BundledData.data(schemaFile)) else {
            fatalError("the bundled \(schemaFile) is not valid JSON; reinstall onboard")
        }
        return value
    }()

    /// Hashed once: stamps and the index fingerprint ask for them on every staleness check.
    static let dataSHA256: [String: String] = [
        instructionsFile: Digest.sha256(BundledData.data(instructionsFile)),
        schemaFile: Digest.sha256(BundledData.data(schemaFile)),
    ]

    static func prompt(
        client: String, icp: ConfirmedICP, proofLines: [String], drafts: [CampaignDraft],
        template: SequenceTemplate = .shared, variables: PersonalisationVariables = .shared
    ) -> ModelPrompt {
        var user = "# Company\n\(client)\n"
        if let description = icp.companyDescription { user += "Description: \(description)\n" }
        if let promise = icp.valueProposition { user += "Value proposition: \(promise)\n" }
        user += section("Services", icp.services) + section("Pain points of its customers", icp.painPoints)
            + section("Proof points (quote only these)", proofLines)
        user += "\n# Variables (the only ones allowed)\n"
            + variables.variables.map { "- {{\($0.name)}}: filled from the lead's \($0.leadColumn)" }.joined(separator: "\n") + "\n"
        user += "\n# Sequence shape (the same for every campaign)\n"
        for step in template.steps {
            user += "- step \(step.step): \(step.channel), \(step.delayDays) days after the previous step, subject: \(step.subject.isEmpty ? "no" : "yes")\n"
        }
        user += "\n# Campaigns\n"
        for draft in drafts {
            let segment = draft.segment
            func list(_ field: String) -> String {
                (segment[field]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
            }
            user += "\n## \(draft.id): \(draft.name)\n"
            user += "Industries: \(list("industries"))\nBuyer titles: \(list("titles"))\n"
            if let service = segment["service"]?.stringValue, !service.isEmpty { user += "Service: \(service)\n" }
            if let pain = segment["pain_point"]?.stringValue, !pain.isEmpty { user += "Pain point: \(pain)\n" }
            let locations = list("locations")
            if !locations.isEmpty { user += "Locations: \(locations)\n" }
            user += "Angle: \(draft.angle)\n"
        }
        return ModelPrompt(
            system: String(decoding: BundledData.data(instructionsFile), as: UTF8.self), user: user, toolName: toolName,
            toolDescription: "Record the subject and body of every step of every campaign's outreach sequence.", schema: schema)
    }

    private static func section(_ title: String, _ items: [String]) -> String {
        items.isEmpty ? "" : "\n# \(title)\n" + items.map { "- \($0)" }.joined(separator: "\n") + "\n"
    }
}
