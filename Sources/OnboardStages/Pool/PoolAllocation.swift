import Foundation
import OnboardEngine

/// What a client holds after an allocation, and what that allocation changed.
struct Allocation: Sendable {
    var domains: [PoolDomain]
    var phones: [PoolPhone]
    var heldBefore: (domains: [String], phones: [String])
    var taken: (domains: [String], phones: [String])
    var released: (domains: [String], phones: [String])
    var levels: [PoolKind: PoolLevel]
}

/// The pool cannot cover what a tier needs; nothing was taken.
struct PoolExhausted: Error, CustomStringConvertible {
    struct Shortage: Sendable {
        let kind: PoolKind
        let needed: Int
        let allocatable: Int
        let held: Int
        let tierCount: Int
    }

    let client: String
    let shortages: [Shortage]

    var description: String {
        let parts = shortages.map { shortage in
            var text = "need \(shortage.kind.counted(shortage.needed)), \(shortage.allocatable) allocatable"
            if shortage.held > 0 { text += " (\(client) holds \(shortage.held) of the tier's \(shortage.tierCount))" }
            return text
        }
        return "pool exhausted: " + parts.joined(separator: "; ")
    }
}

extension PoolStore {
    /// Brings a client's holdings to `domainCount` domains and `phoneCount` phones in one
    /// IMMEDIATE transaction: keeps the best of what it holds, hands back what no longer fits,
    /// and takes the rest from the pool in selection order, or takes nothing at all.
    func allocate(client: String, job: String, domainCount: Int, phoneCount: Int, at time: String) throws -> Allocation {
        try database.transaction {
            let heldDomains = try heldDomains(client)
            let heldPhones = try heldPhones(client)
            let keptDomains = Array(heldDomains.prefix(domainCount))
            let keptPhones = Array(heldPhones.prefix(phoneCount))
            let newDomains = try pickDomains(domainCount - keptDomains.count)
            let newPhones = try pickPhones(phoneCount - keptPhones.count)
            var shortages: [PoolExhausted.Shortage] = []
            if keptDomains.count + newDomains.count < domainCount {
                shortages.append(.init(kind: .domains, needed: domainCount - keptDomains.count, allocatable: newDomains.count,
                                       held: keptDomains.count, tierCount: domainCount))
            }
            if keptPhones.count + newPhones.count < phoneCount {
                shortages.append(.init(kind: .phones, needed: phoneCount - keptPhones.count, allocatable: newPhones.count,
                                       held: keptPhones.count, tierCount: phoneCount))
            }
            if !shortages.isEmpty { throw PoolExhausted(client: client, shortages: shortages) }

            let releasedDomains = heldDomains.dropFirst(domainCount).map(\.domain)
            let releasedPhones = heldPhones.dropFirst(phoneCount).map(\.number)
            try giveBack(.domains, releasedDomains, at: time)
            try giveBack(.phones, releasedPhones, at: time)
            try take(.domains, newDomains.map(\.domain), client: client, job: job, at: time)
            try take(.phones, newPhones.map(\.number), client: client, job: job, at: time)
            return Allocation(
                domains: try self.heldDomains(client), phones: try self.heldPhones(client),
                heldBefore: (heldDomains.map(\.domain), heldPhones.map(\.number)),
                taken: (newDomains.map(\.domain), newPhones.map(\.number)),
                released: (releasedDomains, releasedPhones), levels: try levels())
        }
    }
}
