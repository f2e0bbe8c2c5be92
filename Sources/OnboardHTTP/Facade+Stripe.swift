import Foundation
import OnboardEngine
import OnboardStages

extension Facade {
    /// Hands the delivery, byte for byte, to the payment core `onboard pay` uses; its answer
    /// (DESIGN.md's webhook table) goes back to Stripe unchanged.
    func stripe(_ request: FacadeRequest) throws -> FacadeAnswer {
        let answer: WebhookAnswer
        do {
            answer = try StripeWebhook.receive(
                body: request.body, signature: request.header("stripe-signature"), tree: { try loadTree() }, clock: clock,
                environment: environment)
        } catch let error as FacadeError {
            throw error
        } catch {
            throw FacadeError(500, "the payment could not be recorded: \(error)")
        }
        return .json(answer.status, answer.body)
    }
}
