import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension Onboard {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new tree: the default pipeline.json, its JSON Schema, inbox/ and outbox/.")

        @OptionGroup var tree: TreeOptions

        func run() async throws {
            let code = try await runReportingErrors {
                let root = tree.rootURL
                let pipeline = Tree.pipelineFile(in: root)
                if FileManager.default.fileExists(atPath: pipeline.path) {
                    FileHandle.standardError.write(Data("onboard: \(pipeline.path) already exists; nothing changed\n".utf8))
                    return ExitCode(1)
                }
                try AtomicFile.write(BundledData.defaultPipeline, to: pipeline)
                try AtomicFile.write(BundledData.pipelineSchema, to: root.appendingPathComponent("pipeline.schema.json"))
                let engine = tree.engine()
                try engine.loadTree().createFolders()
                print("made a tree in \(root.path): pipeline.json, pipeline.schema.json, inbox/, outbox/, state/")
                return .success
            }
            throw code
        }
    }
}
