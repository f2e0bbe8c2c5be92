import Foundation
import OnboardEngine

/// A reviewer's partial ICP: the fields it names replace whole fields. Each value is checked the
/// way icp.json is shaped, and a problem names its field. `als_weights` is the client's own
/// weights for some of the lead score's factors (WeightOverride), not an ICP field: it travels
/// beside the ICP into confirm/icp.json and the client record.
struct ICPEdit {
    struct Problem: Error, CustomStringConvertible {
        let field: String
        let message: String
        var description: String { "\(field): \(message)" }
    }

    static let singleFields = ["company_description", "value_proposition"]
    static let weightsField = "als_weights"

    /// Normalised edits (every item in full item form), or the first problem. With
    /// `pipelineWeights`, weights that would leave every factor of the score at 0 are refused.
    /// With `weightsMayBeCleared`, `"als_weights": null` stands for "the client has no weights of
    /// its own" (a client-level change; a job's confirmation cannot say it).
    static func validate(
        _ value: JSONValue, pipelineWeights: LeadWeights? = nil, weightsMayBeCleared: Bool = false
    ) throws(Problem) -> [String: JSONValue] {
        guard let members = value.objectValue else {
            throw Problem(field: "$", message: "must be an object of ICP fields, not \(value.typeName)")
        }
        var edits: [String: JSONValue] = [:]
        for key in members.keys.sorted() {
            let field = members[key]!
            if key == weightsField, weightsMayBeCleared, field == .null {
                edits[key] = .null
            } else if key == weightsField {
                let override: WeightOverride
                do { override = try WeightOverride(field) } catch {
                    throw Problem(field: error.factor.isEmpty ? key : "\(key).\(error.factor)", message: error.message)
                }
                if let pipelineWeights, pipelineWeights.overridden(by: override).allZero {
                    throw Problem(
                        field: key,
                        message: "with pipeline.json's settings.als_weights every factor would weigh 0; give at least one factor a weight above 0")
                }
                edits[key] = override.json
            } else if singleFields.contains(key) {
                edits[key] = try item(field, path: key)
            } else if ICPDocument.listFields.contains(key) {
                guard let items = field.arrayValue else { throw Problem(field: key, message: "must be a list, not \(field.typeName)") }
                var normalised: [JSONValue] = []
                for (index, entry) in items.enumerated() { normalised.append(try item(entry, path: "\(key)[\(index)]")) }
                edits[key] = .array(normalised)
            } else {
                let allowed = (singleFields + ICPDocument.listFields + [weightsField]).joined(separator: ", ")
                throw Problem(field: key, message: "is not an ICP field (fields: \(allowed))")
            }
        }
        return edits
    }

    /// A plain string is a reviewer's own value: full confidence, no quote.
    private static func item(_ value: JSONValue, path: String) throws(Problem) -> JSONValue {
        if let text = value.stringValue {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw Problem(field: path, message: "must not be empty") }
            return .object(["value": .string(trimmed), "confidence": 100, "evidence": []])
        }
        guard let members = value.objectValue else {
            throw Problem(field: path, message: "must be a string or an item {value, confidence, evidence}, not \(value.typeName)")
        }
        for key in members.keys.sorted() where !["value", "confidence", "evidence"].contains(key) {
            throw Problem(field: "\(path).\(key)", message: "unknown key (an item has value, confidence, evidence)")
        }
        guard let text = members["value"]?.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(field: "\(path).value", message: "must be a non-empty string")
        }
        let confidence = members["confidence"] ?? 100
        guard let number = confidence.intValue, (0...100).contains(number) else {
            throw Problem(field: "\(path).confidence", message: "must be a whole number from 0 to 100")
        }
        let evidence = members["evidence"] ?? []
        guard let entries = evidence.arrayValue else { throw Problem(field: "\(path).evidence", message: "must be a list") }
        for (index, entry) in entries.enumerated() {
            guard entry["url"]?.stringValue != nil, entry["quote"]?.stringValue != nil else {
                throw Problem(field: "\(path).evidence[\(index)]", message: "must have a url and a quote")
            }
        }
        return .object(["value": .string(text), "confidence": .int(number), "evidence": evidence])
    }
}
