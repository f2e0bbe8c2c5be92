import Foundation
import OnboardEngine

/// How full one kind of the pool is: `pool status`, `pool_levels` and the buffer alerts read it.
struct PoolLevel: Sendable, Equatable {
    var byStatus: [String: Int] = [:]
    var allocatable = 0

    /// Allocatable over all that are not retired; an empty pool has no buffer at all.
    var buffer: Double {
        let live = byStatus.filter { $0.key != "retired" }.values.reduce(0, +)
        guard live > 0 else { return 0 }
        // Four decimals keep the artifact stable and readable.
        return (Double(allocatable) / Double(live) * 10_000).rounded() / 10_000
    }

    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        for status in PoolStatus.all { members[status] = .int(Int64(byStatus[status] ?? 0)) }
        members["allocatable"] = .int(Int64(allocatable))
        members["buffer"] = .double(buffer)
        return .object(members)
    }
}

/// The pool's levels and the alerts they raise, in the shape `pool status --json` prints.
struct PoolReading: Sendable {
    let levels: [PoolKind: PoolLevel]
    let threshold: Double

    var alerts: [JSONValue] {
        PoolKind.allCases.compactMap { kind in
            let buffer = levels[kind]?.buffer ?? 0
            guard buffer < threshold else { return nil }
            return ["kind": .string(kind.rawValue), "buffer": .double(buffer), "threshold": .double(threshold)]
        }
    }

    var levelsJSON: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: PoolKind.allCases.map { ($0.rawValue, (levels[$0] ?? PoolLevel()).json) }))
    }

    var statusJSON: JSONValue {
        var members = levelsJSON.objectValue ?? [:]
        members["alerts"] = .array(alerts)
        return .object(members)
    }

    static func threshold(_ document: JSONValue) -> Double {
        document.value(at: "settings.buffer_alert_threshold")?.doubleValue ?? 0.4
    }
}
