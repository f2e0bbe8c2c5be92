import Foundation
import OnboardEngine

/// `intake`: the request as received, checked again against today's tiers and normalised
/// (`intake/request.json`). Later stages read the normalised form only.
struct IntakeStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    func settings(from document: JSONValue) -> JSONValue {
        .array(OnboardingProfile.tierNames(document).sorted().map(JSONValue.string))
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let data = try context.readInput("request.json")
        let normaliser = RequestNormaliser(tiers: OnboardingProfile.tierNames(context.pipeline.document))
        switch normaliser.normalise(data) {
        case .failure(let rejection):
            throw StageFailure("request.json: \(rejection.message)")
        case .success(var request):
            request["job_id"] = .string(context.jobID)
            try context.writeOutput("request.json", json: .object(request))
            let delivered = try Payments.deliverKept(
                client: request["client_id"]?.stringValue ?? "", job: context.job, stateDirectory: context.stateDirectory,
                clock: context.clock)
            // The payment ledger is shared state: the stamp says which kept payment this job took.
            return StageReport(sharedStateRead: delivered.map { ["kept_payment_delivered": .string($0)] })
        }
    }
}
