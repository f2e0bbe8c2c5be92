import ArgumentParser
import Foundation
import OnboardEngine
import OnboardStages

extension Onboard {
    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a job's client paid: a Stripe event, or a person's confirmation (writes inputs/payment.json).",
            discussion: """
                With STRIPE_WEBHOOK_SECRET set, --signature (the Stripe-Signature header) is required and checked;
                without it the event is recorded as unverified. An event already taken (same id) changes nothing;
                a later event for a paid job is logged in state only.
                """)

        @OptionGroup var tree: TreeOptions

        @Argument(help: "The job id.")
        var job: String

        @Option(name: .long, help: ArgumentHelp("A Stripe event JSON file.", valueName: "file"))
        var event: String?

        @Option(name: .long, help: ArgumentHelp("The event's Stripe-Signature header.", valueName: "t=...,v1=..."))
        var signature: String?

        @Flag(name: .long, help: "A payment a person confirmed by hand (needs --by).")
        var manual = false

        @Option(name: .long, help: ArgumentHelp("Who confirmed the payment (with --manual).", valueName: "name"))
        var by: String?

        func validate() throws {
            if manual == (event != nil) { throw ValidationError("give either --event FILE or --manual --by NAME") }
            if manual && (by ?? "").trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--manual needs --by NAME") }
            if !manual && by != nil { throw ValidationError("--by goes with --manual") }
            if manual && signature != nil { throw ValidationError("--signature goes with --event") }
        }

        func run() async throws {
            let code = try await runReportingErrors {
                let engine = tree.engine()
                let loaded = try engine.loadTree()
                do {
                    if manual {
                        let written = try Payments.payManually(job: job, by: by ?? "", in: loaded, clock: engine.clock)
                        print("wrote \(written.path); `onboard run` allocates the job's resources")
                        return .success
                    }
                    let (result, warnings) = try Payments.pay(
                        job: job, eventFile: URL(fileURLWithPath: event ?? ""), signature: signature, in: loaded, clock: engine.clock,
                        environment: ProcessInfo.processInfo.environment)
                    for warning in warnings { FileHandle.standardError.write(Data("onboard pay: \(warning)\n".utf8)) }
                    switch result {
                    case .written(let url): print("wrote \(url.path); `onboard run` allocates the job's resources")
                    case .alreadyPaid: print("job \(job) is already paid; the event is logged in state")
                    case .duplicate: print("this event was already taken; nothing changed")
                    }
                    return .success
                } catch let refusal as Payments.Refusal {
                    FileHandle.standardError.write(Data("onboard pay: \(refusal)\n".utf8))
                    return ExitCode(1)
                }
            }
            throw code
        }
    }
}
