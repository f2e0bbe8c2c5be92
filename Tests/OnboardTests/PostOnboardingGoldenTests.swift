import Foundation
import OnboardEngine
import Testing

/// The deterministic artifacts of the post-onboarding stages and every export shape, compared
/// byte for byte with the files in `Fixtures/golden/post-onboarding/`. After a deliberate change,
/// re-record them with `ONBOARD_RECORD_GOLDEN=1 swift test --filter PostOnboardingGoldenTests`
/// and review the diff.
@Suite("post-onboarding golden files")
struct PostOnboardingGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden/post-onboarding", isDirectory: true)
    static let recording = ProcessInfo.processInfo.environment["ONBOARD_RECORD_GOLDEN"] == "1"

    @Test func artifactsAndExportsMatchTheGoldenFiles() throws {
        let job = "harbor-job"
        let tree = try PostOnboardingFixtures.tree(job: job)
        #expect(try tree.onboard(["run"]).status == 0)
        var produced: [(String, String)] = []
        for file in ["campaigns/suggestions.json", "campaigns/campaigns.json", "assign/assignments.csv", "assign/summary.json", "complete/summary.json"] {
            produced.append((file.replacingOccurrences(of: "/", with: "-"), try #require(tree.read("outbox/\(job)/\(file)"))))
        }
        for format in ["csv", "instantly", "smartlead", "apollo"] {
            let output = try tree.onboard(["export", job, "--format", format])
            #expect(output.status == 0, "\(output.stderr)")
            produced.append(("export.\(format)", output.stdout))
        }
        if Self.recording { try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true) }
        for (name, text) in produced {
            let golden = Self.folder.appendingPathComponent(name)
            if Self.recording {
                try Data(text.utf8).write(to: golden)
                continue
            }
            guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
                Issue.record("no golden file \(golden.path): record it with ONBOARD_RECORD_GOLDEN=1")
                continue
            }
            #expect(text == expected, "\(name) differs from \(golden.path); re-record with ONBOARD_RECORD_GOLDEN=1 if the change is meant")
        }
    }
}
