import Foundation
import OnboardEngine

/// `campaigns`: exactly the tier's `campaign_slots` segments of the confirmed ICP
/// (`suggestions.json`), and a draft campaign for each with a five-step sequence and a share of
/// the leads weighted by the segment's fitting leads in the lead database (`campaigns.json`).
struct CampaignsStage: StageImplementation {
    var logicVersion: Int { 1 }

    var dataSHA256: [String: String] {
        // The lead database's fit check reads the whole taxonomy, its gazetteer and industry aliases.
        var hashes = Taxonomy.shared.dataSHA256.merging(LeadGazetteer.shared.dataSHA256) { first, _ in first }
            .merging(LeadIndustries.shared.dataSHA256) { first, _ in first }
        hashes[SequenceTemplate.file] = SequenceTemplate.shared.sha256
        hashes[PersonalisationVariables.file] = PersonalisationVariables.shared.sha256
        return hashes
    }

    func settings(from document: JSONValue) -> JSONValue {
        var slots: [String: JSONValue] = [:]
        for (tier, entry) in document["tiers"]?.objectValue ?? [:] { slots[tier] = entry["campaign_slots"] ?? .null }
        return .object([
            "auto_activate_campaigns": document.value(at: "settings.auto_activate_campaigns") ?? .null,
            "exclusive_leads": document.value(at: "settings.exclusive_leads") ?? .null,
            "campaign_slots": .object(slots),
        ])
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let request = try JSONValue.parse(context.readInput("intake/request.json"))
        guard let tier = request["tier"]?.stringValue, let client = request["client_id"]?.stringValue else {
            throw StageFailure("intake/request.json: tier and client_id are required")
        }
        guard let slots = context.pipeline.document.value(at: "tiers.\(tier).campaign_slots")?.intValue, (1...20).contains(slots) else {
            throw StageFailure("pipeline.json: tiers.\(tier).campaign_slots is missing or not an integer 1–20")
        }
        let icpDocument: JSONValue
        do { icpDocument = try JSONValue.parse(context.readInput("confirm/icp.json")) } catch let failure as StageFailure { throw failure } catch {
            throw StageFailure("confirm/icp.json: not valid JSON")
        }
        let icp: ConfirmedICP
        do { icp = try ConfirmedICP.read(icpDocument) } catch let problem as ConfirmedICP.Problem { throw StageFailure(problem.description) }
        let exclusive = context.pipeline.document.value(at: "settings.exclusive_leads")?.boolValue ?? true
        let intelligence = context.inputs.contains("enrich/intelligence.json")
            ? try JSONValue.parse(context.readInput("enrich/intelligence.json")) : .null
        let active = context.pipeline.document.value(at: "settings.auto_activate_campaigns")?.boolValue ?? false

        let segments = Segmenter.segments(icp, slots: Int(slots))
        let counts: [Int]?
        do {
            counts = try SegmentLeadCounts.count(
                segments, confirmedICP: icpDocument, client: client, exclusive: exclusive, stateDirectory: context.stateDirectory)
        } catch {
            throw StageFailure("state/leads.sqlite: cannot be read (\(error))", transient: true)
        }
        let percentages = AllocationSplit.largestRemainder(total: 100, weights: counts ?? segments.map { _ in 0 })
        let drafter = CampaignDrafter(
            client: DraftText.clean(request["company_name"]?.stringValue ?? client), icp: icp,
            proofLines: CampaignDrafter.proofLines(intelligence))
        let drafts = try drafter.draft(segments, clientID: client)

        var suggestions: [JSONValue] = []
        var campaigns: [JSONValue] = []
        for (index, draft) in drafts.enumerated() {
            let fitting = counts?[index]
            var reason = draft.reason
            if let fitting {
                reason += fitting == 0 ? "; no fitting leads in the lead database, so it gets no share yet"
                    : "; \(fitting) fitting lead\(fitting == 1 ? "" : "s") in the lead database"
            } else {
                reason += "; no lead database to weigh by, so the leads are split evenly"
            }
            suggestions.append([
                "id": .string(draft.id), "name": .string(draft.name), "segment": draft.segment, "angle": .string(draft.angle),
                "value_proposition": .string(draft.valueProposition), "reason": .string(reason),
                "fitting_leads": fitting.map { .int(Int64($0)) } ?? .null,
            ])
            campaigns.append([
                "id": .string(draft.id), "name": .string(draft.name), "segment": draft.segment,
                "status": .string(active ? "active" : "draft"), "allocation_pct": .int(Int64(percentages[index])),
                "sequence": .array(draft.steps.map(\.json)),
            ])
        }
        try context.writeOutput("suggestions.json", json: ["tier": .string(tier), "slots": .int(slots), "suggestions": .array(suggestions)])
        try context.writeOutput("campaigns.json", json: ["campaigns": .array(campaigns)])
        let read: JSONValue = [
            "lead_database": counts == nil ? .null : .string("state/\(LeadDatabase.fileName)"),
            "client_id": .string(client), "exclusive_leads": .bool(exclusive),
            "fitting_leads": counts.map { .array($0.map { .int(Int64($0)) }) } ?? .null,
            "fitting_leads_total": counts.map { .int(Int64($0.reduce(0, +))) } ?? .null,
        ]
        let warnings = counts == nil ? ["no lead database: allocation_pct split evenly"] : []
        return StageReport(provider: "templates", warnings: warnings, sharedStateRead: read)
    }
}
