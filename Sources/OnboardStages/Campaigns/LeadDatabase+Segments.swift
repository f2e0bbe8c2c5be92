import Foundation
import OnboardEngine

extension LeadDatabase {
    /// For each fit, the leads that fit it and that `client` may still take (as `countAvailable`),
    /// their titles included when the fit is a segment's (LeadFit.takes). One pass over the
    /// database's groups of equal industry and place decides which groups fit which segments; only
    /// the rows of fitting groups are then read, counted by title and seniority.
    func countAvailable(_ fits: [LeadFit], client: String, exclusive: Bool) throws -> [Int] {
        var totals = Array(repeating: 0, count: fits.count)
        var industryFits: [String: [Bool]] = [:]
        var groups: [(values: [SQLiteStatement.Value], fits: [Int])] = []
        try database.prepare("SELECT industry_key, city_key, state_key, country_key FROM leads GROUP BY 1, 2, 3, 4").forEachRow { row in
            let industryKey = row.text(0) ?? ""
            let matches = industryFits[industryKey] ?? fits.map { $0.industry(ofKey: industryKey) != nil }
            industryFits[industryKey] = matches
            guard matches.contains(true) else { return }
            let city = row.text(1) ?? "", state = row.text(2) ?? "", country = row.text(3) ?? ""
            let place = LeadPlace(city: city, state: state, country: country)
            let fitting = fits.indices.filter { matches[$0] && fits[$0].location(of: place) != nil }
            guard !fitting.isEmpty else { return }
            groups.append(([.integer(Int64(groups.count)), .text(industryKey), .text(country), .text(state), .text(city)], fitting))
        }
        guard !groups.isEmpty else { return totals }
        try database.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS segment_groups (
                id INTEGER PRIMARY KEY, industry_key TEXT, country_key TEXT, state_key TEXT, city_key TEXT);
            DELETE FROM temp.segment_groups;
            """)
        let insert = try database.prepare("INSERT INTO temp.segment_groups VALUES (?, ?, ?, ?, ?)")
        for group in groups { try insert.bind(group.values).run() }
        let claimed = exclusive ? "WHERE NOT EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = l.lead_id AND c.client_id <> ?)" : ""
        let statement = try database.prepare(
            """
            SELECT g.id, coalesce(l.title, ''), coalesce(l.seniority, ''), COUNT(*)
            FROM temp.segment_groups g JOIN leads l INDEXED BY leads_by_fit
                ON l.industry_key = g.industry_key AND l.country_key = g.country_key AND l.state_key = g.state_key
                AND l.city_key = g.city_key
            \(claimed)
            GROUP BY 1, 2, 3
            """)
        if exclusive { statement.bind(.text(client)) }
        // Titles repeat across groups: each title and seniority is matched against the segments once.
        var titleFits: [String: [Bool]] = [:]
        try statement.forEachRow { row in
            let title = row.text(1) ?? "", seniority = row.text(2) ?? ""
            let key = title + "\u{0}" + seniority
            let takes = titleFits[key] ?? fits.map { $0.takes(title: title, seniority: seniority) }
            titleFits[key] = takes
            let count = Int(row.int(3))
            for index in groups[Int(row.int(0))].fits where takes[index] { totals[index] += count }
        }
        return totals
    }
}
