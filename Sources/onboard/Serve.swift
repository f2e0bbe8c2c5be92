import ArgumentParser
import Foundation
import OnboardEngine
import OnboardHTTP

extension Onboard {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the HTTP facade: the onboarding REST endpoints and the Stripe webhook over this tree's files.",
            discussion: """
                Every endpoint only reads or writes files of the tree (and the client records in state); stages run
                under `onboard run` or `onboard watch`. The OpenAPI document is at /openapi.json. PUT of a client's ICP
                needs Authorization: Bearer $ONBOARD_ADMIN_TOKEN; the webhook needs $STRIPE_WEBHOOK_SECRET.
                Prints "listening on http://HOST:PORT" once bound (--port 0 takes a free port); stops gracefully on
                SIGINT or SIGTERM.
                """)

        @OptionGroup var tree: TreeOptions

        @Option(name: .long, help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on (0: any free port).")
        var port = 8080

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() async throws {
            let code = try await runReportingErrors {
                let engine = tree.engine()
                _ = try engine.loadTree()
                let facade = Facade(root: engine.root, clock: engine.clock, environment: ProcessInfo.processInfo.environment)
                try await FacadeServer(facade: facade, host: host, port: port).run { host, port in
                    FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
                }
                FileHandle.standardError.write(Data("onboard serve: stopped\n".utf8))
                return .success
            }
            throw code
        }
    }
}
