import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("answers recorded as they arrive, one series per refetch")
struct AnswerRecordingTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("onboard-recording-\(UUID().uuidString)/leads")
    }

    static let page: JSONValue = ["endpoint": "mixed_people/api_search", "body": ["page": 1]]
    static let answer: JSONValue = ["total_entries": 1, "people": [["id": "p1"]]]

    @Test func anAnswerIsReadBackByItsRequestAndSurvivesANewAttempt() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let first = try AnswerRecording(folder: folder, refetch: false)
        #expect(first.answer(for: Self.page) == nil)
        try first.record(Self.answer, for: Self.page)
        let next = try AnswerRecording(folder: folder, refetch: false)
        #expect(next.answer(for: Self.page) == Self.answer)
        #expect(next.answer(for: ["endpoint": "mixed_people/api_search", "body": ["page": 2]]) == nil)
        #expect(next.count == 1)
        #expect(!next.refetching)
    }

    @Test func aRefetchBeginsANewSeriesWhichLaterAttemptsResume() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try AnswerRecording(folder: folder, refetch: false).record(Self.answer, for: Self.page)
        let refetch = try AnswerRecording(folder: folder, refetch: true)
        #expect(refetch.refetching)
        #expect(refetch.answer(for: Self.page) == nil, "a refetch asks again for what the older series holds")
        try refetch.record(["total_entries": 0, "people": []], for: Self.page)
        for again in [false, true] {
            let resumed = try AnswerRecording(folder: folder, refetch: again)
            #expect(resumed.refetching, "still the refetch's series, so the old committed answers stay unused")
            #expect(resumed.answer(for: Self.page)?["total_entries"] == 0)
        }
    }

    @Test func aDamagedOrForeignFileIsAskedAgainAndAKilledWritersLeftoverIsSwept() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let recording = try AnswerRecording(folder: folder, refetch: false)
        try recording.record(Self.answer, for: Self.page)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "series.json" }
        let file = folder.appendingPathComponent(try #require(files.first))
        try Data("{\"request\": ".utf8).write(to: file)
        #expect(recording.answer(for: Self.page) == nil, "a truncated file is no answer")
        // Another request's entry under this name (a hash prefix clash) is not taken for this one.
        try CanonicalJSON.data(["request": ["endpoint": "other"], "answer": Self.answer] as JSONValue).write(to: file)
        #expect(recording.answer(for: Self.page) == nil)
        let leftover = folder.appendingPathComponent(AtomicFile.temporaryMarker + "1-2-x.json")
        try Data("half".utf8).write(to: leftover)
        _ = try AnswerRecording(folder: folder, refetch: false)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        // An unreadable series marker starts a clean series rather than trusting what is there.
        try Data("not json".utf8).write(to: folder.appendingPathComponent("series.json"))
        #expect(try AnswerRecording(folder: folder, refetch: false).count == 0)
    }
}
