import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension Onboard {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a job's report.html (ICP with evidence, timeline, resources, campaigns, leads) and print its path.",
            discussion: "The page is built from the job's artifacts only; stages not run yet show as \"not yet\". It is one file that needs no network and no script.")

        @OptionGroup var tree: TreeOptions

        @Argument(help: "The job id.")
        var job: String

        func run() async throws {
            let code = try await runReportingErrors {
                let loaded = try tree.engine().loadTree()
                guard loaded.hasJob(job) else {
                    throw EngineError.unknownJob(job)
                }
                print(try ReportPage.write(job: loaded.job(job).url, stages: loaded.pipeline.order).path)
                return .success
            }
            throw code
        }
    }
}
