import Foundation
import OnboardEngine

extension Facade {
    /// The payment core that checks Stripe-Signature is not part of this build yet.
    func stripe(_ request: FacadeRequest) throws -> FacadeAnswer {
        throw FacadeError(501, "the Stripe webhook is not available in this build")
    }
}
