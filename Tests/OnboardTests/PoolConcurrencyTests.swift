import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("several onboard processes allocating from one pool at once")
struct PoolConcurrencyTests {
    @Test func noResourceEverHasTwoOwners() throws {
        let tree = try TestTree.allocating()
        try #require(tree.importDomains(TestTree.goodDomains(30) + TestTree.goodDomains(15, prefix: "cold", health: 60)).status == 0)
        try #require(tree.importPhones(TestTree.goodPhones(14)).status == 0)
        let tiers = ["ignition", "velocity", "dominance"]
        var jobs: [(job: String, client: String, tier: String)] = []
        for index in 0..<15 {
            jobs.append(("job-\(index)", "client-\(index)", tiers[index % 3]))
        }
        // Two jobs of one client: they must share its holdings, not take twice.
        jobs.append(("job-twin-a", "twin", "velocity"))
        jobs.append(("job-twin-b", "twin", "velocity"))
        for entry in jobs {
            var request = TestTree.sampleRequest(client: entry.client, tier: entry.tier)
            request["request_id"] = .string(entry.job)
            try tree.request("\(entry.job).json", request)
        }
        #expect(try tree.run().status == 0)
        for entry in jobs { try tree.payManually(entry.job) }

        let processes = try (0..<4).map { _ in try tree.start(["run", "--jobs", "2"]) }
        let outputs = processes.map { $0.finish() }
        for output in outputs { #expect([0, 1].contains(output.status), "\(output.stderr)") }
        let working = outputs.filter { $0.stderr.contains(" allocate: ") }.count
        #expect(working >= 2, "the allocations were spread over several processes")

        let quota = ["ignition": (3, 1), "velocity": (5, 2), "dominance": (9, 3)]
        var ownerOf: [String: String] = [:]
        var done = 0
        for entry in jobs {
            let stage = try tree.stages(entry.job)["allocate"]
            if stage == "done" {
                done += 1
                let (domains, phones, _) = try tree.allocations(entry.job)
                #expect(domains.count == quota[entry.tier]!.0)
                #expect(phones.count == quota[entry.tier]!.1)
                for resource in domains + phones {
                    if let owner = ownerOf[resource] {
                        #expect(owner == entry.client, "\(resource) is in the allocations of \(owner) and \(entry.client)")
                    }
                    ownerOf[resource] = entry.client
                }
            } else {
                #expect(stage == "failed")
                let error = try tree.json("outbox/\(entry.job)/allocate/error.json")["error"]?.stringValue ?? ""
                #expect(error.hasPrefix("pool exhausted"), "\(error)")
            }
        }
        #expect(done >= 5, "the pool covers at least five of the jobs")
        #expect(done < jobs.count, "and not all, so some allocations raced an emptying pool")

        let holdings = try tree.owners()
        #expect(holdings.count == ownerOf.count, "the state holds exactly what the artifacts list")
        for (key, client) in holdings {
            let resource = String(key.split(separator: "/", maxSplits: 1)[1])
            #expect(ownerOf[resource] == client, "\(resource)")
        }
        let status = try tree.poolStatus()
        let inUse = (status["domains"]?["in_use"]?.intValue ?? 0) + (status["phones"]?["in_use"]?.intValue ?? 0)
        #expect(Int(inUse) == holdings.count)
        if try tree.stages("job-twin-a")["allocate"] == "done" {
            #expect(try tree.allocations("job-twin-a").domains == tree.allocations("job-twin-b").domains)
        }
    }
}
