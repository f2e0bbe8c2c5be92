import Foundation
import OnboardEngine

/// A fitting lead as sourcing sees it: what scoring, dedupe and claims need, not the whole row.
struct LeadCandidate: Sendable {
    let rowID: Int64
    let leadID: String
    let facts: LeadFacts
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
            var found = try fittingCandidates(fit, client: client)
            var scorer = LeadScorer(fit: fit, weights: weights)
            for index in found.indices { found[index].score = scorer.score(found[index].facts) }
            outcome.matched = found.count
            // The client's own leads first, then the best; ties by id, so the order is the same every run.
            // (Sorting positions, not the candidates themselves, moves eight bytes instead of a whole lead.)
            let order = found.indices.sorted { a, b in
                let first = found[a], second = found[b]
                if first.claimedByClient != second.claimedByClient { return first.claimedByClient }
                if first.score != second.score { return first.score > second.score }
                return first.leadID < second.leadID
            }
            let candidates = order.lazy.map { found[$0] }
            var digestInput = ""
            digestInput.reserveCapacity(candidates.count * 34)
            for candidate in candidates {
                digestInput += "\(candidate.leadID)|\(candidate.score)|\(candidate.claimedByOthers ? 1 : 0)\n"
            }
            outcome.digest = Digest.sha256(digestInput)

            let identity = try database.prepare("SELECT email_key, linkedin_url, first_name, last_name, company FROM leads WHERE id = ?")
            func keys(_ candidate: LeadCandidate) throws -> DedupeKeys.Lead {
                identity.bind(.integer(candidate.rowID))
                return try identity.rows { row in
                    DedupeKeys.Lead(
                        email: row.text(0) ?? "", linkedIn: row.text(1).map(LeadKeys.linkedIn) ?? "",
                        person: LeadKeys.person(first: row.text(2) ?? "", last: row.text(3) ?? "", company: row.text(4) ?? ""))
                }.first ?? DedupeKeys.Lead(email: "", linkedIn: "", person: nil)
            }
            var taken = DedupeKeys()
            if exclusive {
                for candidate in candidates where candidate.claimedByOthers { taken.insert(try keys(candidate)) }
            }
            var seen = DedupeKeys()
            var selected: [LeadCandidate] = []
            var emails: [String] = []
            outcome.claimedByOthers = exclusive ? candidates.lazy.filter(\.claimedByOthers).count : 0
            for var candidate in candidates where !(exclusive && candidate.claimedByOthers) {
                guard selected.count < quota else { break }
                let lead = try keys(candidate)
                // The same person under another id, when another client holds them, is theirs too.
                if seen.contains(lead) || (exclusive && taken.contains(lead)) {
                    outcome.duplicates += 1
                    continue
                }
                seen.insert(lead)
                candidate.reasons = scorer.reasons(candidate.facts)
                candidate.titleGroup = scorer.titleGroup(candidate.facts)
                candidate.size = candidate.facts.employees.flatMap(LeadScorer.bucket) ?? "unknown"
                if candidate.claimedByClient { outcome.reusedClaims += 1 }
                selected.append(candidate)
                emails.append(lead.email)
            }
            outcome.releasedClaims = try recordClaims(zip(selected, emails).map { ($0.leadID, $1) }, client: client, job: job, now: now)
            selected.sort { $0.score != $1.score ? $0.score > $1.score : $0.leadID < $1.leadID }
            outcome.selected = selected
            return outcome
        }
    }

    /// Every lead that fits, with the facts scoring needs. The fit is decided per group of equal
    /// industry and place (fittingGroups); only rows of fitting groups are read.
    private func fittingCandidates(_ fit: LeadFit, client: String) throws -> [LeadCandidate] {
        let groups = try fittingGroups([fit])
        guard !groups.isEmpty else { return [] }
        try stage(groups)
        let statement = try database.prepare(
            """
            SELECT l.id, l.lead_id, l.title, l.seniority, l.employees, l.email_status, l.email_key IS NOT NULL,
                (l.first_name IS NOT NULL) + (l.last_name IS NOT NULL) + (l.title IS NOT NULL) + (l.company IS NOT NULL)
                    + (l.email IS NOT NULL) + (l.linkedin_url IS NOT NULL) + (l.website IS NOT NULL) + (l.employees IS NOT NULL)
                    + (l.location_source <> ''),
                l.location_source, g.id,
                EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = l.lead_id AND c.client_id <> ?1),
                EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = l.lead_id AND c.client_id = ?1)
            FROM \(Self.joinFittingGroups)
            """)
        statement.bind(.text(client))
        var candidates: [LeadCandidate] = []
        var strings: [String: String] = [:]
        /// Titles, seniorities and statuses repeat: one string each, shared.
        func shared(_ text: String?) -> String {
            guard let text else { return "" }
            if let known = strings[text] { return known }
            strings[text] = text
            return text
        }
        try statement.forEachRow { row in
            let labels = groups[Int(row.int(9))].labels[0]
            let facts = LeadFacts(
                title: shared(row.text(2)), seniority: shared(row.text(3)), employees: row.isNull(4) ? nil : Int(row.int(4)),
                emailStatus: shared(row.text(5)), hasEmail: row.int(6) != 0, filledFields: Int(row.int(7)),
                industry: labels?.industry ?? "", location: labels?.location ?? "", locationSource: shared(row.text(8)))
            candidates.append(LeadCandidate(
                rowID: row.int(0), leadID: row.text(1) ?? "", facts: facts, claimedByOthers: row.int(10) != 0,
                claimedByClient: row.int(11) != 0))
        }
        return candidates
    }

    /// The client's claims become exactly `selected`; returns how many it held and gave back.
    private func recordClaims(_ selected: [(leadID: String, email: String)], client: String, job: String, now: String) throws -> Int {
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
            try claim.bind(.text(lead.leadID), .text(client), .text(job), lead.email.isEmpty ? .null : .text(lead.email), .text(now)).run()
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
    struct Lead {
        let email: String
        let linkedIn: String
        let person: String?
    }

    var emails: Set<String> = []
    var linkedIns: Set<String> = []
    var people: Set<String> = []

    func contains(_ lead: Lead) -> Bool {
        (!lead.email.isEmpty && emails.contains(lead.email)) || (!lead.linkedIn.isEmpty && linkedIns.contains(lead.linkedIn))
            || (lead.person.map(people.contains) ?? false)
    }

    mutating func insert(_ lead: Lead) {
        if !lead.email.isEmpty { emails.insert(lead.email) }
        if !lead.linkedIn.isEmpty { linkedIns.insert(lead.linkedIn) }
        if let person = lead.person { people.insert(person) }
    }
}
