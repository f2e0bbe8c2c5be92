import Foundation
import OnboardEngine

/// `leads`: the tier's monthly quota of the best-fitting leads for a confirmed ICP, from the lead
/// database, scored (ALS) with reasons, deduplicated, never a lead another client holds when leads
/// are exclusive; claims recorded for the client. Writes `leads/leads.csv` and `leads/summary.json`.
/// A shortfall is reported, never padded with leads that do not fit. Scores use pipeline.json's
/// weights with the client's own (ClientLeadWeights).
struct LeadsStage: StageImplementation {
    var logicVersion: Int { 2 }

    var dataSHA256: [String: String] {
        Taxonomy.shared.dataSHA256.merging(LeadGazetteer.shared.dataSHA256) { first, _ in first }
            .merging(LeadIndustries.shared.dataSHA256) { first, _ in first }
    }

    func settings(from document: JSONValue) -> JSONValue {
        var quotas: [String: JSONValue] = [:]
        for (tier, entry) in document["tiers"]?.objectValue ?? [:] { quotas[tier] = entry["leads_per_month"] ?? .null }
        let provider = document.value(at: "providers.leads")?.stringValue ?? "local"
        return .object([
            "exclusive_leads": document.value(at: "settings.exclusive_leads") ?? .null,
            "als_weights": document.value(at: "settings.als_weights") ?? .null,
            "leads_per_month": .object(quotas),
            "provider": .string(provider),
            "apollo": provider == "apollo" ? (document.value(at: "providers.apollo") ?? .null) : .null,
        ])
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let icp: ConfirmedICP
        do { icp = try ConfirmedICP.read(try context.readJSON("confirm/icp.json")) } catch let problem as ConfirmedICP.Problem {
            throw StageFailure(problem.description)
        }
        // The client and tier come from intake's normalised request, as apply reads them.
        let request = try context.readJSON("intake/request.json")
        guard let client = request["client_id"]?.stringValue else { throw StageFailure("intake/request.json: client_id is missing") }
        guard let tier = request["tier"]?.stringValue else { throw StageFailure("intake/request.json: tier is missing") }
        let document = context.pipeline.document
        guard let quota = document.value(at: "tiers.\(tier).leads_per_month")?.intValue else {
            throw StageFailure("pipeline.json: tiers.\(tier).leads_per_month is missing (the job's tier is \(tier))")
        }
        let provider = document.value(at: "providers.leads")?.stringValue ?? "local"
        guard provider == "local" || provider == "apollo" else {
            throw StageFailure("providers.leads: \"\(provider)\" is not a lead source (local or apollo)")
        }
        let exclusive = document.value(at: "settings.exclusive_leads")?.boolValue ?? true
        let weights = try ClientLeadWeights.resolve(
            pipeline: LeadWeights(pipeline: document), confirmed: icp.alsWeights, client: client,
            stateDirectory: context.stateDirectory, statePath: context.pipeline.paths.state)
        let fit = LeadFit(icp)
        var apollo: (people: Int, credits: Int, calls: Int, replayed: Int, resumed: Int)?
        if provider == "apollo" {
            var source = try ApolloLeadSource(
                settings: document.value(at: "providers.apollo"), environment: ProcessInfo.processInfo.environment, context: context)
            let people = try await source.people(for: fit, limit: Int(quota))
            try context.writeOutput(ApolloLeadSource.answersFile, json: source.record)
            // Into the local database, so fit, scores, dedupe and claims work as for imported leads.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-apollo-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try ApolloLeadSource.csv(people).write(to: file)
            let imported = try LeadImport.run(file: file, stateDirectory: context.stateDirectory)
            if let problem = imported.problems.first {
                throw StageFailure("Apollo's answer has a person the lead database cannot take (\(problem.message))")
            }
            apollo = (people.count, source.credits, source.calls, source.replayed, source.resumed)
        }

        let database = try LeadDatabase(stateDirectory: context.stateDirectory)
        let outcome = try database.source(
            fit: fit, weights: weights.weights, client: client, job: context.jobID, quota: Int(quota), exclusive: exclusive,
            now: RFC3339.format(context.clock.now()))
        let rows = try database.rows(outcome.selected.map(\.rowID))
        try context.writeOutput("leads.csv", data: LeadsCSV.render(outcome.selected, rows: rows))
        var summary = summary(outcome, client: client, tier: tier, quota: Int(quota), exclusive: exclusive, fit: fit).objectValue ?? [:]
        summary["provider"] = .string(provider)
        summary["als_weights"] = weights.weights.json
        summary["als_weights_source"] = .string(weights.source.rawValue)
        if let apollo {
            summary["apollo"] = ["people_matched": .int(Int64(apollo.people)), "credits_consumed": .int(Int64(apollo.credits))]
        }
        try context.writeOutput("summary.json", json: .object(summary))

        var warnings: [String] = []
        if outcome.selected.count < quota {
            warnings.append("\(outcome.selected.count) of \(quota) leads sourced: \(outcome.matched) in the lead database fit the ICP")
        }
        if let apollo, apollo.replayed > 0 {
            warnings.append("\(apollo.replayed) Apollo answers replayed from the last run (rerun --refetch asks again)")
        }
        if let apollo, apollo.resumed > 0 {
            warnings.append("\(apollo.resumed) Apollo answers taken from an earlier attempt that did not finish, not asked again")
        }
        var read: [String: JSONValue] = [
            "database": .string("\(context.pipeline.paths.state)/\(LeadDatabase.fileName)"),
            "leads": .int(Int64(outcome.databaseLeads)), "fitting": .int(Int64(outcome.matched)),
            "claimed_by_other_clients": .int(Int64(outcome.claimedByOthers)),
            "reused_claims": .int(Int64(outcome.reusedClaims)), "released_claims": .int(Int64(outcome.releasedClaims)),
            "claims": .int(Int64(outcome.selected.count)), "digest": .string(outcome.digest),
        ]
        // The client's weights come from its record only when the confirmation names none.
        if let record = weights.clientRecordRead { read["client_record"] = record }
        return StageReport(provider: provider, warnings: warnings, sharedStateRead: .object(read))
    }

    private func summary(
        _ outcome: SourcingOutcome, client: String, tier: String, quota: Int, exclusive: Bool, fit: LeadFit
    ) -> JSONValue {
        func breakdown(_ key: (LeadCandidate) -> String) -> JSONValue {
            var counts: [String: Int64] = [:]
            for lead in outcome.selected { counts[key(lead), default: 0] += 1 }
            return .object(counts.mapValues { .int($0) })
        }
        return [
            "client_id": .string(client), "tier": .string(tier), "exclusive_leads": .bool(exclusive),
            "requested": .int(Int64(quota)), "matched": .int(Int64(outcome.matched)),
            "sourced": .int(Int64(outcome.selected.count)), "shortfall": .int(Int64(max(0, quota - outcome.selected.count))),
            "excluded": [
                "claimed_by_other_clients": .int(Int64(outcome.claimedByOthers)), "duplicates": .int(Int64(outcome.duplicates)),
            ],
            "reused_claims": .int(Int64(outcome.reusedClaims)), "released_claims": .int(Int64(outcome.releasedClaims)),
            "fit": [
                "industries": .array(fit.industries.map(JSONValue.string)), "locations": .array(fit.locations.map(JSONValue.string)),
                "titles": .array(fit.titles.map(JSONValue.string)), "company_sizes": .array(fit.sizes.map(JSONValue.string)),
            ],
            "by_industry": breakdown { $0.facts.industry.isEmpty ? "any" : $0.facts.industry },
            "by_title": breakdown(\.titleGroup),
            "by_size": breakdown(\.size),
            "by_location": breakdown { $0.facts.location.isEmpty ? "any" : $0.facts.location },
            "by_score_band": breakdown { LeadScorer.band($0.score) },
        ]
    }
}
