import Foundation

/// Job titles read through the title taxonomy: which buyer titles a title names, with their
/// function and seniority (Apollo's enum), so "Chief Executive Officer" and "CEO" meet.
enum LeadTitles {
    static func titles(in text: String, taxonomy: Taxonomy = .shared) -> [Taxonomy.Title] {
        let lower = text.lowercased()
        guard !lower.isEmpty else { return [] }
        return taxonomy.titles.filter { title in
            !Phrase(title.title).matches(in: lower).isEmpty || title.patterns.contains { !$0.matches(in: lower).isEmpty }
        }
    }

    /// Apollo's seniority enum (`owner, founder, c_suite, partner, vp, head, director, manager,
    /// senior, entry, intern`) from the ways exports write it ("C suite", "Vp", "C-Suite").
    static func seniority(_ text: String) -> String {
        var result: [UInt8] = []
        var pendingUnderscore = false
        for byte in text.utf8 {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) || lower >= 0x80 {
                if pendingUnderscore, !result.isEmpty { result.append(0x5F) }
                pendingUnderscore = false
                result.append(lower)
            } else {
                pendingUnderscore = true
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// How senior each enum value is, for partial credit between neighbours.
    static let rank: [String: Int] = [
        "owner": 7, "founder": 7, "c_suite": 7, "partner": 6, "vp": 5, "head": 4, "director": 4, "manager": 3,
        "senior": 2, "entry": 1, "intern": 0,
    ]
}
