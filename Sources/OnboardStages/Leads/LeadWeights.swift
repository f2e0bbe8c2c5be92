import Foundation
import OnboardEngine

/// The factors of a lead's score (ALS) and their weights: `settings.als_weights` of pipeline.json,
/// with any factor a client names replaced by the client's own weight.
struct LeadWeights: Sendable, Equatable {
    static let factors = ["industry", "title", "size", "location", "email_status", "completeness"]
    static let defaults: [String: Double] = [
        "industry": 25, "title": 25, "size": 20, "location": 15, "email_status": 10, "completeness": 5,
    ]

    let weights: [String: Double]

    /// pipeline.json's `settings.als_weights`.
    init(pipeline document: JSONValue) {
        self.init(settings: document.value(at: "settings.als_weights"))
    }

    init(settings: JSONValue?) {
        var weights = Self.defaults
        for (key, value) in settings?.objectValue ?? [:] {
            if let number = value.doubleValue, Self.factors.contains(key) { weights[key] = max(0, number) }
        }
        self.weights = weights
    }

    private init(weights: [String: Double]) { self.weights = weights }

    /// These weights with each factor the override names replaced, the others kept.
    func overridden(by override: WeightOverride?) -> LeadWeights {
        guard let override else { return self }
        return LeadWeights(weights: weights.merging(override.weights) { _, client in client })
    }

    /// A score needs at least one factor that counts.
    var allZero: Bool { Self.factors.allSatisfy { (weights[$0] ?? 0) <= 0 } }

    var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: Self.factors.map { ($0, WeightOverride.number(weights[$0] ?? 0)) }))
    }
}

/// A client's own weights for some or all of the score's factors (`als_weights` of a reviewer's
/// edit, of `confirm/icp.json` and of the client record): each a number from 0 to 100.
struct WeightOverride: Sendable, Equatable {
    struct Problem: Error, CustomStringConvertible {
        /// The factor at fault, or "" when the value as a whole is.
        let factor: String
        let message: String
        /// The problem under `path` ("als_weights.titel: unknown factor ...").
        func described(at path: String) -> String { "\(factor.isEmpty ? path : "\(path).\(factor)"): \(message)" }
        var description: String { described(at: "als_weights") }
    }

    let weights: [String: Double]

    /// The override as it is written: the factors it names, numbers as given.
    var json: JSONValue { .object(weights.mapValues(Self.number)) }

    init(_ value: JSONValue) throws(Problem) {
        let factors = LeadWeights.factors.joined(separator: ", ")
        guard let members = value.objectValue else {
            throw Problem(factor: "", message: "must be an object of factor weights (factors: \(factors)), not \(value.typeName)")
        }
        guard !members.isEmpty else { throw Problem(factor: "", message: "must name at least one factor (factors: \(factors))") }
        var weights: [String: Double] = [:]
        for key in members.keys.sorted() {
            guard LeadWeights.factors.contains(key) else { throw Problem(factor: key, message: "unknown factor (factors: \(factors))") }
            guard let number = members[key]?.doubleValue, number.isFinite, (0...100).contains(number) else {
                throw Problem(factor: key, message: "must be a number from 0 to 100, not \(Self.shown(members[key]!))")
            }
            weights[key] = number
        }
        self.weights = weights
    }

    /// A whole weight stays an integer in JSON, so `40` is written back as `40`, not `40.0`.
    static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int64(value)) : .double(value)
    }

    private static func shown(_ value: JSONValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        default: return value.typeName
        }
    }
}
