import Foundation
import OnboardEngine

/// `icp`: the client's Ideal Customer Profile read from the parsed site, every item with the
/// quote it rests on. Offline and deterministic by default (`providers.icp = "rules"`); with a
/// model provider configured, the model's answer is used once it passes the ICP schema and the
/// evidence rule, and the rule-based ICP takes its place (with a warning) when it does not.
struct ICPStage: StageImplementation {
    var logicVersion: Int { 3 }
    var dataSHA256: [String: String] {
        Taxonomy.shared.dataSHA256.merging(ICPPrompt.dataSHA256(.extract)) { first, _ in first }
    }

    func settings(from document: JSONValue) -> JSONValue {
        var slice = ProviderSettings.slice(document).objectValue ?? [:]
        if ProviderSettings(document) != nil {
            // The cap decides whether a call is made, so it is part of what the output depends on.
            slice["enrichment_cost_cap_usd"] = document.value(at: "settings.enrichment_cost_cap_usd") ?? .null
        }
        return .object(slice)
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let site = try JSONDecoder().decode(SiteRecord.self, from: context.readInput("parse/site.json"))
        // An item whose quote cannot be found where it says is dropped, never shown to a reviewer.
        let rules = EvidenceCheck(site: site).verified(RuleBasedExtractor(site: site).extract())
        var icp = rules
        var report = StageReport(provider: "rules")
        if let provider = ProviderSettings(context.pipeline.document) {
            let cap = CostLedger.cap(context.pipeline.document)
            let outcome = try await ModelCall(context: context, settings: provider)
                .icp(ICPPrompt.prompt(.extract, site: site), site: site, spentUSD: 0, capUSD: cap)
            outcome.record(into: &report, provider: provider, fallback: "the rule-based ICP is used instead")
            if let document = outcome.value { icp = document }
            try context.writeOutput("cost.json", json: JSONValue.from(CostLedger(calls: outcome.entry.map { [$0] } ?? [], capUSD: cap)))
        }
        try context.writeOutput("icp.json", json: JSONValue.from(icp))
        if icp.icpIndustries.isEmpty { report.warnings.append("no customer industry found on the site") }
        if icp.icpTitles.isEmpty { report.warnings.append("no buyer title found on the site") }
        return report
    }
}
