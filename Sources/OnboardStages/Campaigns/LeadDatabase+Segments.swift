import Foundation
import OnboardEngine

extension LeadDatabase {
    /// For each fit, the leads that fit it and that `client` may still take (as `countAvailable`),
    /// in one pass over the database's groups of equal industry and place instead of one per fit.
    func countAvailable(_ fits: [LeadFit], client: String, exclusive: Bool) throws -> [Int] {
        var totals = Array(repeating: 0, count: fits.count)
        var industryFits: [String: [Bool]] = [:]
        let claimed = exclusive ? "WHERE NOT EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = leads.lead_id AND c.client_id <> ?)" : ""
        let statement = try database.prepare(
            "SELECT industry_key, city_key, state_key, country_key, COUNT(*) FROM leads \(claimed) GROUP BY 1, 2, 3, 4")
        if exclusive { statement.bind(.text(client)) }
        try statement.forEachRow { row in
            let industryKey = row.text(0) ?? ""
            let matches = industryFits[industryKey] ?? fits.map { $0.industry(ofKey: industryKey) != nil }
            industryFits[industryKey] = matches
            guard matches.contains(true) else { return }
            let place = LeadPlace(city: row.text(1) ?? "", state: row.text(2) ?? "", country: row.text(3) ?? "")
            let count = Int(row.int(4))
            for index in fits.indices where matches[index] && fits[index].location(of: place) != nil { totals[index] += count }
        }
        return totals
    }
}
