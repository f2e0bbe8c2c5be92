import Foundation

/// How many distinct people enriched so far fit the ICP, decided as the lead database decides it
/// (LeadFit on the folded industry and place; the company's place when the person has none), so
/// the Apollo source stops asking once the quota can be met. The same person under another id
/// (same email or LinkedIn URL) counts once, as sourcing would keep only one of them.
struct ApolloFitTally {
    let fit: LeadFit
    private(set) var fitting = 0
    private var emails: Set<String> = []
    private var linkedIns: Set<String> = []

    init(fit: LeadFit) { self.fit = fit }

    mutating func count(_ row: [String: String]) {
        guard fits(row) else { return }
        let email = LeadKeys.email(row["Email"] ?? "")
        let linkedIn = LeadKeys.linkedIn(row["Person Linkedin Url"] ?? "")
        if (!email.isEmpty && emails.contains(email)) || (!linkedIn.isEmpty && linkedIns.contains(linkedIn)) { return }
        if !email.isEmpty { emails.insert(email) }
        if !linkedIn.isEmpty { linkedIns.insert(linkedIn) }
        fitting += 1
    }

    func fits(_ row: [String: String]) -> Bool {
        guard fit.industry(ofKey: LeadKeys.fold(row["Industry"] ?? "")) != nil else { return false }
        let person = [row["City"], row["State"], row["Country"]].map { LeadKeys.fold($0 ?? "") }
        let company = [row["Company City"], row["Company State"], row["Company Country"]].map { LeadKeys.fold($0 ?? "") }
        let place = person.contains { !$0.isEmpty } ? person : company
        return fit.location(of: LeadPlace(city: place[0], state: place[1], country: place[2])) != nil
    }
}
