import Foundation

/// Puts every lead into exactly one campaign, each campaign taking exactly its largest-remainder
/// share of the leads (from `allocation_pct`). Within those shares the best fits are placed first
/// across all campaigns (every lead-campaign pair by fit, then lead score, then lead id, then
/// campaign order), so a scarce place goes to the lead that fits it best; the leads left over
/// (they fit only campaigns already full, or none) fill the room that is left, most room first.
enum LeadPlacement {
    struct Lead: Sendable {
        let id: String
        let score: Int
        /// Fit with each campaign, in campaign order.
        let fits: [SegmentFit.Score]
    }

    struct Placement: Sendable, Equatable {
        let campaign: Int
        let reasons: [String]
    }

    static func place(_ leads: [Lead], shares: [Int]) -> [String: Placement] {
        guard !shares.isEmpty else { return [:] }
        var room = AllocationSplit.largestRemainder(total: leads.count, weights: shares)
        var placed: [Int: Int] = [:]
        let precedes = { (a: Int, b: Int) -> Bool in
            leads[a].score != leads[b].score ? leads[a].score > leads[b].score : leads[a].id < leads[b].id
        }
        var pairs: [(lead: Int, campaign: Int, points: Int)] = []
        for (index, lead) in leads.enumerated() {
            for (campaign, fit) in lead.fits.enumerated() where fit.points > 0 { pairs.append((index, campaign, fit.points)) }
        }
        let order = leads.indices.sorted(by: precedes)
        var rank = Array(repeating: 0, count: leads.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        pairs.sort { a, b in
            if a.points != b.points { return a.points > b.points }
            if a.lead != b.lead { return rank[a.lead] < rank[b.lead] }
            return a.campaign < b.campaign
        }
        for pair in pairs where placed[pair.lead] == nil && room[pair.campaign] > 0 {
            placed[pair.lead] = pair.campaign
            room[pair.campaign] -= 1
        }
        // The most room left wins among equals (earlier campaign on ties).
        func roomiest(_ candidates: [Int]) -> Int {
            candidates.max { room[$0] != room[$1] ? room[$0] < room[$1] : $0 > $1 } ?? 0
        }
        let campaigns = Array(shares.indices)
        var notes: [Int: String] = [:]
        for index in order where placed[index] == nil {
            let chosen = roomiest(campaigns)
            placed[index] = chosen
            room[chosen] -= 1
            let fitsSome = leads[index].fits.contains { $0.points > 0 }
            notes[index] = fitsSome ? "the campaigns it fits were full; placed by allocation" : "fits no campaign's segment; placed by allocation"
        }
        var result: [String: Placement] = [:]
        for (index, campaign) in placed {
            let lead = leads[index]
            var reasons = lead.fits[campaign].reasons
            if let note = notes[index] {
                reasons.append(note)
            } else if lead.fits[campaign].points < (lead.fits.map(\.points).max() ?? 0) {
                reasons.append("its best-fitting campaign was full")
            }
            result[lead.id] = Placement(campaign: campaign, reasons: reasons)
        }
        return result
    }
}
