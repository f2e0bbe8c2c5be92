import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension PoolKind: ExpressibleByArgument {}

extension Onboard {
    struct Pool: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The pool of email domains and phone numbers that allocate gives out.",
            subcommands: [Import.self, Status.self, Release.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import a pool file (upsert by domain or number); one bad row and nothing of the file is imported.",
                discussion: """
                    domains: domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted
                    phones:  number,country,status,health_score
                    status is available, warming, in_use or retired. Rows of resources a client holds are reported, not applied.
                    """)
            @OptionGroup var tree: TreeOptions
            @Argument(help: "The CSV file.") var file: String
            @Option(name: .long, help: "domains or phones.") var kind: PoolKind
            @Flag(name: .long, help: "Print what was imported as JSON.") var json = false

            func run() async throws {
                let code = try await runReportingErrors {
                    let engine = tree.engine()
                    do {
                        let report = try ResourcePool.importFile(
                            URL(fileURLWithPath: file), kind: kind, in: try engine.loadTree(), clock: engine.clock)
                        if json {
                            printJSON(report.json)
                        } else {
                            print("\(file): \(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged \(kind.rawValue)")
                        }
                        for held in report.held {
                            FileHandle.standardError.write(Data("line \(held.line): \(held.resource) is held by client \(held.client): not changed\n".utf8))
                        }
                        return .success
                    } catch let refusal as ResourcePool.Refusal {
                        FileHandle.standardError.write(Data("onboard pool import: \(refusal)\n".utf8))
                        return ExitCode(1)
                    }
                }
                throw code
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Counts by status, what can be allocated, the buffer of each kind, and alerts.")
            @OptionGroup var tree: TreeOptions
            @Flag(name: .long, help: "Print JSON.") var json = false

            func run() async throws {
                let code = try await runReportingErrors {
                    let status = try ResourcePool.status(in: try tree.engine().loadTree())
                    if json {
                        printJSON(status)
                        return .success
                    }
                    for kind in PoolKind.allCases {
                        let level = status[kind.rawValue]
                        let counts = ["available", "warming", "in_use", "retired", "allocatable"]
                            .map { "\($0) \(level?[$0]?.intValue ?? 0)" }.joined(separator: ", ")
                        print("\(kind.rawValue): \(counts), buffer \(Self.percent(level?["buffer"]))")
                    }
                    for alert in status["alerts"]?.arrayValue ?? [] {
                        print("alert: \(alert["kind"]?.stringValue ?? "") buffer \(Self.percent(alert["buffer"])) is below \(Self.percent(alert["threshold"]))")
                    }
                    return .success
                }
                throw code
            }

            static func percent(_ value: JSONValue?) -> String {
                String(format: "%.0f %%", (value?.doubleValue ?? 0) * 100)
            }
        }

        struct Release: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Return every resource a client holds to the pool (as warming: they rest before another client gets them).")
            @OptionGroup var tree: TreeOptions
            @Argument(help: "The client id.") var client: String

            func run() async throws {
                let code = try await runReportingErrors {
                    let engine = tree.engine()
                    let released = try ResourcePool.release(client: client, in: try engine.loadTree(), clock: engine.clock)
                    if released.domains.isEmpty && released.phones.isEmpty {
                        print("client \(client) holds nothing")
                    } else {
                        print("released \(PoolKind.domains.counted(released.domains.count)) and \(PoolKind.phones.counted(released.phones.count)) of \(client): \((released.domains + released.phones).joined(separator: ", "))")
                    }
                    return .success
                }
                throw code
            }
        }
    }
}
