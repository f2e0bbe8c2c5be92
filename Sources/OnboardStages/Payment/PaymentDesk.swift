import Foundation
import OnboardEngine

/// Takes a payment for a job: the logic `onboard pay` and the Stripe webhook share. Each
/// decision and its write happen in one IMMEDIATE transaction of the ledger, so two deliveries
/// of events for one job (or one event twice) never both write.
enum PaymentDesk {
    /// Where an event goes: the job `onboard pay` names, or wherever the event itself points.
    enum Target {
        case job(String)
        case route
    }

    enum Outcome: Equatable {
        case written(job: String)
        case logged(job: String)
        case duplicate
        case kept(client: String?)
        case ignored(String)
        case conflict(String)
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    static func accept(_ event: StripeEvent, verified: Bool, target: Target, tree: Tree, clock: EngineClock) throws -> Outcome {
        let livePaymentsOnly = tree.pipeline.document.value(at: "settings.live_payments_only")?.boolValue ?? false
        if let reason = event.notPaidReason(livePaymentsOnly: livePaymentsOnly) { return .ignored(reason) }
        let eventClient = event.clientID
        let eventJob = event.jobID
        if let eventJob, !JobID.isValid(eventJob) {
            throw Refusal(description: "metadata.job_id \"\(eventJob)\" is not a job id")
        }
        if case .job(let job) = target {
            guard tree.hasJob(job) else {
                throw Refusal(description: "no job \"\(job)\" in the outbox")
            }
        }
        if case .route = target, eventClient == nil, eventJob == nil {
            return .ignored("the event names no client (client_reference_id, metadata.client_id) and no job (metadata.job_id)")
        }
        let now = RFC3339.format(clock.now())
        // The outbox is read before the write lock is taken; which of the client's jobs is paid is
        // decided under it.
        var clientJobs: [String] = []
        if case .route = target, eventJob == nil, let eventClient { clientJobs = jobs(of: eventClient, in: tree) }
        let ledger = try PaymentLedger(stateDirectory: tree.state)
        return try ledger.database.transaction {
            if try ledger.disposition(of: event.id) != nil { return .duplicate }
            let job: String
            switch target {
            case .job(let named):
                if let eventJob, eventJob != named { return .conflict("the event is for job \(eventJob), not \(named)") }
                job = named
            case .route:
                if let eventJob {
                    guard FileManager.default.fileExists(atPath: tree.job(eventJob).url.path) else {
                        // Job ids are known before intake runs: the payment waits for that job.
                        try ledger.record(event, client: eventClient, job: eventJob, disposition: .kept,
                                          payment: event.payment(client: eventClient, verified: verified), at: now)
                        return .kept(client: eventClient)
                    }
                    job = eventJob
                } else if let found = newestUnpaid(clientJobs, in: tree) {
                    job = found
                } else {
                    try ledger.record(event, client: eventClient, job: nil, disposition: .kept,
                                      payment: event.payment(client: eventClient, verified: verified), at: now)
                    return .kept(client: eventClient)
                }
            }
            let jobClient = client(of: tree.job(job))
            if let eventClient, eventClient != jobClient {
                return .conflict("job \(job) belongs to client \(jobClient ?? "unknown"), not \(eventClient)")
            }
            if eventClient == nil, eventJob == nil {
                return .conflict("the event names no client (client_reference_id, metadata.client_id) and no job, so it cannot be matched to job \(job)")
            }
            let payment = event.payment(client: jobClient ?? eventClient, verified: verified)
            let target = paymentFile(tree.job(job))
            if FileManager.default.fileExists(atPath: target.path) {
                try ledger.record(event, client: jobClient, job: job, disposition: .logged, payment: payment, at: now)
                return .logged(job: job)
            }
            try ledger.record(event, client: jobClient, job: job, disposition: .written, payment: payment, at: now)
            try AtomicFile.write(CanonicalJSON.data(payment), to: target)
            return .written(job: job)
        }
    }

    /// A payment a person confirmed by hand (`onboard pay JOB --manual --by NAME`).
    static func acceptManual(job: String, by name: String, tree: Tree, clock: EngineClock) throws -> URL {
        guard tree.hasJob(job) else {
            throw Refusal(description: "no job \"\(job)\" in the outbox")
        }
        let ledger = try PaymentLedger(stateDirectory: tree.state)
        let target = paymentFile(tree.job(job))
        try ledger.database.transaction {
            if FileManager.default.fileExists(atPath: target.path) {
                let existing = (try? JSONValue.parse(Data(contentsOf: target)))?["event_id"]?.stringValue ?? "a manual confirmation"
                throw Refusal(description: "job \(job) is already paid (inputs/payment.json holds \(existing))")
            }
            let payment: JSONValue = [
                "event_id": nil, "type": "manual", "client_id": client(of: tree.job(job)).map(JSONValue.string) ?? .null,
                "amount_total": nil, "currency": nil, "livemode": nil, "verified": false,
                "paid_at": .string(RFC3339.format(clock.now())), "source": "manual", "confirmed_by": .string(name),
            ]
            try AtomicFile.write(CanonicalJSON.data(payment), to: target)
        }
        return target
    }

    static func paymentFile(_ folder: JobFolder) -> URL { folder.inputs.appendingPathComponent("payment.json") }

    static func client(of folder: JobFolder) -> String? {
        if let client = JobRecord.read(folder)?.fields["client_id"]?.stringValue { return client }
        let request = try? JSONValue.parse(Data(contentsOf: folder.file("intake/request.json")))
        return request?["client_id"]?.stringValue
    }

    /// The client's jobs, newest first.
    static func jobs(of client: String, in tree: Tree) -> [String] {
        var jobs: [(id: String, created: String)] = []
        for id in tree.jobIDs() {
            guard let record = JobRecord.read(tree.job(id)), record.fields["client_id"]?.stringValue == client else { continue }
            jobs.append((id, record.createdAt))
        }
        return jobs.sorted { ($0.created, $0.id) > ($1.created, $1.id) }.map(\.id)
    }

    /// The newest of the jobs without a payment, else the newest; nil when there are none.
    static func newestUnpaid(_ newestFirst: [String], in tree: Tree) -> String? {
        newestFirst.first { !FileManager.default.fileExists(atPath: paymentFile(tree.job($0)).path) } ?? newestFirst.first
    }
}
