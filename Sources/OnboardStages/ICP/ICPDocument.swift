import Foundation

/// Where an ICP item comes from: a page and the words on it.
struct Evidence: Codable, Sendable, Hashable {
    var url: String
    /// Verbatim (whitespace collapsed) from what parse/site.json records for that page.
    var quote: String
    /// The value was reasoned from this quote rather than read in it.
    var inferred: Bool
}

/// One value of the ICP with its confidence (0–100) and evidence.
struct ICPItem: Codable, Sendable, Equatable {
    var value: String
    var confidence: Int
    var evidence: [Evidence]
}

/// `icp/icp.json` (and the enriched and confirmed ICPs that share its shape).
struct ICPDocument: Codable, Sendable, Equatable {
    var companyDescription: ICPItem?
    var valueProposition: ICPItem?
    var servicesOffered: [ICPItem]
    var icpIndustries: [ICPItem]
    var icpTitles: [ICPItem]
    var icpCompanySizes: [ICPItem]
    var icpLocations: [ICPItem]
    var icpPainPoints: [ICPItem]

    enum CodingKeys: String, CodingKey {
        case companyDescription = "company_description"
        case valueProposition = "value_proposition"
        case servicesOffered = "services_offered"
        case icpIndustries = "icp_industries"
        case icpTitles = "icp_titles"
        case icpCompanySizes = "icp_company_sizes"
        case icpLocations = "icp_locations"
        case icpPainPoints = "icp_pain_points"
    }

    static let listFields = [
        "services_offered", "icp_industries", "icp_titles", "icp_company_sizes", "icp_locations", "icp_pain_points",
    ]
}
