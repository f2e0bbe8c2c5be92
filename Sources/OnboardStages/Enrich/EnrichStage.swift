import Foundation
import OnboardEngine

/// `enrich`: what else the site tells a seller (proof points, testimonials, reviews, social
/// profiles, buying signals), a confidence score for the ICP with its breakdown, and the cost
/// ledger of the extraction. Offline it spends nothing and leaves the ICP's items as they are.
struct EnrichStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    func settings(from document: JSONValue) -> JSONValue {
        .object([
            "sdk_brain_enabled": document.value(at: "settings.sdk_brain_enabled") ?? .null,
            "enrichment_cost_cap_usd": document.value(at: "settings.enrichment_cost_cap_usd") ?? .null,
        ])
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
        let cap = context.pipeline.document.value(at: "settings.enrichment_cost_cap_usd")?.doubleValue ?? 1.5
        try context.writeOutput("icp.json", data: icpData)

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
        try context.writeOutput("confidence.json", json: Self.confidence(icp))
        try context.writeOutput("cost.json", json: ["calls": [], "total_usd": 0, "cap_usd": .double(cap)])
        return StageReport(provider: "rules", costUSD: 0)
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
