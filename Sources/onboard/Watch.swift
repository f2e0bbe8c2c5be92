import ArgumentParser
import Dispatch
import Foundation
import OnboardEngine

#if canImport(Glibc)
import Glibc
#endif

extension Onboard {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep reading the inbox and advancing jobs until SIGINT or SIGTERM.",
            discussion: """
                A new inbox file is read once its size and times have held still for one poll interval
                (settings.watch_poll_seconds); write NAME.json.part and rename it for an instant hand-over.
                On SIGINT or SIGTERM the stage in hand finishes and watch exits; a second signal stops at once.
                """)

        @OptionGroup var tree: TreeOptions

        @Option(name: .long, help: "How many jobs to work on at once.")
        var jobs: Int = 1

        @Flag(name: .long, help: "Print problems only.")
        var quiet = false

        func validate() throws {
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 256") }
        }

        func run() async throws {
            let engine = tree.engine(quiet: quiet)
            let sources = [Int32(SIGINT), Int32(SIGTERM)].map { (number: Int32) -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if engine.stop.current { Glibc.exit(128 + number) }
                    engine.stop.withValue { $0 = true }
                    engine.reporter.line("onboard watch: stopping after the stage in hand (signal again to stop now)")
                }
                source.resume()
                return source
            }
            defer { sources.forEach { $0.cancel() } }
            let quiet = quiet
            let code = try await runReportingErrors {
                try await engine.watch(workers: jobs) { result in
                    if !quiet && (result.stagesRun > 0 || !result.created.isEmpty || !result.rejected.isEmpty) {
                        FileHandle.standardError.write(Data(PassSummary.line(result).utf8))
                    }
                }
                return .success
            }
            throw code
        }
    }
}
