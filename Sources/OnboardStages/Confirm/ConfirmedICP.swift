import Foundation
import OnboardEngine

/// `confirm/icp.json` as the stages after `confirm` read it (the one reader: campaigns draft from
/// it, leads fit and score by it): item values in the order the reviewer left them,
/// best-supported first when confidences differ, and the client's `als_weights` when given.
struct ConfirmedICP: Sendable, Equatable {
    var industries: [String]
    var titles: [String]
    var services: [String]
    var painPoints: [String]
    var locations: [String]
    var companySizes: [String]
    var valueProposition: String?
    var companyDescription: String?
    /// The client's own lead-score weights, when the confirmation gave them.
    var alsWeights: WeightOverride?

    init(
        industries: [String], titles: [String], services: [String] = [], painPoints: [String] = [],
        locations: [String] = [], companySizes: [String] = [], valueProposition: String? = nil,
        companyDescription: String? = nil, alsWeights: WeightOverride? = nil
    ) {
        self.industries = industries
        self.titles = titles
        self.services = services
        self.painPoints = painPoints
        self.locations = locations
        self.companySizes = companySizes
        self.valueProposition = valueProposition
        self.companyDescription = companyDescription
        self.alsWeights = alsWeights
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ document: JSONValue, path: String = "confirm/icp.json") throws -> ConfirmedICP {
        guard document.objectValue != nil else { throw Problem(description: "\(path): not a JSON object") }
        func values(_ field: String) throws -> [String] {
            guard let raw = document[field], !raw.isNull else { return [] }
            guard let items = raw.arrayValue else { throw Problem(description: "\(path): \(field) must be a list of ICP items") }
            var seen = Set<String>()
            var ranked: [(value: String, confidence: Int64, index: Int)] = []
            for (index, item) in items.enumerated() {
                guard let value = (item["value"]?.stringValue ?? item.stringValue).map(DraftText.clean), !value.isEmpty else {
                    throw Problem(description: "\(path): \(field)[\(index)] has no value")
                }
                guard seen.insert(value.lowercased()).inserted else { continue }
                ranked.append((value, item["confidence"]?.intValue ?? 0, index))
            }
            return ranked.sorted { ($0.confidence, -$0.index) > ($1.confidence, -$1.index) }.map(\.value)
        }
        func single(_ field: String) -> String? {
            let value = (document[field]?["value"]?.stringValue ?? document[field]?.stringValue).map(DraftText.clean)
            return value?.isEmpty == false ? value : nil
        }
        var weights: WeightOverride?
        if let given = document[ICPEdit.weightsField], !given.isNull {
            do { weights = try WeightOverride(given) } catch { throw Problem(description: "\(path): \(error.description)") }
        }
        return ConfirmedICP(
            industries: try values("icp_industries"), titles: try values("icp_titles"), services: try values("services_offered"),
            painPoints: try values("icp_pain_points"), locations: try values("icp_locations"),
            companySizes: try values("icp_company_sizes"), valueProposition: single("value_proposition"),
            companyDescription: single("company_description"), alsWeights: weights)
    }

    /// Campaigns are cut by industries and buyer titles, so they need one of each.
    func checkSegmentable(path: String = "confirm/icp.json") throws {
        if industries.isEmpty || titles.isEmpty {
            throw Problem(description: "\(path): campaigns need at least one industry and one buyer title (icp_industries, icp_titles)")
        }
    }
}
