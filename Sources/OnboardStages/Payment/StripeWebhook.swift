import Foundation
import OnboardEngine

/// The HTTP answer to one webhook delivery.
public struct WebhookAnswer: Sendable, Equatable {
    public let status: Int
    public let body: JSONValue

    public init(status: Int, body: JSONValue) {
        self.status = status
        self.body = body
    }
}

/// The Stripe webhook of `onboard serve`: verifies the delivery and records the payment,
/// answering as DESIGN.md's webhook table says (400 / 200 ignored / 200 duplicate / 409 /
/// 200 written / 202 kept for a client with no job yet).
public enum StripeWebhook {
    public static let secretVariable = "STRIPE_WEBHOOK_SECRET"

    /// `body` is the raw request body (verified byte for byte), `signature` the `Stripe-Signature`
    /// header. Throws only when the tree itself cannot be used (pipeline.json invalid, state unwritable).
    public static func receive(
        body: Data, signature: String?, root: URL, clock: EngineClock, environment: [String: String]
    ) throws -> WebhookAnswer {
        try receive(body: body, signature: signature, tree: {
            Tree(root: root, pipeline: try PipelineLoader(profile: OnboardingProfile()).load(fileAt: Tree.pipelineFile(in: root)))
        }, clock: clock, environment: environment)
    }

    /// The same, for a caller that keeps the loaded tree (`serve`); `tree` is asked for only once
    /// the delivery is verified.
    public static func receive(
        body: Data, signature: String?, tree loadTree: () throws -> Tree, clock: EngineClock, environment: [String: String]
    ) throws -> WebhookAnswer {
        guard let secret = environment[secretVariable], !secret.isEmpty else {
            return refusal(400, "no secret configured: set \(secretVariable) to the endpoint's signing secret")
        }
        do {
            try StripeSignature.verify(payload: body, header: signature, secret: secret, now: clock.now())
        } catch {
            return refusal(400, error.description)
        }
        let event: StripeEvent
        do { event = try StripeEvent(parsing: body) } catch { return refusal(400, "not a Stripe event: \(error.description)") }
        let tree = try loadTree()
        let outcome: PaymentDesk.Outcome
        do { outcome = try PaymentDesk.accept(event, verified: true, target: .route, tree: tree, clock: clock) } catch let refused as PaymentDesk.Refusal {
            return refusal(400, refused.description)
        }
        switch outcome {
        case .ignored(let reason): return WebhookAnswer(status: 200, body: ["ignored": .string(reason)])
        case .duplicate: return WebhookAnswer(status: 200, body: ["duplicate": true])
        case .conflict(let message): return refusal(409, message)
        case .written(let job):
            return WebhookAnswer(status: 200, body: ["job_id": .string(job), "written": "inputs/payment.json", "event_id": .string(event.id)])
        case .logged(let job):
            return WebhookAnswer(status: 200, body: ["job_id": .string(job), "logged": true, "event_id": .string(event.id)])
        case .kept(let client):
            return WebhookAnswer(status: 202, body: [
                "kept": true, "client_id": client.map(JSONValue.string) ?? .null, "job_id": event.jobID.map(JSONValue.string) ?? .null,
                "event_id": .string(event.id),
            ])
        }
    }

    private static func refusal(_ status: Int, _ message: String) -> WebhookAnswer {
        WebhookAnswer(status: status, body: ["error": .string(message)])
    }
}
