import Foundation
import OnboardEngine

/// `campaigns`: exactly the tier's `campaign_slots` segments of the confirmed ICP
/// (`suggestions.json`), and a draft campaign for each with a five-step sequence and a share of
/// the leads weighted by the segment's fitting leads in the lead database (`campaigns.json`).
/// With a model provider in `providers.icp`, one call writes the copy of every step (segments,
/// shares, ids and the sequence's shape stay the offline ones); an answer that fails the check
/// leaves every campaign on the offline template, with a warning.
struct CampaignsStage: StageImplementation {
    /// 2: a segment's leads are counted by its buyer titles too.
    var logicVersion: Int { 2 }

    var dataSHA256: [String: String] {
        // The lead database's fit check reads the whole taxonomy, its gazetteer and industry aliases.
        var hashes = Taxonomy.shared.dataSHA256.merging(LeadGazetteer.shared.dataSHA256) { first, _ in first }
            .merging(LeadIndustries.shared.dataSHA256) { first, _ in first }
        hashes[SequenceTemplate.file] = SequenceTemplate.shared.sha256
        hashes[PersonalisationVariables.file] = PersonalisationVariables.shared.sha256
        return hashes.merging(CampaignCopyPrompt.dataSHA256) { first, _ in first }
    }

    func settings(from document: JSONValue) -> JSONValue {
        var slots: [String: JSONValue] = [:]
        for (tier, entry) in document["tiers"]?.objectValue ?? [:] { slots[tier] = entry["campaign_slots"] ?? .null }
        var slice: [String: JSONValue] = [
            "auto_activate_campaigns": document.value(at: "settings.auto_activate_campaigns") ?? .null,
            "exclusive_leads": document.value(at: "settings.exclusive_leads") ?? .null,
            "campaign_slots": .object(slots),
        ]
        // Only with a provider, so a job drafted offline is not made stale by this stage learning to ask one.
        if ProviderSettings(document) != nil {
            slice.merge(ProviderSettings.slice(document).objectValue ?? [:]) { first, _ in first }
            slice["enrichment_cost_cap_usd"] = document.value(at: "settings.enrichment_cost_cap_usd") ?? .null
        }
        return .object(slice)
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let request = try context.readJSON("intake/request.json")
        guard let tier = request["tier"]?.stringValue, let client = request["client_id"]?.stringValue else {
            throw StageFailure("intake/request.json: tier and client_id are required")
        }
        guard let slots = context.pipeline.document.value(at: "tiers.\(tier).campaign_slots")?.intValue, (1...20).contains(slots) else {
            throw StageFailure("pipeline.json: tiers.\(tier).campaign_slots is missing or not an integer 1–20")
        }
        let icpDocument = try context.readJSON("confirm/icp.json")
        let icp: ConfirmedICP
        do {
            icp = try ConfirmedICP.read(icpDocument)
            try icp.checkSegmentable()
        } catch let problem as ConfirmedICP.Problem { throw StageFailure(problem.description) }
        let exclusive = context.pipeline.document.value(at: "settings.exclusive_leads")?.boolValue ?? true
        let intelligence = context.inputs.contains("enrich/intelligence.json")
            ? try context.readJSON("enrich/intelligence.json") : .null
        let active = context.pipeline.document.value(at: "settings.auto_activate_campaigns")?.boolValue ?? false

        let segments = Segmenter.segments(icp, slots: Int(slots))
        let counts: [Int]?
        do {
            counts = try SegmentLeadCounts.count(
                segments, confirmedICP: icp, client: client, exclusive: exclusive, stateDirectory: context.stateDirectory)
        } catch {
            throw StageFailure("state/leads.sqlite: cannot be read (\(error))", transient: true)
        }
        let percentages = AllocationSplit.largestRemainder(total: 100, weights: counts ?? segments.map { _ in 0 })
        let drafter = CampaignDrafter(
            client: DraftText.clean(request["company_name"]?.stringValue ?? client), icp: icp,
            proofLines: CampaignDrafter.proofLines(intelligence))
        var drafts = try drafter.draft(segments, clientID: client)
        var report = StageReport(provider: "templates", costUSD: 0)
        if let provider = ProviderSettings(context.pipeline.document) {
            try await writeCopy(&drafts, drafter: drafter, provider: provider, context: context, report: &report)
        }

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
        if counts == nil { report.warnings.insert("no lead database: allocation_pct split evenly", at: 0) }
        report.sharedStateRead = read
        return report
    }

    /// Asks the model for every step's copy and puts it into the drafts only when the whole
    /// answer passes the check. The call is held to `enrichment_cost_cap_usd` on its own: that
    /// cap covers the ICP's extraction (icp and enrich), so campaign copy does not draw on it.
    private func writeCopy(
        _ drafts: inout [CampaignDraft], drafter: CampaignDrafter, provider: ProviderSettings, context: StageContext,
        report: inout StageReport
    ) async throws {
        let cap = CostLedger.cap(context.pipeline.document)
        let prompt = CampaignCopyPrompt.prompt(client: drafter.client, icp: drafter.icp, proofLines: drafter.proofLines, drafts: drafts)
        let asked = drafts
        let outcome = try await ModelCall(context: context, settings: provider).ask(prompt, spentUSD: 0, capUSD: cap) {
            answer throws(ProviderProblem) in (try CampaignCopyAnswer.check(answer, drafts: asked), [String]())
        }
        outcome.record(into: &report, provider: provider, fallback: "every campaign keeps the offline template's copy")
        if let copy = outcome.value {
            for index in drafts.indices { drafts[index].steps = copy[drafts[index].id] ?? drafts[index].steps }
        }
        try context.writeOutput("cost.json", json: JSONValue.from(CostLedger(calls: outcome.entry.map { [$0] } ?? [], capUSD: cap)))
    }
}
