import Foundation
import OnboardEngine

/// What the scorer needs to know of one lead (read before the whole row is).
struct LeadFacts: Sendable {
    var title: String
    var seniority: String
    var employees: Int?
    var emailStatus: String
    var hasEmail: Bool
    /// Of LeadScorer.completenessFields, how many the lead has.
    var filledFields: Int
    var industry: String
    var location: String
    var locationSource: String
}

/// One factor's part of a score, as `score_reasons` shows it.
struct ScoreReason: Sendable {
    let factor: String
    let points: Double
    let maximum: Double
    let detail: String

    var text: String { "\(factor) \(Self.format(points))/\(Self.format(maximum)) \(detail)" }

    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(format: "%.1f", tenths)
    }
}

/// Scores a fitting lead 0–100 from weighted factors: industry, title and seniority against the
/// ICP's titles, company size against its ranges, location, email status, completeness. A factor
/// the ICP says nothing about (no sizes, say) is left out and the others are scaled to 100, so a
/// score always reads "how much of what this ICP asks for".
struct LeadScorer {
    static let completenessFields = 9

    let fit: LeadFit
    let weights: LeadWeights
    /// The factors that count for this ICP and the most points each can give (summing to 100).
    let maxima: [(factor: String, points: Double)]
    private var titleCache: [String: LeadFit.TitleMatch] = [:]
    private var emailCache: [String: Double] = [:]
    private var sizeCache: [String: Double] = [:]
    private let sizeRanges: [String]

    init(fit: LeadFit, weights: LeadWeights) {
        self.fit = fit
        self.weights = weights
        sizeRanges = Taxonomy.shared.sizeRanges
        let active = LeadWeights.factors.filter { factor in
            switch factor {
            case "industry": return !fit.industryRules.isEmpty
            case "title": return !fit.titleRules.isEmpty
            case "size": return !fit.sizes.isEmpty
            case "location": return !fit.locationRules.isEmpty
            default: return true
            }
        }.filter { (weights.weights[$0] ?? 0) > 0 }
        let total = active.reduce(0) { $0 + (weights.weights[$1] ?? 0) }
        maxima = total > 0 ? active.map { ($0, (weights.weights[$0] ?? 0) * 100 / total) } : []
    }

    /// The ICP title a lead's title stands for ("other" when none comes close), for breakdowns.
    mutating func titleGroup(_ lead: LeadFacts) -> String {
        fit.titleRules.isEmpty ? (lead.title.isEmpty ? "none" : "any") : titleMatch(lead).group
    }

    /// The score alone: cheap enough for every fitting lead of a large database.
    mutating func score(_ lead: LeadFacts) -> Int {
        var sum = 0.0
        for (factor, maximum) in maxima { sum += maximum * credit(factor, lead, describe: false).0 }
        return min(100, max(0, Int(sum.rounded())))
    }

    /// Each factor's points and why, for the leads that are written out.
    mutating func reasons(_ lead: LeadFacts) -> [ScoreReason] {
        maxima.map { factor, maximum in
            let (credit, detail) = credit(factor, lead, describe: true)
            return ScoreReason(factor: factor, points: maximum * credit, maximum: maximum, detail: detail)
        }
    }

    private mutating func credit(_ factor: String, _ lead: LeadFacts, describe: Bool) -> (Double, String) {
        switch factor {
        case "industry": return (1, lead.industry)
        case "location":
            guard lead.locationSource == "company" else { return (1, lead.location) }
            return (0.7, describe ? "\(lead.location) (company address)" : "")
        case "title":
            let match = titleMatch(lead)
            return (match.credit, match.detail)
        case "size":
            guard !describe, let employees = lead.employees, let bucket = Self.bucket(employees) else {
                return sizeCredit(lead.employees)
            }
            if let cached = sizeCache[bucket] { return (cached, "") }
            let value = sizeCredit(employees).0
            sizeCache[bucket] = value
            return (value, "")
        case "email_status":
            guard !describe else { return emailCredit(lead) }
            let key = lead.hasEmail ? lead.emailStatus : "\u{0}"
            if let cached = emailCache[key] { return (cached, "") }
            let value = emailCredit(lead).0
            emailCache[key] = value
            return (value, "")
        default:
            let filled = min(lead.filledFields, Self.completenessFields)
            return (Double(filled) / Double(Self.completenessFields), describe ? "\(filled) of \(Self.completenessFields) fields" : "")
        }
    }

    private mutating func titleMatch(_ lead: LeadFacts) -> LeadFit.TitleMatch {
        let cacheKey = lead.title + "\u{0}" + lead.seniority
        if let cached = titleCache[cacheKey] { return cached }
        let match = fit.titleMatch(title: lead.title, seniority: lead.seniority)
        titleCache[cacheKey] = match
        return match
    }

    /// Full credit inside one of the ICP's ranges, half in a neighbouring range.
    private func sizeCredit(_ employees: Int?) -> (Double, String) {
        guard let employees else { return (0, "employees unknown") }
        guard let bucket = Self.bucket(employees), let position = sizeRanges.firstIndex(of: bucket) else { return (0, "\(employees) employees") }
        if fit.sizes.contains(bucket) { return (1, bucket) }
        let near = fit.sizes.contains { size in sizeRanges.firstIndex(of: size).map { abs($0 - position) == 1 } ?? false }
        return near ? (0.5, "\(bucket) near \(fit.sizes.joined(separator: ", "))") : (0, "\(bucket) outside \(fit.sizes.joined(separator: ", "))")
    }

    static func bucket(_ employees: Int) -> String? {
        switch employees {
        case ..<1: nil
        case 1...10: "1-10"
        case 11...50: "11-50"
        case 51...200: "51-200"
        case 201...500: "201-500"
        case 501...1000: "501-1000"
        case 1001...5000: "1001-5000"
        case 5001...10000: "5001-10000"
        default: "10001+"
        }
    }

    private func emailCredit(_ lead: LeadFacts) -> (Double, String) {
        guard lead.hasEmail else { return (0, "no email") }
        let status = lead.emailStatus.isEmpty ? "status unknown" : lead.emailStatus
        switch LeadKeys.fold(lead.emailStatus) {
        case "verified": return (1, status)
        case "likely to engage": return (0.7, status)
        case "user managed": return (0.5, status)
        case "unverified", "extrapolated", "": return (0.3, status)
        default: return (0, status)
        }
    }

    static func band(_ score: Int) -> String {
        switch score {
        case 80...: "80-100"
        case 60..<80: "60-79"
        case 40..<60: "40-59"
        case 20..<40: "20-39"
        default: "0-19"
        }
    }
}
