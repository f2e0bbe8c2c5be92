import ArgumentParser
import Foundation
import OnboardEngine

extension Onboard {
    struct Rerun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one stage of a job again, even if it is up to date; its previous outputs go to history/.",
            discussion: """
                Downstream stages become stale only if the rerun changed the stage's outputs; --downstream reruns
                them too, regardless. Without --refetch, recorded pages and answers are replayed.
                """)

        @OptionGroup var tree: TreeOptions

        @Argument(help: "The job id.")
        var job: String

        @Argument(help: "The stage to run again.")
        var stage: String

        @Flag(name: .long, help: "Rerun every stage after it too.")
        var downstream = false

        @Flag(name: .long, help: "Fetch pages and answers again instead of replaying the recorded ones.")
        var refetch = false

        func run() async throws {
            let code = try await runReportingErrors {
                let result = try await tree.engine().rerun(job: job, stage: stage, downstream: downstream, refetch: refetch)
                return result.failedJobs.isEmpty ? .success : ExitCode(1)
            }
            throw code
        }
    }
}
