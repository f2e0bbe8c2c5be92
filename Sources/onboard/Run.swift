import ArgumentParser
import Foundation
import OnboardEngine

extension Onboard {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the inbox and advance every job as far as its inputs allow, in one pass.")

        @OptionGroup var tree: TreeOptions

        @Option(name: .long, help: ArgumentHelp("Only this job.", valueName: "id"))
        var job: String?

        @Option(name: .long, help: "How many jobs to work on at once.")
        var jobs: Int = 1

        @Flag(name: .long, help: "Print what would run and why; change nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Print problems only.")
        var quiet = false

        func validate() throws {
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 256") }
        }

        func run() async throws {
            let code = try await runReportingErrors {
                let result = try await tree.engine(quiet: quiet).run(job: job, workers: jobs, dryRun: dryRun)
                if !quiet && !dryRun {
                    FileHandle.standardError.write(Data(PassSummary.line(result).utf8))
                }
                return result.failedJobs.isEmpty && result.rejected.isEmpty ? .success : ExitCode(1)
            }
            throw code
        }
    }
}

enum PassSummary {
    static func line(_ result: PassResult) -> String {
        var parts: [String] = []
        if !result.created.isEmpty { parts.append("\(result.created.count) new job\(result.created.count == 1 ? "" : "s")") }
        if !result.rejected.isEmpty { parts.append("\(result.rejected.count) request\(result.rejected.count == 1 ? "" : "s") rejected") }
        parts.append("\(result.stagesRun) stage\(result.stagesRun == 1 ? "" : "s") run")
        if !result.failedJobs.isEmpty { parts.append("\(result.failedJobs.count) job\(result.failedJobs.count == 1 ? "" : "s") failed") }
        if !result.busyJobs.isEmpty { parts.append("\(result.busyJobs.count) busy elsewhere") }
        if result.unchangedJobs > 0 { parts.append("\(result.unchangedJobs) unchanged") }
        return parts.joined(separator: ", ") + "\n"
    }
}
