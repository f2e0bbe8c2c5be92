import Foundation
import Testing

@testable import OnboardEngine

@Suite("Canonical JSON: the same value always gives the same bytes")
struct CanonicalJSONTests {
    @Test func keysAreSortedAtEveryDepthWhateverTheInsertionOrder() throws {
        let first = try JSONValue.parse(Data(#"{"b": 1, "a": {"z": [3, {"y": 1, "x": 2}], "c": null}}"#.utf8))
        let second = try JSONValue.parse(Data(#"{"a": {"c": null, "z": [3, {"x": 2, "y": 1}]}, "b": 1}"#.utf8))
        #expect(CanonicalJSON.data(first) == CanonicalJSON.data(second))
        #expect(CanonicalJSON.compactString(first) == #"{"a":{"c":null,"z":[3,{"x":2,"y":1}]},"b":1}"#)
    }

    @Test func prettyFormIsTwoSpaceIndentedWithATrailingNewline() {
        let value: JSONValue = ["name": "intake", "needs": [], "size": 2]
        let text = String(decoding: CanonicalJSON.data(value), as: UTF8.self)
        #expect(text == "{\n  \"name\": \"intake\",\n  \"needs\": [],\n  \"size\": 2\n}\n")
    }

    @Test func stringsAreEscapedOnlyWhereJSONRequires() throws {
        let value: JSONValue = .string("a \"quote\", a \\ slash, a / solidus, é, a tab\t, a bell \u{07}")
        let text = CanonicalJSON.compactString(value)
        #expect(text == #""a \"quote\", a \\ slash, a / solidus, é, a tab\t, a bell \u0007""#)
        #expect(try JSONValue.parse(Data(text.utf8)) == value, "reads back as the same value")
    }

    @Test func numbersKeepTheirShortestForm() {
        #expect(CanonicalJSON.compactString([.double(1.5), .double(900), .int(-3), .double(0.1)]) == "[1.5,900,-3,0.1]")
    }
}
