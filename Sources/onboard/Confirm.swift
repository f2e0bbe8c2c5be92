import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension Onboard {
    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm a job's ICP as a reviewer, with edits if needed (writes inputs/confirm.json).",
            discussion: """
                --edit takes a partial ICP whose fields replace whole fields; it is checked before anything is written. \
                Its als_weights (some of industry, title, size, location, email_status, completeness, each 0-100) \
                become the client's lead-score weights over pipeline.json's settings.als_weights.
                """)

        @OptionGroup var tree: TreeOptions

        @Argument(help: "The job id.")
        var job: String

        @Option(name: .long, help: ArgumentHelp("A JSON file of ICP fields to replace.", valueName: "file"))
        var edit: String?

        @Option(name: .long, help: ArgumentHelp("Who confirms.", valueName: "name"))
        var by: String = ProcessInfo.processInfo.environment["USER"] ?? "reviewer"

        func run() async throws {
            let code = try await runReportingErrors {
                let engine = tree.engine()
                do {
                    let written = try Confirmation.confirm(
                        job: job, in: try engine.loadTree(), editFile: edit.map { URL(fileURLWithPath: $0) }, by: by,
                        clock: engine.clock)
                    print("wrote \(written.path); `onboard run` applies it")
                    return .success
                } catch let refusal as Confirmation.Refusal {
                    FileHandle.standardError.write(Data("onboard confirm: \(refusal)\n".utf8))
                    return ExitCode(1)
                }
            }
            throw code
        }
    }

    struct ICP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "icp", abstract: "Read or replace a client's ICP record.", subcommands: [Get.self, Set.self])

        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a client's record: ICP, when extracted and confirmed.")
            @OptionGroup var tree: TreeOptions
            @Argument(help: "The client id.") var client: String
            @Flag(name: .long, help: "Print JSON.") var json = false

            func run() async throws {
                let code = try await runReportingErrors {
                    guard let record = try Confirmation.client(client, in: try tree.engine().loadTree()) else {
                        FileHandle.standardError.write(Data("onboard icp get: no record for client \"\(client)\"\n".utf8))
                        return ExitCode(1)
                    }
                    if json {
                        printJSON(record)
                    } else {
                        print("client \(client): extracted \(record["icp_extracted_at"]?.stringValue ?? "-"), confirmed \(record["icp_confirmed_at"]?.stringValue ?? "no")")
                        for field in ["icp_industries", "icp_titles", "icp_locations", "services_offered"] {
                            let values = record["icp"]?[field]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []
                            print("  \(field): \(values.joined(separator: "; "))")
                        }
                        if let weights = record["als_weights"]?.objectValue {
                            let named = weights.keys.sorted().map { "\($0) \(CanonicalJSON.compactString(weights[$0]!))" }
                            print("  als_weights: \(named.joined(separator: ", "))")
                        }
                    }
                    return .success
                }
                throw code
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Replace fields of a client's ICP from a file (checked like a reviewer's edit).")
            @OptionGroup var tree: TreeOptions
            @Argument(help: "The client id.") var client: String
            @Argument(help: "A JSON file of ICP fields.") var file: String

            func run() async throws {
                let code = try await runReportingErrors {
                    let engine = tree.engine()
                    do {
                        try Confirmation.setICP(client: client, in: try engine.loadTree(), file: URL(fileURLWithPath: file), clock: engine.clock)
                        return .success
                    } catch let refusal as Confirmation.Refusal {
                        FileHandle.standardError.write(Data("onboard icp set: \(refusal)\n".utf8))
                        return ExitCode(1)
                    }
                }
                throw code
            }
        }
    }
}
