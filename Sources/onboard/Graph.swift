import ArgumentParser
import Foundation
import OnboardEngine

extension Onboard {
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the stage graph of pipeline.json as Graphviz DOT or Mermaid.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

        @OptionGroup var tree: TreeOptions

        @Option(name: .long, help: "dot or mermaid.")
        var format: Format = .dot

        func run() async throws {
            let code = try await runReportingErrors {
                let pipeline = try tree.engine().loadTree().pipeline
                print(format == .dot ? StageGraph.dot(pipeline) : StageGraph.mermaid(pipeline), terminator: "")
                return .success
            }
            throw code
        }
    }
}
