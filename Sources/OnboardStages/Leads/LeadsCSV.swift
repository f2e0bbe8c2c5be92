import Foundation

/// `leads/leads.csv`: `lead_id,score,score_reasons`, then Apollo's columns under Apollo's names,
/// then every other column the sourced leads were imported with, in the order first met.
enum LeadsCSV {
    static func render(_ leads: [LeadCandidate], rows: [Int64: LeadRow]) -> Data {
        var extraNames: [String] = []
        var known: Set<String> = []
        for lead in leads {
            for (name, _) in rows[lead.rowID]?.extra ?? [] where known.insert(name).inserted { extraNames.append(name) }
        }
        var out = ""
        let header = ["lead_id", "score", "score_reasons"] + ApolloColumn.allCases.map(\.header) + extraNames
        out += header.map(escape).joined(separator: ",") + "\n"
        for lead in leads {
            guard let row = rows[lead.rowID] else { continue }
            var extra: [String: String] = [:]
            for (name, value) in row.extra where extra[name] == nil { extra[name] = value }
            let fields = [lead.leadID, String(lead.score), lead.reasons.map(\.text).joined(separator: "; ")] + row.values
                + extraNames.map { extra[$0] ?? "" }
            out += fields.map(escape).joined(separator: ",") + "\n"
        }
        return Data(out.utf8)
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
