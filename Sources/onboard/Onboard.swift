import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

@main
struct Onboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onboard",
        abstract: "Onboards new clients of an outbound-sales agency: a file-driven pipeline from a website to campaigns and leads.",
        discussion: """
            Requests are JSON files in inbox/; every job gets a folder in outbox/ where each stage writes its artifacts.
            Every command works on the tree in the current directory, or on --root DIR, or on $ONBOARD_ROOT.
            Exit codes: 0 success (jobs waiting for a person included), 1 a job or stage failed or a request was
            rejected, 2 bad usage or an invalid pipeline.json.
            """,
        version: EngineVersion.tool,
        subcommands: [
            Init.self, Run.self, Watch.self, Status.self, Rerun.self, Confirm.self, ICP.self, Pool.self, Pay.self, Leads.self,
            Export.self, Report.self, Serve.self, Validate.self, Graph.self,
        ]
    )

    /// Parses and runs a command with the contract's exit codes: a usage error (an unknown
    /// command or option, a missing or invalid argument) exits 2, where argument-parser uses 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options every command shares.
struct TreeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The tree to work on (default: $ONBOARD_ROOT, else the current folder).", valueName: "dir"))
    var root: String?

    var rootURL: URL {
        let path = root ?? ProcessInfo.processInfo.environment["ONBOARD_ROOT"] ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    func engine(quiet: Bool = false) -> Engine {
        Engine(root: rootURL, profile: OnboardingProfile(), reporter: Reporter(quiet: quiet))
    }
}

/// Runs a command body, turning the errors a user can act on into a message and the contract's exit codes.
func runReportingErrors(_ body: () async throws -> ExitCode) async throws -> ExitCode {
    do {
        return try await body()
    } catch let error as PipelineError {
        FileHandle.standardError.write(Data("onboard: invalid pipeline.json\n\(error)\n".utf8))
        return ExitCode(2)
    } catch let error as EngineError {
        FileHandle.standardError.write(Data("onboard: \(error)\n".utf8))
        if case .busy = error { return ExitCode(1) }
        return ExitCode(2)
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("onboard: \(error)\n".utf8))
        return ExitCode(1)
    }
}

func printJSON(_ value: JSONValue) {
    FileHandle.standardOutput.write(CanonicalJSON.data(value))
}
