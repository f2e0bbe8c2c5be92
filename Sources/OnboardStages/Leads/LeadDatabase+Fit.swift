import Foundation
import OnboardEngine

/// A group of leads of equal industry and place (the key of the fit index) that fits at least
/// one of the fits it was checked against.
struct FittingGroup: Sendable {
    struct Labels: Sendable {
        /// The ICP industry and location the group falls in ("" when the ICP names none).
        let industry: String
        let location: String
    }

    let industryKey: String
    let countryKey: String
    let stateKey: String
    let cityKey: String
    /// For each fit, in order, its labels when the group fits it, nil when it does not.
    let labels: [Labels?]
}

extension LeadDatabase {
    /// The one place fit is decided: every group of equal industry and place in the database (read
    /// from the fit index alone), its industry through the taxonomy (each industry once) and its
    /// place through the gazetteer, checked against every fit in one pass. A million leads cost a
    /// few thousand checks.
    func fittingGroups(_ fits: [LeadFit]) throws -> [FittingGroup] {
        var industries: [String: [String?]] = [:]
        var groups: [FittingGroup] = []
        try database.prepare("SELECT industry_key, country_key, state_key, city_key FROM leads GROUP BY 1, 2, 3, 4").forEachRow { row in
            let industryKey = row.text(0) ?? ""
            let industry = industries[industryKey] ?? fits.map { $0.industry(ofKey: industryKey) }
            industries[industryKey] = industry
            guard industry.contains(where: { $0 != nil }) else { return }
            let country = row.text(1) ?? "", state = row.text(2) ?? "", city = row.text(3) ?? ""
            let place = LeadPlace(city: city, state: state, country: country)
            let labels = fits.indices.map { index -> FittingGroup.Labels? in
                guard let named = industry[index], let location = fits[index].location(of: place) else { return nil }
                return FittingGroup.Labels(industry: named, location: location)
            }
            guard labels.contains(where: { $0 != nil }) else { return }
            groups.append(FittingGroup(industryKey: industryKey, countryKey: country, stateKey: state, cityKey: city, labels: labels))
        }
        return groups
    }

    /// Puts `groups` into `temp.fitting_groups`, each with its position as `id`, so a query can read
    /// only the rows of fitting groups: `FROM temp.fitting_groups g JOIN leads l ...` (`joinFittingGroups`).
    func stage(_ groups: [FittingGroup]) throws {
        try database.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS fitting_groups (
                id INTEGER PRIMARY KEY, industry_key TEXT, country_key TEXT, state_key TEXT, city_key TEXT);
            DELETE FROM temp.fitting_groups;
            """)
        let insert = try database.prepare("INSERT INTO temp.fitting_groups VALUES (?, ?, ?, ?, ?)")
        for (index, group) in groups.enumerated() {
            try insert.bind(.integer(Int64(index)), .text(group.industryKey), .text(group.countryKey), .text(group.stateKey), .text(group.cityKey))
                .run()
        }
    }

    static let joinFittingGroups = """
        temp.fitting_groups g JOIN leads l INDEXED BY leads_by_fit
            ON l.industry_key = g.industry_key AND l.country_key = g.country_key AND l.state_key = g.state_key
            AND l.city_key = g.city_key
        """

    /// For each fit, the leads that fit it and that `client` may still take: with `exclusive`,
    /// those no other client has claimed. A segment's fit also asks for its titles (LeadFit.takes),
    /// so the rows of fitting groups are then counted by title and seniority, each pair matched once.
    func countAvailable(_ fits: [LeadFit], client: String, exclusive: Bool) throws -> [Int] {
        var totals = Array(repeating: 0, count: fits.count)
        let groups = try fittingGroups(fits)
        guard !groups.isEmpty else { return totals }
        try stage(groups)
        let byTitle = fits.contains { $0.segmentTitles != nil }
        let claimed = exclusive ? "WHERE NOT EXISTS (SELECT 1 FROM lead_claims c WHERE c.lead_id = l.lead_id AND c.client_id <> ?)" : ""
        let statement = try database.prepare(
            """
            SELECT g.id, \(byTitle ? "coalesce(l.title, ''), coalesce(l.seniority, '')" : "'', ''"), COUNT(*)
            FROM \(Self.joinFittingGroups)
            \(claimed)
            GROUP BY 1\(byTitle ? ", 2, 3" : "")
            """)
        if exclusive { statement.bind(.text(client)) }
        var titleFits: [String: [Bool]] = [:]
        try statement.forEachRow { row in
            let title = row.text(1) ?? "", seniority = row.text(2) ?? ""
            let key = title + "\u{0}" + seniority
            let takes = titleFits[key] ?? fits.map { $0.takes(title: title, seniority: seniority) }
            titleFits[key] = takes
            let group = groups[Int(row.int(0))]
            let count = Int(row.int(3))
            for index in fits.indices where takes[index] && group.labels[index] != nil { totals[index] += count }
        }
        return totals
    }
}
