/// Words that tell what a sentence or a section is about. They are matched as lowercase
/// substrings: coarse on purpose, each one only raises or lowers the weight of a match.
enum Cues {
    /// The sentence speaks of the company's customers.
    static let audience = [
        "we serve", "serving", "we work with", "work with", "working with", "we help", "helping", "help ", "built for",
        "designed for", "made for", "tailored", "specializ", "specialis", "clients include", "our clients",
        "customers include", "our customers", "trusted by", "partner with", "partnering with", "dedicated to",
        "industries", "who we serve", "sectors", "focused on", "focus on", "exclusively", "only work with",
        "catering to", "caters to", "for businesses", "for companies", "for organizations", "for organisations",
        "solutions for", "services for", "support for", "ideal for", "perfect for", "clients in", "clients across",
        "for ", "empower", "enable", "we support", "supporting",
    ]
    /// A section heading announcing customers.
    static let audienceSection = [
        "industr", "who we serve", "who we help", "who we work with", "sectors", "markets", "our clients", "clients",
        "customers", "we serve", "we work with", "specialt", "who it's for", "who is it for", "built for", "ideal for",
        "perfect for", "who we are for", "partners",
    ]
    /// The sentence describes the company itself.
    static let selfDescription = ["we are a", "we're a", "as a leading", "our firm", "our agency", "our company", "our team of"]
    /// The sentence is about roles a recruiter fills or jobs on offer, not buyers.
    static let placement = [
        "we place", "placed", "placing", "we recruit", "recruiting for", "hire ", "hiring", "candidate", "positions",
        "roles", "role ", "salary", "salaries", "job ", "jobs", "career", "vacanc", "openings", "talent for",
    ]
    /// The sentence names the company's own people.
    static let ownStaff = ["our ceo", "our founder", "founded by", "meet ", "our team", "co-founder of", "founder of", "years of experience as", "served as", "worked as"]
    /// The sentence says where the company works.
    static let location = [
        "serving", "serve", "across", "throughout", "based in", "located in", "headquartered", "offices in",
        "clients in", "customers in", "nationwide", "service area", "areas we", "we cover", "covering", "operate in",
        "operating in", "available in", "in the", "around", "all over", "in and around", "surrounding", "region",
        "locally", "local", "from ", "in ",
    ]
    static let locationSection = ["service area", "areas", "locations", "where we", "region", "coverage", "cities", "counties", "we serve"]
    /// A section listing what the company offers.
    static let serviceSection = [
        "service", "what we do", "solution", "offer", "capabilit", "product", "how we help", "we provide", "expertise",
        "specialt", "practice area", "what we can do", "our work", "features", "platform", "programs", "packages",
    ]
    /// The sentence names a problem.
    static let pain = [
        "struggl", "tired of", "frustrat", "challeng", "problem", "pain", "costly", "waste", "downtime", "missed",
        "losing", "lost ", "no more", "worry", "headache", "hassle", "delays", "delayed", "late ", "unpredictable",
        "empty", "falling behind", "overwhelm", "can't", "cannot", "don't have time", "expensive", "rising",
        "bottleneck", "risk", "inefficien", "manual ", "error", "churn", "burnout", "shortage", "gap",
    ]
    static let painSection = ["sound familiar", "challenge", "problem", "pain", "struggl", "why ", "the cost of", "what's holding"]

    static func any(_ list: [String], in text: String) -> Bool { list.contains { text.contains($0) } }
}
