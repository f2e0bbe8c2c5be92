import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension ExportFormat: ExpressibleByArgument {}

extension Onboard {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a job's campaigns and assigned leads in a sequencing tool's import shape.",
            discussion: """
                csv: one row per assigned lead with its campaign and every step. instantly, smartlead, apollo: JSON in the
                shape of each tool's campaign, sequence and lead calls, with variables renamed to the tool's names and
                LinkedIn steps left out where the tool sends email only. The job must have reached the assign stage.
                """)

        @OptionGroup var tree: TreeOptions

        @Argument(help: "The job id.")
        var job: String

        @Option(name: .long, help: ArgumentHelp("csv, instantly, smartlead or apollo.", valueName: "format"))
        var format: ExportFormat

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        func run() async throws {
            let code = try await runReportingErrors {
                do {
                    let data = try CampaignExport.render(job: job, in: try tree.engine().loadTree(), format: format)
                    if let out {
                        try AtomicFile.write(data, to: URL(fileURLWithPath: out))
                    } else {
                        FileHandle.standardOutput.write(data)
                    }
                    return .success
                } catch let refusal as CampaignExport.Refusal {
                    FileHandle.standardError.write(Data("onboard export: \(refusal)\n".utf8))
                    return ExitCode(refusal.isUsage ? 2 : 1)
                }
            }
            throw code
        }
    }
}
