import Foundation
import OnboardEngine

/// The one documented list of `{{variable}}` names a sequence step may use
/// (`Resources/templates/variables.json`), and the check that a text uses no other.
struct PersonalisationVariables: Sendable {
    struct Variable: Sendable, Equatable {
        let name: String
        /// The leads.csv (Apollo) column that fills it.
        let leadColumn: String
    }

    struct Unknown: Error, CustomStringConvertible, Equatable {
        let names: [String]
        let place: String
        let known: [String]

        var description: String {
            "\(place) uses unknown personalisation variable\(names.count == 1 ? "" : "s") "
                + names.map { "{{\($0)}}" }.joined(separator: ", ") + "; known: " + known.map { "{{\($0)}}" }.joined(separator: ", ")
        }
    }

    static let file = "templates/variables.json"
    static let shared: PersonalisationVariables = {
        let data = BundledData.data(file)
        guard let document = try? JSONValue.parse(data), let entries = document["variables"]?.arrayValue else {
            fatalError("the bundled \(file) is not a list of variables; reinstall onboard")
        }
        let variables = entries.compactMap { entry -> Variable? in
            guard let name = entry["name"]?.stringValue, let column = entry["lead_column"]?.stringValue else { return nil }
            return Variable(name: name, leadColumn: column)
        }
        return PersonalisationVariables(variables: variables, sha256: Digest.sha256(data))
    }()

    let variables: [Variable]
    let sha256: String

    var names: [String] { variables.map(\.name) }

    /// Every `{{name}}` in a text (spaces inside the braces allowed, as the tools allow them).
    static func used(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            found.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// Throws when `text` uses a variable not in the list; `place` names where the text is.
    func check(_ text: String, place: String) throws {
        let known = Set(names)
        var unknown: [String] = []
        for name in Self.used(in: text) where !known.contains(name) && !unknown.contains(name) { unknown.append(name) }
        if !unknown.isEmpty { throw Unknown(names: unknown, place: place, known: names) }
    }
}
