import Foundation
import OnboardWeb

/// `parse/site.json`: what the site says, page by page and as a whole.
struct SiteRecord: Codable, Sendable {
    struct Page: Codable, Sendable {
        var url: String
        var title: String
        var description: String
        var lang: String?
        var openGraph: [String: String]
        var headings: [PageContent.Heading]
        var mainText: String
        var lists: [[String]]
        var links: [PageContent.Link]

        enum CodingKeys: String, CodingKey {
            case url, title, description, lang, headings, lists, links
            case openGraph = "open_graph"
            case mainText = "main_text"
        }
    }

    struct Profile: Codable, Sendable, Hashable {
        var network: String
        var url: String
    }

    struct Testimonial: Codable, Sendable, Hashable {
        var quote: String
        var name: String?
        var title: String?
        var company: String?
        /// The page it was read on.
        var url: String
    }

    var pages: [Page]
    var socialProfiles: [Profile]
    var emails: [String]
    var phones: [String]
    var addresses: [String]
    /// The site's JSON-LD Organization or LocalBusiness (name, url, description, address,
    /// telephone, area_served, same_as, aggregate_rating), null when it has none.
    var organization: Organization?
    var testimonials: [Testimonial]
    var proofPoints: [ProofPoint]

    enum CodingKeys: String, CodingKey {
        case pages, emails, phones, addresses, organization, testimonials
        case socialProfiles = "social_profiles"
        case proofPoints = "proof_points"
    }
}

struct ProofPoint: Codable, Sendable, Hashable {
    var text: String
    var url: String
}

struct Organization: Codable, Sendable, Equatable {
    var types: [String]
    var name: String?
    var url: String?
    var description: String?
    var address: String?
    var country: String?
    var telephone: String?
    var areaServed: [String]
    var sameAs: [String]
    var aggregateRating: Rating?

    struct Rating: Codable, Sendable, Equatable {
        var ratingValue: Double?
        var reviewCount: Int?

        enum CodingKeys: String, CodingKey {
            case ratingValue = "rating_value"
            case reviewCount = "review_count"
        }
    }

    enum CodingKeys: String, CodingKey {
        case types, name, url, description, address, country, telephone
        case areaServed = "area_served"
        case sameAs = "same_as"
        case aggregateRating = "aggregate_rating"
    }
}
