import Foundation
import Testing

@testable import OnboardEngine

@Suite("Reading JSON: RFC 8259, numbers as before, errors by line and column")
struct JSONReaderTests {
    static func read(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test(arguments: [
        ("1", JSONValue.int(1)), ("1.0", .int(1)), ("1e2", .int(100)), ("1E+2", .int(100)), ("-0", .int(0)), ("-0.0", .int(0)),
        ("0.1e1", .int(1)), ("1e-400", .int(0)), ("1.5", .double(1.5)), ("-2.25e-3", .double(-0.00225)),
        ("9223372036854775807", .int(9_223_372_036_854_775_807)), ("-9223372036854775808", .int(-9_223_372_036_854_775_808)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("12345678901234567890123", .double(1.2345678901234568e22)),
        (" true ", .bool(true)), ("false", .bool(false)), ("null", .null), ("[]", .array([])), ("{}", .object([:])),
        ("\u{FEFF}{\"a\": [1, \"x\", null]}", JSONValue.object(["a": .array([.int(1), .string("x"), .null])])),
        (#""\ud83d\ude00 \u00e9\/\\\"\b\f\n\r\t\u0000""#, .string("😀 é/\\\"\u{08}\u{0C}\n\r\t\u{00}")),
        ("\"grüße\"", .string("grüße")),
    ])
    func valuesReadAsFoundationsDecoderReadThem(_ text: String, _ expected: JSONValue) throws {
        #expect(try Self.read(text) == expected)
        // The decoder this reader replaced gives the same value wherever both accept the text.
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("[1,]", "line 1, column 3: a comma before ']'"),
        ("{\"a\":1,}", "line 1, column 7: a comma before '}'"),
        ("{\"a\": 1,\n \"a\": 2}", "line 2, column 2: the key \"a\" is given twice in one object"),
        ("01", "line 1, column 1: a number does not start with 0 unless it is 0"),
        ("1.", "line 1, column 1: a digit must follow the decimal point"),
        (".5", "line 1, column 1: expected a value"), ("+1", "line 1, column 1: expected a value"),
        ("-", "line 1, column 1: a number needs a digit after '-'"), ("1e", "line 1, column 1: a digit must follow the exponent"),
        ("1e400", "line 1, column 1: the number 1e400 is out of range"),
        ("nul", "line 1, column 1: expected a value"), ("NaN", "line 1, column 1: expected a value"),
        ("true false", "line 1, column 6: unexpected text after the document"),
        ("\"a\u{01}b\"", "line 1, column 3: a control character (0x1) inside a string must be escaped"),
        ("\"\\ud800\"", "line 1, column 2: a high surrogate \\ud800 without its low half"),
        ("\"\\udc00\"", "line 1, column 2: a low surrogate \\udc00 without its high half"),
        ("\"\\x\"", "line 1, column 2: unknown escape \\x"), ("\"\\u12\"", "line 1, column 2: a \\u escape needs four hex digits"),
        ("[\"é\", \"open", "line 1, column 7: the string is never closed"),
        ("", "line 1, column 1: the document ends where a value was expected"),
        ("{\"a\" 1}", "line 1, column 6: expected ':' after the key \"a\""), ("{1: 2}", "line 1, column 2: expected a key in double quotes"),
        ("[1 2]", "line 1, column 4: expected ',' or ']' in an array"), ("{\"a\": 1", "line 1, column 8: the document ends inside an object"),
    ])
    func whatTheRFCRefusesIsRefusedWithItsPlace(_ text: String, _ message: String) {
        #expect(throws: JSONReadError.self) { try Self.read(text) }
        do {
            _ = try Self.read(text)
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }

    @Test func aStringThatIsNotUTF8AndHostileNestingAreRefused() {
        #expect(throws: JSONReadError.self) { try JSONValue.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONReadError.self) { try Self.read(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? Self.read(fine)) != nil)
    }

    /// Every JSON file of the repository (pipeline.json, schemas, taxonomies, prompts, fixtures,
    /// golden files) reads to the value the replaced decoder gave.
    @Test func everyJSONFileOfTheRepositoryReadsAsBefore() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var checked = 0
        for folder in ["Sources", "Samples", "Tests", "pipeline.json"] {
            let base = root.appendingPathComponent(folder)
            var paths: [String] = []
            if folder.hasSuffix(".json") {
                paths = [base.path]
            } else if let walker = FileManager.default.enumerator(atPath: base.path) {
                while let name = walker.nextObject() as? String {
                    if name.hasSuffix(".json") { paths.append(base.appendingPathComponent(name).path) }
                }
            }
            for path in paths {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                guard let before = try? JSONDecoder().decode(JSONValue.self, from: data) else { continue }
                #expect(try JSONValue.parse(data) == before, "\(path)")
                checked += 1
            }
        }
        #expect(checked >= 15, "the repository's JSON files were found (\(checked))")
    }

    /// Random documents (a fixed seed), written by JSONEncoder and by CanonicalJSON, read to the
    /// same value by this reader and by the replaced decoder.
    @Test func randomDocumentsReadAsTheReplacedDecoderReadsThem() throws {
        var generator = SeededGenerator(seed: 20261201)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            for data in [try JSONEncoder().encode(value), CanonicalJSON.data(value), CanonicalJSON.compact(value)] {
                let before = try JSONDecoder().decode(JSONValue.self, from: data)
                #expect(try JSONValue.parse(data) == before, "\(String(decoding: data, as: UTF8.self))")
            }
        }
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &generator))
        case 4, 5:
            let alphabet = Array("aé😀\\\"/\n\t\u{01}\u{7f} z,:{}[]")
            return .string(String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        case 6: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0...4, using: &generator) { members["k\(index)é"] = randomValue(depth: depth + 1, using: &generator) }
            return .object(members)
        }
    }
}

/// SplitMix64: the same documents on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
