import Foundation
import Testing

@testable import OnboardEngine

@Suite("stamp.json read back as the synthesized decoder reads it")
struct StampReadingTests {
    static let full = Stamp(
        stage: "leads", logicVersion: 2, inputs: ["confirm/icp.json": "aa", "intake/request.json": "bb"], settingsSHA256: "cc",
        dataSHA256: ["taxonomy": "dd"], outputs: ["leads/leads.csv": "ee"], sharedStateRead: ["claims": 3, "digest": "ff"],
        provider: "apollo", model: nil, tokens: 1200, costUSD: 0.25, startedAt: "2026-11-25T09:30:00Z",
        finishedAt: "2026-11-25T09:30:02Z", seconds: 2.5, warnings: ["short by 10"], toolVersion: "0.1.0")

    @Test func whatTheEngineWritesReadsBackTheSameBothWays() throws {
        var bare = Self.full
        bare.sharedStateRead = nil
        bare.provider = nil
        bare.tokens = nil
        bare.warnings = []
        for stamp in [Self.full, bare] {
            let data = try CanonicalJSON.data(stamp)
            #expect(Stamp.read(data) == stamp)
            #expect(try JSONDecoder().decode(Stamp.self, from: data) == stamp)
        }
    }

    @Test(arguments: ["stage", "logic_version", "inputs", "settings_sha256", "data_sha256", "outputs", "cost_usd", "started_at",
                      "finished_at", "seconds", "warnings", "tool_version"])
    func aStampWithoutARequiredFieldOrWithAWrongTypeIsNoStamp(_ key: String) throws {
        guard case .object(var fields) = try JSONValue.parse(try CanonicalJSON.data(Self.full)) else { return }
        fields[key] = nil
        #expect(Stamp.read(CanonicalJSON.data(.object(fields))) == nil)
        #expect((try? JSONDecoder().decode(Stamp.self, from: CanonicalJSON.data(.object(fields)))) == nil)
        fields[key] = .array([.bool(true)])
        #expect(Stamp.read(CanonicalJSON.data(.object(fields))) == nil)
        #expect((try? JSONDecoder().decode(Stamp.self, from: CanonicalJSON.data(.object(fields)))) == nil)
    }

    @Test func optionalFieldsOfTheWrongTypeAndTextThatIsNotJSONAreNoStamp() throws {
        guard case .object(var fields) = try JSONValue.parse(try CanonicalJSON.data(Self.full)) else { return }
        fields["tokens"] = "many"
        #expect(Stamp.read(CanonicalJSON.data(.object(fields))) == nil)
        #expect(Stamp.read(Data("{\"stage\": ".utf8)) == nil)
        #expect(Stamp.read(Data("[]".utf8)) == nil)
    }
}
