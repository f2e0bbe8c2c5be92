import Foundation
import Testing

@testable import OnboardEngine

@Suite("The job index: stat signatures decide whether a job needs a look")
struct JobIndexTests {
    @Test func anEntryMatchesTheDiskUntilAFileChangesAppearsOrGoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("one".utf8).write(to: folder.appendingPathComponent("a.txt"))

        let job = JobFolder(id: "job", url: folder)
        let files = JobFiles(folder: job, previous: [:])
        #expect(try files.sha256("a.txt") == Digest.sha256("one"))
        #expect(try files.sha256("missing.txt") == nil)
        let entry = JobIndexEntry(fingerprint: "f", settled: true, files: files.seen, summary: nil, failed: false)
        #expect(entry.matchesDisk(jobFolder: folder.path))
        #expect(entry.files["a.txt"]?.sha256 == Digest.sha256("one"), "the encoded form reads back")

        try Data("two".utf8).write(to: folder.appendingPathComponent("a.txt"))
        #expect(!entry.matchesDisk(jobFolder: folder.path), "a rewrite changes the signature")

        let again = JobFiles(folder: job, previous: [:])
        _ = try again.sha256("a.txt")
        _ = try again.sha256("missing.txt")
        let second = JobIndexEntry(fingerprint: "f", settled: true, files: again.seen, summary: nil, failed: false)
        try Data("new".utf8).write(to: folder.appendingPathComponent("missing.txt"))
        #expect(!second.matchesDisk(jobFolder: folder.path), "a file appearing where none was is noticed")
    }

    @Test func anUnchangedFileIsNotHashedAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("content".utf8).write(to: folder.appendingPathComponent("a.txt"))
        let signature = try #require(FileSignature.of(folder.appendingPathComponent("a.txt").path))
        // A remembered hash under the current signature is trusted (that is the point of the index)...
        let files = JobFiles(folder: JobFolder(id: "j", url: folder), previous: ["a.txt": .init(signature: signature.description, sha256: "remembered")])
        #expect(try files.sha256("a.txt") == "remembered")
        // ...and one under another signature is not.
        let stale = JobFiles(folder: JobFolder(id: "j", url: folder), previous: ["a.txt": .init(signature: "1:2:3:4", sha256: "remembered")])
        #expect(try stale.sha256("a.txt") == Digest.sha256("content"))
    }
}
