import Foundation
import OnboardEngine

/// `allocate`: once the client has paid (`inputs/payment.json`), gives it the tier's email
/// domains and phones from the pool (all or nothing, in one transaction) and records its LinkedIn
/// seats, which the client brings itself. Holdings belong to the client, so a rerun or a later job
/// of the same client keeps what it holds and only takes or hands back the difference.
struct AllocateStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }

    static let quotaKeys = ["email_domains", "phones", "linkedin_seats"]

    /// The tiers' quantities and the alert threshold; leads and campaign slots are not this stage's business.
    func settings(from document: JSONValue) -> JSONValue {
        var tiers: [String: JSONValue] = [:]
        for (name, tier) in document["tiers"]?.objectValue ?? [:] {
            tiers[name] = .object((tier.objectValue ?? [:]).filter { Self.quotaKeys.contains($0.key) })
        }
        return ["tiers": .object(tiers), "buffer_alert_threshold": .double(PoolReading.threshold(document))]
    }

    func run(_ context: StageContext) async throws -> StageReport {
        let request = try context.readJSON("intake/request.json")
        guard let client = request["client_id"]?.stringValue else { throw StageFailure("intake/request.json: client_id is missing") }
        guard let tierName = request["tier"]?.stringValue else { throw StageFailure("intake/request.json: tier is missing") }
        guard let tier = context.pipeline.document["tiers"]?[tierName] else {
            let known = OnboardingProfile.tierNames(context.pipeline.document).sorted().joined(separator: ", ")
            throw StageFailure("intake/request.json: tier \"\(tierName)\" is not a tier of pipeline.json (tiers: \(known))")
        }
        let payment = try context.readJSON("inputs/payment.json")
        if let paidBy = payment["client_id"]?.stringValue, paidBy != client {
            throw StageFailure("inputs/payment.json: the payment is from client \(paidBy), but this job is for \(client)")
        }
        let domainCount = Int(tier["email_domains"]?.intValue ?? 0)
        let phoneCount = Int(tier["phones"]?.intValue ?? 0)
        let seats = request["linkedin_seats"]?.intValue ?? tier["linkedin_seats"]?.intValue ?? 0

        let store = try PoolStore(stateDirectory: context.stateDirectory)
        let allocation: Allocation
        do {
            allocation = try store.allocate(
                client: client, job: context.jobID, domainCount: domainCount, phoneCount: phoneCount,
                at: RFC3339.format(context.clock.now()))
        } catch let exhausted as PoolExhausted {
            throw StageFailure("\(exhausted); import more (onboard pool import FILE --kind KIND), then onboard rerun \(context.jobID) allocate")
        }
        let reading = PoolReading(levels: allocation.levels, threshold: PoolReading.threshold(context.pipeline.document))
        let allocations: JSONValue = [
            "client_id": .string(client), "tier": .string(tierName),
            "email_domains": .array(allocation.domains.map(\.allocationEntry)), "phones": .array(allocation.phones.map(\.allocationEntry)),
            "linkedin_seats": .int(seats), "pool_levels": reading.levelsJSON,
        ]
        try context.writeOutput("allocations.json", json: allocations)
        try context.writeOutput("alerts.json", json: .array(reading.alerts))

        func names(_ pair: (domains: [String], phones: [String])) -> JSONValue {
            ["domains": .array(pair.domains.map(JSONValue.string)), "phones": .array(pair.phones.map(JSONValue.string))]
        }
        var read: [String: JSONValue] = [
            "client_id": .string(client), "held_before": names(allocation.heldBefore), "taken": names(allocation.taken),
            "released": names(allocation.released), "pool_levels": reading.levelsJSON,
        ]
        read["digest"] = .string(Digest.sha256(CanonicalJSON.compact(.object(read))))
        var warnings: [String] = []
        for alert in reading.alerts {
            warnings.append("\(alert["kind"]?.stringValue ?? "") buffer \(CanonicalJSON.compactString(alert["buffer"] ?? 0)) is below the threshold")
        }
        return StageReport(warnings: warnings, sharedStateRead: .object(read))
    }
}
