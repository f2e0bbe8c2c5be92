import Foundation
import OnboardEngine

/// `icp`: the client's Ideal Customer Profile read from the parsed site, every item with the
/// quote it rests on. Offline and deterministic by default (`providers.icp = "rules"`).
struct ICPStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { Taxonomy.shared.dataSHA256 }

    func settings(from document: JSONValue) -> JSONValue {
        .object(["providers.icp": document.value(at: "providers.icp") ?? .null])
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let provider = context.pipeline.document.value(at: "providers.icp")?.stringValue ?? "rules"
        guard provider == "rules" else {
            // Never answer with the offline extractor when the operator asked for a model: say so instead.
            throw StageFailure(
                "providers.icp \"\(provider)\" is not available in this version of onboard; set providers.icp to \"rules\" in pipeline.json")
        }
        let site = try JSONDecoder().decode(SiteRecord.self, from: context.readInput("parse/site.json"))
        // An item whose quote cannot be found where it says is dropped, never shown to a reviewer.
        let icp = EvidenceCheck(site: site).verified(RuleBasedExtractor(site: site).extract())
        try context.writeOutput("icp.json", json: JSONValue.from(icp))
        var warnings: [String] = []
        if icp.icpIndustries.isEmpty { warnings.append("no customer industry found on the site") }
        if icp.icpTitles.isEmpty { warnings.append("no buyer title found on the site") }
        return StageReport(provider: "rules", warnings: warnings)
    }
}
