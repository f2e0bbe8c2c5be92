import Foundation
import OnboardEngine

@testable import OnboardStages

/// Trees that run only intake and allocate, pool files, and payments for the pool and payment tests.
extension TestTree {
    static let allocationStages: JSONValue = [
        ["name": "intake", "needs": []],
        ["name": "allocate", "needs": ["intake"], "inputs": ["payment.json"]],
    ]

    static func allocating(settings: [String: JSONValue] = [:]) throws -> TestTree {
        var changes: [String: JSONValue] = ["stages": allocationStages]
        if !settings.isEmpty {
            let defaults = try JSONValue.parse(Data(contentsOf: packageRoot.appendingPathComponent("pipeline.json")))
            var merged = defaults["settings"]?.objectValue ?? [:]
            for (key, value) in settings { merged[key] = value }
            changes["settings"] = .object(merged)
        }
        return try TestTree(pipeline: changes)
    }

    /// The loaded tree, for calling the library in process.
    func loaded() throws -> Tree {
        Tree(root: root, pipeline: try PipelineLoader(profile: OnboardingProfile()).load(fileAt: url("pipeline.json")))
    }

    func poolStore() throws -> PoolStore { try PoolStore(stateDirectory: url("state")) }

    /// Writes a domains file from (domain, status, warmup_days, health, spf, dkim, dmarc, blacklisted) rows and imports it.
    @discardableResult
    func importDomains(_ rows: [String], name: String = "domains.csv") throws -> Output {
        try write(name, (["domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted"] + rows).joined(separator: "\n") + "\n")
        return try onboard(["pool", "import", url(name).path, "--kind", "domains"])
    }

    @discardableResult
    func importPhones(_ rows: [String], name: String = "phones.csv") throws -> Output {
        try write(name, (["number,country,status,health_score"] + rows).joined(separator: "\n") + "\n")
        return try onboard(["pool", "import", url(name).path, "--kind", "phones"])
    }

    /// `count` healthy, warm, allocatable domains named `prefix-N.example`.
    static func goodDomains(_ count: Int, prefix: String = "mail", health: Int = 90) -> [String] {
        (0..<count).map { "\(prefix)-\($0).example,available,30,\(health),true,true,true,false" }
    }

    static func goodPhones(_ count: Int, start: Int = 1000) -> [String] {
        (0..<count).map { "+6125550\(start + $0),AU,available,90" }
    }

    /// Drops a request with an explicit job id and takes it in.
    func job(_ id: String, client: String, tier: String, seats: Int? = nil, now: String = "2026-11-25T09:30:00Z") throws {
        var request = TestTree.sampleRequest(client: client, tier: tier)
        request["request_id"] = .string(id)
        if let seats { request["linkedin_seats"] = .int(Int64(seats)) }
        try self.request("\(id).json", request)
        let output = try onboard(["run"], environment: ["ONBOARD_NOW": now])
        if output.status != 0 { throw RunFailed(stderr: output.stderr) }
    }

    struct RunFailed: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "onboard run failed: \(stderr)" }
    }

    func payManually(_ job: String) throws {
        _ = try Payments.payManually(job: job, by: "Billing", in: try loaded(), clock: EngineClock(fixed: RFC3339.parse("2026-11-25T10:00:00Z")))
    }

    func allocations(_ job: String) throws -> (domains: [String], phones: [String], document: JSONValue) {
        let document = try json("outbox/\(job)/allocate/allocations.json")
        return (
            document["email_domains"]?.arrayValue?.compactMap { $0["domain"]?.stringValue } ?? [],
            document["phones"]?.arrayValue?.compactMap { $0["number"]?.stringValue } ?? [], document
        )
    }

    /// resource → owning client, straight from the state database.
    func owners() throws -> [String: String] {
        var result: [String: String] = [:]
        for holding in try poolStore().holdings() { result["\(holding.kind)/\(holding.resource)"] = holding.client }
        return result
    }

    func poolStatus() throws -> JSONValue {
        try JSONValue.parse(Data(try onboard(["pool", "status", "--json"]).stdout.utf8))
    }
}
