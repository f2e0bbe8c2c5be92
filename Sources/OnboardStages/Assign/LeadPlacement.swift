import Foundation

/// Puts every lead into exactly one campaign: each campaign takes its largest-remainder share of
/// the leads (from `allocation_pct`), and within those shares the best fits are placed first
/// across all campaigns (every lead-campaign pair by fit, then lead score, then lead id, then
/// campaign order), so a scarce place goes to the lead that fits it best. Leads left over fill
/// the room that is left when they fit no campaign; a lead that fits only campaigns already
/// full joins the one it fits best rather than one it does not fit at all.
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
        pairs.sort { a, b in
            if a.points != b.points { return a.points > b.points }
            if a.lead != b.lead { return precedes(a.lead, b.lead) }
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
        let left = leads.indices.filter { placed[$0] == nil }.sorted(by: precedes)
        let fitsNowhere = left.filter { (leads[$0].fits.map(\.points).max() ?? 0) == 0 }
        let campaigns = Array(shares.indices)
        var notes: [Int: String] = [:]
        for index in fitsNowhere {
            let chosen = roomiest(campaigns)
            placed[index] = chosen
            room[chosen] -= 1
            notes[index] = "fits no campaign's segment; placed by allocation"
        }
        for index in left where placed[index] == nil {
            let best = leads[index].fits.map(\.points).max() ?? 0
            let chosen = roomiest(campaigns.filter { leads[index].fits[$0].points == best })
            placed[index] = chosen
            room[chosen] -= 1
            notes[index] = "over this campaign's share: every campaign it fits was full"
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
