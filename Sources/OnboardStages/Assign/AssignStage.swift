import Foundation
import OnboardEngine

/// `assign`: every lead of `leads/leads.csv` into one campaign of `campaigns/campaigns.json`
/// (`assign/assignments.csv`: `lead_id,email,campaign_id,score,reasons`), and per campaign how
/// many it got against its share (`assign/summary.json`).
struct AssignStage: StageImplementation {
    var logicVersion: Int { 1 }

    var dataSHA256: [String: String] {
        Taxonomy.shared.dataSHA256.filter { ["taxonomies/industries.json", "taxonomies/titles.json"].contains($0.key) }
            .merging(LeadIndustries.shared.dataSHA256) { first, _ in first }
    }

    func settings(from document: JSONValue) -> JSONValue { .null }

    static let columns = ["lead_id", "email", "campaign_id", "score", "reasons"]

    func run(_ context: StageContext) async throws -> StageReport {
        let campaigns = try Self.campaigns(context.readJSON("campaigns/campaigns.json"))
        let sheet: LeadSheet
        do { sheet = try LeadSheet(data: context.readInput("leads/leads.csv"), path: "leads/leads.csv") } catch let problem as LeadSheet.Problem {
            throw StageFailure(problem.description)
        }
        guard sheet.has("lead_id") else { throw StageFailure("leads/leads.csv: the header has no lead_id column") }
        let fits = campaigns.map { SegmentFit(industries: $0.industries, titles: $0.titles) }

        var leads: [LeadPlacement.Lead] = []
        var emails: [String: String] = [:]
        var scores: [String: String] = [:]
        var unassigned: [JSONValue] = []
        var known: [String: [SegmentFit.Score]] = [:]
        var industries: [String: SegmentFit.Industry] = [:]
        var titles: [String: SegmentFit.Title] = [:]
        for row in sheet.rows {
            let id = sheet.value(row, "lead_id")
            if id.isEmpty {
                unassigned.append(["line": .int(Int64(row.line)), "lead_id": .null, "reason": "no lead_id"])
                continue
            }
            if emails[id] != nil {
                unassigned.append(["line": .int(Int64(row.line)), "lead_id": .string(id), "reason": "lead_id repeats an earlier row"])
                continue
            }
            emails[id] = sheet.value(row, "Email")
            let scoreText = sheet.value(row, "score")
            scores[id] = scoreText
            let industry = sheet.value(row, "Industry")
            let title = sheet.value(row, "Title")
            // Leads repeat a few industries and titles many times: each is looked up once, each pair scored once.
            let key = industry + "\u{0}" + title
            let scored = known[key] ?? {
                let facts = (industries[industry] ?? SegmentFit.Industry(industry), titles[title] ?? SegmentFit.Title(title))
                industries[industry] = facts.0
                titles[title] = facts.1
                return fits.map { $0.score(facts.0, facts.1) }
            }()
            known[key] = scored
            leads.append(LeadPlacement.Lead(id: id, score: Int(scoreText) ?? 0, fits: scored))
        }
        let placed = LeadPlacement.place(leads, shares: campaigns.map(\.allocationPct))
        let targets = AllocationSplit.largestRemainder(total: leads.count, weights: campaigns.map(\.allocationPct))

        var csv = CSVLine.line(Self.columns)
        var counts = Array(repeating: 0, count: campaigns.count)
        var bestFit = Array(repeating: 0, count: campaigns.count)
        for lead in leads {
            guard let placement = placed[lead.id] else { continue }
            counts[placement.campaign] += 1
            if lead.fits[placement.campaign].points == lead.fits.map(\.points).max() { bestFit[placement.campaign] += 1 }
            let reasons = placement.reasons.isEmpty ? "no segment matched" : placement.reasons.joined(separator: "; ")
            csv += CSVLine.line([lead.id, emails[lead.id] ?? "", campaigns[placement.campaign].id, scores[lead.id] ?? "", reasons])
        }
        try context.writeOutput("assignments.csv", data: Data(csv.utf8))

        let sourcing = context.inputs.contains("leads/summary.json") ? (try? context.readJSON("leads/summary.json")) : nil
        let perCampaign: [JSONValue] = campaigns.indices.map { index in
            [
                "id": .string(campaigns[index].id), "name": .string(campaigns[index].name), "status": .string(campaigns[index].status),
                "allocation_pct": .int(Int64(campaigns[index].allocationPct)), "target": .int(Int64(targets[index])),
                "assigned": .int(Int64(counts[index])), "best_fit": .int(Int64(bestFit[index])),
            ]
        }
        try context.writeOutput("summary.json", json: [
            "leads_read": .int(Int64(sheet.rows.count)), "assigned": .int(Int64(counts.reduce(0, +))),
            "unassigned": .array(unassigned), "campaigns": .array(perCampaign), "sourcing": sourcing ?? .null,
        ])
        let warnings = unassigned.isEmpty ? [] : ["\(unassigned.count) row(s) of leads/leads.csv not assigned: see assign/summary.json"]
        return StageReport(warnings: warnings)
    }

    struct Campaign: Sendable {
        let id: String
        let name: String
        let status: String
        let allocationPct: Int
        let industries: [String]
        let titles: [String]
    }

    static func campaigns(_ document: JSONValue) throws -> [Campaign] {
        guard let entries = document["campaigns"]?.arrayValue, !entries.isEmpty else {
            throw StageFailure("campaigns/campaigns.json: campaigns must be a non-empty list")
        }
        var seen = Set<String>()
        return try entries.enumerated().map { index, entry in
            guard let id = entry["id"]?.stringValue, !id.isEmpty, seen.insert(id).inserted else {
                throw StageFailure("campaigns/campaigns.json: campaigns[\(index)].id is missing or repeats another")
            }
            guard let pct = entry["allocation_pct"]?.intValue, pct >= 0 else {
                throw StageFailure("campaigns/campaigns.json: campaigns[\(index)].allocation_pct must be a whole number 0–100")
            }
            let strings = { (key: String) in entry["segment"]?[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            return Campaign(
                id: id, name: entry["name"]?.stringValue ?? id, status: entry["status"]?.stringValue ?? "draft", allocationPct: Int(pct),
                industries: strings("industries"), titles: strings("titles"))
        }
    }
}
