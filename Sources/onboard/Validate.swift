import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension Onboard {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check pipeline.json: every key, the stage graph, and the secrets configured providers need.")

        @OptionGroup var tree: TreeOptions

        @Flag(name: .long, help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            let code = try await runReportingErrors {
                let profile = OnboardingProfile()
                let file = Tree.pipelineFile(in: tree.rootURL)
                var problems: [ConfigProblem] = []
                var stageCount = 0
                do {
                    let pipeline = try PipelineLoader(profile: profile).load(fileAt: file)
                    stageCount = pipeline.order.count
                    problems = profile.missingSecrets(pipeline, environment: ProcessInfo.processInfo.environment)
                } catch let error as PipelineError {
                    problems = error.problems
                    if problems.isEmpty { throw error }
                }
                if json {
                    printJSON(.object([
                        "file": .string(file.path), "valid": .bool(problems.isEmpty),
                        "problems": .array(problems.map { .object(["path": .string($0.path), "message": .string($0.message)]) }),
                    ]))
                } else if problems.isEmpty {
                    print("\(file.path): valid (\(stageCount) stages)")
                } else {
                    for problem in problems { FileHandle.standardError.write(Data("\(file.path): \(problem)\n".utf8)) }
                }
                return problems.isEmpty ? .success : ExitCode(2)
            }
            throw code
        }
    }
}
