/// One problem in a configuration file, located by its JSON path (`$.stages[2].needs[0]`).
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Collects every problem of a document instead of stopping at the first, so a user fixes
/// them all in one edit. Each `expect…` returns the value when it is well-formed.
public struct ConfigChecker: Sendable {
    public private(set) var problems: [ConfigProblem] = []

    public init() {}

    public mutating func report(_ path: String, _ message: String) {
        problems.append(ConfigProblem(path: path, message: message))
    }

    /// An object whose keys must all be among `allowed`; unknown keys are reported by path.
    @discardableResult
    public mutating func expectObject(
        _ value: JSONValue?, at path: String, allowed: Set<String>, required: Set<String> = []
    ) -> [String: JSONValue]? {
        guard let value else {
            report(path, "is missing")
            return nil
        }
        guard let members = value.objectValue else {
            report(path, "must be an object, not \(value.typeName)")
            return nil
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            report(Self.child(path, key), "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        for key in required.sorted() where members[key] == nil {
            report(Self.child(path, key), "is missing")
        }
        return members
    }

    @discardableResult
    public mutating func expectBool(_ value: JSONValue?, at path: String) -> Bool? {
        guard let value else { report(path, "is missing"); return nil }
        guard let flag = value.boolValue else {
            report(path, "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    @discardableResult
    public mutating func expectInt(_ value: JSONValue?, at path: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let value else { report(path, "is missing"); return nil }
        guard let number = value.intValue else {
            report(path, "must be a whole number, not \(Self.describe(value))")
            return nil
        }
        guard range.contains(number) else {
            report(path, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    @discardableResult
    public mutating func expectNumber(_ value: JSONValue?, at path: String, in range: ClosedRange<Double>) -> Double? {
        guard let value else { report(path, "is missing"); return nil }
        guard let number = value.doubleValue, number.isFinite else {
            report(path, "must be a number, not \(Self.describe(value))")
            return nil
        }
        guard range.contains(number) else {
            report(
                path,
                "must be between \(CanonicalJSON.format(range.lowerBound)) and \(CanonicalJSON.format(range.upperBound)), not \(CanonicalJSON.format(number))"
            )
            return nil
        }
        return number
    }

    @discardableResult
    public mutating func expectString(
        _ value: JSONValue?, at path: String, nonEmpty: Bool = true, oneOf choices: [String]? = nil
    ) -> String? {
        guard let value else { report(path, "is missing"); return nil }
        guard let text = value.stringValue else {
            report(path, "must be a string, not \(value.typeName)")
            return nil
        }
        if nonEmpty, text.isEmpty {
            report(path, "must not be empty")
            return nil
        }
        if let choices, !choices.contains(text) {
            report(path, "must be one of \(choices.joined(separator: ", ")), not \"\(text)\"")
            return nil
        }
        return text
    }

    @discardableResult
    public mutating func expectStringArray(_ value: JSONValue?, at path: String) -> [String]? {
        guard let value else { report(path, "is missing"); return nil }
        guard let items = value.arrayValue else {
            report(path, "must be an array of strings, not \(value.typeName)")
            return nil
        }
        var strings: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let text = item.stringValue {
                strings.append(text)
            } else {
                report("\(path)[\(index)]", "must be a string, not \(item.typeName)")
                valid = false
            }
        }
        return valid ? strings : nil
    }

    public static func child(_ path: String, _ key: String) -> String {
        let plain = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !key.isEmpty
        return plain ? "\(path).\(key)" : "\(path)[\"\(key)\"]"
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .double(let number): return CanonicalJSON.format(number)
        case .string(let text): return "the string \"\(text)\""
        default: return value.typeName
        }
    }
}
