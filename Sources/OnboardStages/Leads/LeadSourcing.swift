import Foundation
import OnboardEngine

/// A fitting lead as sourcing sees it: what scoring, dedupe and claims need, not the whole row.
struct LeadCandidate: Sendable {
    let rowID: Int64
    let leadID: String
    let facts: LeadFacts
    let emailKey: String
    let linkedIn: String
    let name: (first: String, last: String, company: String)
    let claimedByOthers: Bool
    let claimedByClient: Bool
    var score = 0
    var reasons: [ScoreReason] = []
    var titleGroup = ""
    var size = ""
}

/// What one sourcing read and took (for summary.json and the stamp's shared_state_read).
struct SourcingOutcome: Sendable {
    var databaseLeads = 0
    var matched = 0
    var claimedByOthers = 0
    var duplicates = 0
    var reusedClaims = 0
    var releasedClaims = 0
    var selected: [LeadCandidate] = []
    /// SHA-256 over every fitting lead read: id, score and whether another client held it.
    var digest = ""
}

extension LeadDatabase {
    /// Takes up to `quota` of the best-fitting leads for `client` and records them as its claims, in
    /// one transaction (so two clients sourcing at once never take the same lead when leads are
    /// exclusive). The client's own claims come first, so a rerun or a later job keeps its leads;
    /// claims it no longer takes are released. Leads are deduplicated by email, LinkedIn URL and
    /// name with company; with `exclusive`, a lead another client holds (or a duplicate of one) is skipped.
    func source(
        fit: LeadFit, weights: LeadWeights, client: String, job: String, quota: Int, exclusive: Bool, now: String
    ) throws -> SourcingOutcome {
        try database.transaction {
            var outcome = SourcingOutcome()
            outcome.databaseLeads = try count()
            var candidates = try fittingCandidates(fit, client: client)
            var scorer = LeadScorer(fit: fit, weights: weights)
            var digestInput = ""
            for index in candidates.indices {
                let (score, reasons) = scorer.score(candidates[index].facts)
                candidates[index].score = score
                candidates[index].reasons = reasons
                digestInput += "\(candidates[index].leadID)|\(score)|\(candidates[index].claimedByOthers ? 1 : 0)\n"
            }
            outcome.matched = candidates.count
            outcome.digest = Digest.sha256(digestInput)

            var taken = DedupeKeys()
            if exclusive {
                for candidate in candidates where candidate.claimedByOthers { taken.insert(candidate) }
            }
            // The client's own leads first, then the best; ties by id, so the order is the same every run.
            candidates.sort { first, second in
                if first.claimedByClient != second.claimedByClient { return first.claimedByClient }
                if first.score != second.score { return first.score > second.score }
                return first.leadID < second.leadID
            }
            var seen = DedupeKeys()
            var selected: [LeadCandidate] = []
            outcome.claimedByOthers = exclusive ? candidates.lazy.filter(\.claimedByOthers).count : 0
            for var candidate in candidates where !(exclusive && candidate.claimedByOthers) {
                guard selected.count < quota else { break }
                // The same person under another id, when another client holds them, is theirs too.
                if seen.contains(candidate) || (exclusive && taken.contains(candidate)) {
                    outcome.duplicates += 1
                    continue
                }
                seen.insert(candidate)
                candidate.titleGroup = scorer.titleGroup(candidate.facts)
                candidate.size = candidate.facts.employees.flatMap(LeadScorer.bucket) ?? "unknown"
                if candidate.claimedByClient { outcome.reusedClaims += 1 }
                selected.append(candidate)
            }
            selected.sort { $0.score != $1.score ? $0.score > $1.score : $0.leadID < $1.leadID }
            outcome.releasedClaims = try recordClaims(selected, client: client, job: job, now: now)
            outcome.selected = selected
            return outcome
        }
    }

    /// Every lead that fits, with the facts scoring needs, in lead-id order.
    private func fittingCandidates(_ fit: LeadFit, client: String) throws -> [LeadCandidate] {
        var binds: [SQLiteStatement.Value] = [.text(client)]
        var filter = ""
        if !fit.industryRules.isEmpty {
            let keys = try database.prepare("SELECT DISTINCT industry_key FROM leads").rows { $0.text(0) ?? "" }
                .filter { fit.industry(ofKey: $0) != nil }
            guard !keys.isEmpty else { return [] }
            filter = "WHERE industry_key IN (\(keys.indices.map { "?\($0 + 2)" }.joined(separator: ", ")))"
            binds += keys.map { .text($0) }
        }
        let statement = try database.prepare(
            """
            SELECT id, lead_id, title, seniority, employees, email_status, email_key, industry_key, city_key, state_key,
                country_key, location_source, linkedin_url, first_name, last_name, company,
                (first_name IS NOT NULL) + (last_name IS NOT NULL) + (title IS NOT NULL) + (company IS NOT NULL)
                    + (email IS NOT NULL) + (linkedin_url IS NOT NULL) + (website IS NOT NULL) + (employees IS NOT NULL)
                    + (location_source <> ''),
                EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = leads.lead_id AND c.client_id <> ?1),
                EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = leads.lead_id AND c.client_id = ?1)
            FROM leads \(filter) ORDER BY lead_id
            """)
        statement.bind(binds)
        var places: [String: String?] = [:]
        var industries: [String: String?] = [:]
        var candidates: [LeadCandidate] = []
        try statement.forEachRow { row in
            let industryKey = row.text(7) ?? ""
            let industry: String?
            if let known = industries[industryKey] { industry = known } else {
                industry = fit.industry(ofKey: industryKey)
                industries[industryKey] = industry
            }
            guard let industry else { return }
            let city = row.text(8) ?? "", state = row.text(9) ?? "", country = row.text(10) ?? ""
            let placeKey = city + "\u{0}" + state + "\u{0}" + country
            let location: String?
            if let known = places[placeKey] { location = known } else {
                location = fit.location(of: LeadPlace(city: city, state: state, country: country))
                places[placeKey] = location
            }
            guard let location else { return }
            let facts = LeadFacts(
                title: row.text(2) ?? "", seniority: row.text(3) ?? "", employees: row.isNull(4) ? nil : Int(row.int(4)),
                emailStatus: row.text(5) ?? "", hasEmail: !row.isNull(6), filledFields: Int(row.int(16)), industry: industry,
                location: location, locationSource: row.text(11) ?? "")
            candidates.append(LeadCandidate(
                rowID: row.int(0), leadID: row.text(1) ?? "", facts: facts, emailKey: row.text(6) ?? "",
                linkedIn: row.text(12).map(LeadKeys.linkedIn) ?? "",
                name: (row.text(13) ?? "", row.text(14) ?? "", row.text(15) ?? ""),
                claimedByOthers: row.int(17) != 0, claimedByClient: row.int(18) != 0))
        }
        return candidates
    }

    /// The client's claims become exactly `selected`; returns how many it held and gave back.
    private func recordClaims(_ selected: [LeadCandidate], client: String, job: String, now: String) throws -> Int {
        let held = Set(try database.prepare("SELECT lead_id FROM lead_claims WHERE client_id = ?").bind(.text(client)).rows { $0.text(0) ?? "" })
        let keep = Set(selected.map(\.leadID))
        let release = try database.prepare("DELETE FROM lead_claims WHERE lead_id = ? AND client_id = ?")
        for leadID in held.subtracting(keep).sorted() { try release.bind(.text(leadID), .text(client)).run() }
        let claim = try database.prepare(
            """
            INSERT INTO lead_claims (lead_id, client_id, job_id, email, claimed_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(lead_id, client_id) DO UPDATE SET job_id = excluded.job_id, email = excluded.email
            """)
        for lead in selected {
            try claim.bind(.text(lead.leadID), .text(client), .text(job), lead.emailKey.isEmpty ? .null : .text(lead.emailKey), .text(now)).run()
        }
        return held.subtracting(keep).count
    }

    /// The lead ids a client holds.
    public func claims(of client: String) throws -> [String] {
        try database.prepare("SELECT lead_id FROM lead_claims WHERE client_id = ? ORDER BY lead_id").bind(.text(client)).rows { $0.text(0) ?? "" }
    }

    /// Gives back every lead a client holds; returns how many.
    @discardableResult
    public func releaseClaims(of client: String) throws -> Int {
        try database.transaction {
            try database.prepare("DELETE FROM lead_claims WHERE client_id = ?").bind(.text(client)).run()
            return database.changes
        }
    }

    /// The stored rows of some leads, for writing them out: Apollo's columns, then the kept ones.
    func rows(_ rowIDs: [Int64]) throws -> [Int64: LeadRow] {
        let columns = ApolloColumn.allCases.map(\.column).joined(separator: ", ")
        let statement = try database.prepare("SELECT \(columns), extra FROM leads WHERE id = ?")
        var result: [Int64: LeadRow] = [:]
        for rowID in rowIDs {
            statement.bind(.integer(rowID))
            try statement.forEachRow { row in
                var values: [String] = []
                for column in ApolloColumn.allCases {
                    let index = Int32(column.rawValue)
                    values.append(column == .employees ? (row.isNull(index) ? "" : String(row.int(index))) : (row.text(index) ?? ""))
                }
                let extraText = row.text(Int32(ApolloColumn.allCases.count)) ?? "[]"
                let extra = (try? JSONValue.parse(Data(extraText.utf8)))?.arrayValue?.compactMap { pair -> (String, String)? in
                    guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue
                    else { return nil }
                    return (name, value)
                } ?? []
                result[rowID] = LeadRow(values: values, extra: extra)
            }
        }
        return result
    }
}

/// A lead's stored values: one per ApolloColumn, then the file's other columns as they came.
struct LeadRow: Sendable {
    let values: [String]
    let extra: [(String, String)]
}

/// Email, LinkedIn URL and name with company already seen.
private struct DedupeKeys {
    var emails: Set<String> = []
    var linkedIns: Set<String> = []
    var people: Set<String> = []

    static func person(_ lead: LeadCandidate) -> String? {
        LeadKeys.person(first: lead.name.first, last: lead.name.last, company: lead.name.company)
    }

    func contains(_ lead: LeadCandidate) -> Bool {
        (!lead.emailKey.isEmpty && emails.contains(lead.emailKey)) || (!lead.linkedIn.isEmpty && linkedIns.contains(lead.linkedIn))
            || (Self.person(lead).map(people.contains) ?? false)
    }

    mutating func insert(_ lead: LeadCandidate) {
        if !lead.emailKey.isEmpty { emails.insert(lead.emailKey) }
        if !lead.linkedIn.isEmpty { linkedIns.insert(lead.linkedIn) }
        if let person = Self.person(lead) { people.insert(person) }
    }
}
