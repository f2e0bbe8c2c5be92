import Foundation
import OnboardEngine

/// The two kinds of pool resource, named as the pool files, `pool status` and `pool_levels` name them.
public enum PoolKind: String, Sendable, CaseIterable {
    case domains, phones

    /// How the table and `client_resources.kind` spell the kind.
    var table: String { self == .domains ? "pool_domains" : "pool_phones" }
    var keyColumn: String { self == .domains ? "domain" : "number" }
    var singular: String { self == .domains ? "email domain" : "phone" }

    public func counted(_ count: Int) -> String { "\(count) \(singular)\(count == 1 ? "" : "s")" }
}

/// The statuses a pool row may have (`in_use` is also what allocation sets).
enum PoolStatus {
    static let all = ["available", "warming", "in_use", "retired"]
}

/// One email domain of the pool, as a pool file row describes it.
struct PoolDomain: Sendable, Equatable {
    var domain: String
    var status: String
    var warmupDays: Int
    var healthScore: Int
    var spf: Bool
    var dkim: Bool
    var dmarc: Bool
    var blacklisted: Bool

    /// Warm domains (two weeks of warm-up or more) go out first.
    static let warmDays = 14

    var allocationEntry: JSONValue {
        ["domain": .string(domain), "warmup_days": .int(Int64(warmupDays)), "health_score": .int(Int64(healthScore))]
    }
}

/// One phone number of the pool (E.164).
struct PoolPhone: Sendable, Equatable {
    var number: String
    var country: String
    var status: String
    var healthScore: Int

    var allocationEntry: JSONValue {
        ["number": .string(number), "country": .string(country), "health_score": .int(Int64(healthScore))]
    }
}
