import Foundation
import OnboardEngine

/// `enrich`: what else the site tells a seller (proof points, testimonials, reviews, social
/// profiles, buying signals), a confidence score for the ICP with its breakdown, and the cost
/// ledger of the extraction. Offline it spends nothing and leaves the ICP's items as they are;
/// with `sdk_brain_enabled` and a model provider, the model reviews and completes the ICP (held
/// to the same schema, evidence rule and cost cap as icp, the cap counting icp's calls too), and
/// the ICP passes through unchanged, with a warning, when its answer cannot be used.
struct EnrichStage: StageImplementation {
    var logicVersion: Int { 2 }
    var dataSHA256: [String: String] { ICPPrompt.dataSHA256(.enrich) }

    func settings(from document: JSONValue) -> JSONValue {
        var slice = ProviderSettings.slice(document).objectValue ?? [:]
        slice["sdk_brain_enabled"] = document.value(at: "settings.sdk_brain_enabled") ?? .null
        slice["enrichment_cost_cap_usd"] = document.value(at: "settings.enrichment_cost_cap_usd") ?? .null
        return .object(slice)
    }

    static let signals: [(String, [String])] = [
        ("hiring", ["we're hiring", "we are hiring", "join our team", "open positions", "now hiring"]),
        ("growth", ["new location", "expanding", "expansion", "now open", "opening our", "grown to", "growing team"]),
        ("award", ["award", "recognized as", "recognised as", "named one of"]),
        ("funding", ["raised", "series a", "series b", "seed round", "backed by"]),
        ("partnership", ["partnered with", "partnership with", "certified partner", "official partner"]),
    ]

    func run(_ context: StageContext) async throws -> StageReport {
        let icpData = try context.readInput("icp/icp.json")
        let icp = try JSONDecoder().decode(ICPDocument.self, from: icpData)
        let site = try JSONDecoder().decode(SiteRecord.self, from: context.readInput("parse/site.json"))
        let cap = CostLedger.cap(context.pipeline.document)
        var report = StageReport(provider: "rules", costUSD: 0)
        // icp's calls count against the same cap: it covers the job's extraction as a whole.
        let earlier = (try? JSONDecoder().decode(CostLedger.self, from: context.readInput("icp/cost.json")))?.calls ?? []
        var calls = earlier
        var enriched = icp
        let brain = context.pipeline.document.value(at: "settings.sdk_brain_enabled")?.boolValue ?? true
        if brain, let provider = ProviderSettings(context.pipeline.document) {
            let spent = earlier.map(\.costUSD).reduce(0, +)
            let outcome = try await ModelCall(context: context, settings: provider)
                .icp(ICPPrompt.prompt(.enrich, site: site, draft: icp), site: site, spentUSD: spent, capUSD: cap)
            outcome.record(into: &report, provider: provider, fallback: "the extracted ICP is passed on unchanged")
            if let document = outcome.value { enriched = document }
            calls += outcome.entry.map { [$0] } ?? []
        }
        if enriched == icp {
            try context.writeOutput("icp.json", data: icpData)
        } else {
            try context.writeOutput("icp.json", json: JSONValue.from(enriched))
        }

        var buyingSignals: [JSONValue] = []
        for piece in SiteText.pieces(site) {
            for (signal, words) in Self.signals {
                guard let word = words.first(where: { piece.lower.contains($0) }), SiteText.isQuotable(piece.quoteText) else { continue }
                if buyingSignals.count < 10 {
                    buyingSignals.append(["signal": .string(signal), "matched": .string(word), "url": .string(piece.url), "quote": .string(piece.quoteText)])
                }
            }
        }
        let rating = site.organization?.aggregateRating
        let intelligence: JSONValue = [
            "proof_points": try JSONValue.from(site.proofPoints),
            "testimonials": try JSONValue.from(site.testimonials),
            "reviews": rating.map { ["rating_value": $0.ratingValue.map(JSONValue.double) ?? .null, "review_count": $0.reviewCount.map { .int(Int64($0)) } ?? .null] } ?? .null,
            "social_profiles": try JSONValue.from(site.socialProfiles),
            "buying_signals": .array(buyingSignals),
        ]
        try context.writeOutput("intelligence.json", json: intelligence)
        try context.writeOutput("confidence.json", json: Self.confidence(enriched))
        try context.writeOutput("cost.json", json: JSONValue.from(CostLedger(calls: calls, capUSD: cap)))
        return report
    }

    /// 0–100 from what the ICP covers and how well its items are supported.
    static func confidence(_ icp: ICPDocument) -> JSONValue {
        func share(_ items: [ICPItem]) -> Double {
            guard !items.isEmpty else { return 0 }
            return Double(items.map(\.confidence).reduce(0, +)) / Double(items.count) / 100
        }
        let parts: [(String, Double, Double)] = [
            ("industries", 25, share(icp.icpIndustries)), ("titles", 20, share(icp.icpTitles)),
            ("locations", 15, share(icp.icpLocations)), ("services", 15, share(icp.servicesOffered)),
            ("company_sizes", 5, share(icp.icpCompanySizes)), ("pain_points", 10, share(icp.icpPainPoints)),
            ("description", 10, icp.companyDescription == nil && icp.valueProposition == nil ? 0 : 1),
        ]
        var breakdown: [String: JSONValue] = [:]
        var total = 0.0
        for (name, weight, value) in parts {
            let points = (weight * value).rounded()
            breakdown[name] = ["weight": .double(weight), "points": .double(points)]
            total += points
        }
        return ["score": .int(Int64(total)), "breakdown": .object(breakdown)]
    }
}
