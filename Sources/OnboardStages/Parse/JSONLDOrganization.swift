import Foundation
import OnboardEngine
import OnboardWeb

/// The organisation a site describes about itself in JSON-LD: Organization, LocalBusiness or one
/// of their many subtypes (Dentist, ProfessionalService, ...), found at the top level, in arrays
/// and in `@graph`.
enum JSONLDOrganization {
    static let types: Set<String> = [
        "organization", "localbusiness", "corporation", "professionalservice", "dentist", "medicalbusiness",
        "medicalclinic", "physician", "legalservice", "attorney", "accountingservice", "financialservice",
        "insuranceagency", "realestateagent", "homeandconstructionbusiness", "generalcontractor", "plumber",
        "electrician", "hvacbusiness", "roofingcontractor", "housepainter", "locksmith", "movingcompany",
        "autorepair", "store", "restaurant", "educationalorganization", "ngo", "employmentagency",
        "marketingagency", "travelagency", "lodgingbusiness", "healthandbeautybusiness", "sportsorganization",
        "onlinebusiness", "softwareapplication", "webapplication", "cleaningservice", "landscaping",
    ]

    static func find(in scripts: [String]) -> Organization? {
        var found: [Organization] = []
        for script in scripts {
            guard let value = try? JSONValue.parse(Data(script.utf8)) else { continue }
            collect(value, into: &found)
        }
        guard var best = found.first else { return nil }
        for other in found.dropFirst() {
            best.name = best.name ?? other.name
            best.url = best.url ?? other.url
            best.description = best.description ?? other.description
            best.address = best.address ?? other.address
            best.country = best.country ?? other.country
            best.telephone = best.telephone ?? other.telephone
            best.areaServed = Array(Set(best.areaServed + other.areaServed)).sorted()
            best.sameAs = Array(Set(best.sameAs + other.sameAs)).sorted()
            best.aggregateRating = best.aggregateRating ?? other.aggregateRating
            best.types = Array(Set(best.types + other.types)).sorted()
        }
        return best
    }

    private static func collect(_ value: JSONValue, into found: inout [Organization]) {
        switch value {
        case .array(let items): items.forEach { collect($0, into: &found) }
        case .object(let members):
            if let graph = members["@graph"] { collect(graph, into: &found) }
            let typeNames = strings(members["@type"])
            if typeNames.contains(where: { types.contains($0.lowercased()) }) {
                found.append(organization(members, types: typeNames))
            }
        default: break
        }
    }

    private static func organization(_ members: [String: JSONValue], types: [String]) -> Organization {
        let (address, country) = postalAddress(members["address"])
        var rating: Organization.Rating?
        if let aggregate = members["aggregateRating"]?.objectValue {
            rating = Organization.Rating(
                ratingValue: aggregate["ratingValue"]?.doubleValue ?? aggregate["ratingValue"]?.stringValue.flatMap(Double.init),
                reviewCount: (aggregate["reviewCount"]?.intValue ?? aggregate["ratingCount"]?.intValue).map(Int.init)
                    ?? aggregate["reviewCount"]?.stringValue.flatMap { Int($0) })
        }
        return Organization(
            types: types.sorted(),
            name: text(members["name"]), url: text(members["url"]), description: text(members["description"]),
            address: address, country: country, telephone: text(members["telephone"]),
            areaServed: places(members["areaServed"]).sorted(), sameAs: strings(members["sameAs"]).sorted(),
            aggregateRating: rating)
    }

    static func text(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        let collapsed = TextNormaliser.collapse(text)
        return collapsed.isEmpty ? nil : collapsed
    }

    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .array(let items)?: return items.compactMap(\.stringValue)
        default: return []
        }
    }

    /// areaServed is a name, a list of names, or Place/City/State/Country objects with a name.
    static func places(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [TextNormaliser.collapse(text)]
        case .array(let items)?: return items.flatMap { places($0) }
        case .object(let members)?: return text(members["name"]).map { [$0] } ?? []
        default: return []
        }
    }

    /// "12 Harbour St, Sydney NSW 2000, AU" from a PostalAddress, and its country.
    static func postalAddress(_ value: JSONValue?) -> (String?, String?) {
        switch value {
        case .string(let text)?: return (TextNormaliser.collapse(text), nil)
        case .array(let items)?: return items.first.map { postalAddress($0) } ?? (nil, nil)
        case .object(let members)?:
            let country = text(members["addressCountry"]) ?? members["addressCountry"]?["name"].flatMap { text($0) }
            let locality = [text(members["addressLocality"]), text(members["addressRegion"]), text(members["postalCode"])]
                .compactMap { $0 }.joined(separator: " ")
            let parts = [text(members["streetAddress"]), locality.isEmpty ? nil : locality, country].compactMap { $0 }
            return (parts.isEmpty ? nil : parts.joined(separator: ", "), country)
        default: return (nil, nil)
        }
    }
}
