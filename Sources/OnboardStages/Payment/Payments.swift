import Foundation
import OnboardEngine

/// What `onboard pay` does: the same core as the webhook, for one named job.
public enum Payments {
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// What became of an event given to `onboard pay`.
    public enum Result: Sendable, Equatable {
        case written(URL)
        case alreadyPaid
        case duplicate
    }

    /// Takes a Stripe event file for `job`. With `STRIPE_WEBHOOK_SECRET` set the signature is
    /// required and checked; without it the event is recorded as unverified. Nothing is written
    /// for a refused event.
    public static func pay(
        job: String, eventFile: URL, signature: String?, in tree: Tree, clock: EngineClock, environment: [String: String]
    ) throws -> (result: Result, warnings: [String]) {
        let body: Data
        do { body = try Data(contentsOf: eventFile) } catch { throw Refusal(description: "\(eventFile.path): cannot be read") }
        var warnings: [String] = []
        let verified: Bool
        if let secret = environment[StripeWebhook.secretVariable], !secret.isEmpty {
            guard signature != nil else {
                throw Refusal(description: "\(StripeWebhook.secretVariable) is set, so the event needs its Stripe-Signature header (--signature 't=...,v1=...')")
            }
            do { try StripeSignature.verify(payload: body, header: signature, secret: secret, now: clock.now()) } catch {
                throw Refusal(description: "signature refused: \(error.description)")
            }
            verified = true
        } else {
            verified = false
            warnings.append(
                signature == nil
                    ? "no \(StripeWebhook.secretVariable): the event is recorded as unverified"
                    : "no \(StripeWebhook.secretVariable): the signature is not checked and the event is recorded as unverified")
        }
        let event: StripeEvent
        do { event = try StripeEvent(parsing: body) } catch { throw Refusal(description: "\(eventFile.path): not a Stripe event: \(error.description)") }
        let outcome: PaymentDesk.Outcome
        do { outcome = try PaymentDesk.accept(event, verified: verified, target: .job(job), tree: tree, clock: clock) } catch let refused as PaymentDesk.Refusal {
            throw Refusal(description: refused.description)
        }
        switch outcome {
        case .written(let written): return (.written(PaymentDesk.paymentFile(tree.job(written))), warnings)
        case .logged: return (.alreadyPaid, warnings)
        case .duplicate: return (.duplicate, warnings)
        case .ignored(let reason): throw Refusal(description: "not a payment: \(reason)")
        case .conflict(let message): throw Refusal(description: message)
        case .kept: throw Refusal(description: "no job \"\(job)\" in the outbox")
        }
    }

    /// Records a payment a person confirmed by hand.
    public static func payManually(job: String, by name: String, in tree: Tree, clock: EngineClock) throws -> URL {
        do { return try PaymentDesk.acceptManual(job: job, by: name, tree: tree, clock: clock) } catch let refused as PaymentDesk.Refusal {
            throw Refusal(description: refused.description)
        }
    }

    /// At intake: a payment kept for a client with no job yet goes into its new job; returns its event id.
    static func deliverKept(client: String, job: JobFolder, stateDirectory: URL, clock: EngineClock) throws -> String? {
        try PaymentLedger(stateDirectory: stateDirectory).deliverKept(client: client, job: job, at: RFC3339.format(clock.now()))
    }
}
