import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("the resource pool and the allocate stage")
struct PoolTests {
    @Test func allocateWaitsForPaymentThenPicksWarmHealthyDomainsFirst() throws {
        let tree = try TestTree.allocating()
        try #require(tree.importDomains([
            "cold-best.example,available,3,99,true,true,true,false",
            "warm-b.example,available,14,80,true,true,true,false",
            "warm-a.example,available,40,80,true,true,true,false",
            "warm-top.example,available,21,95,true,true,true,false",
            "listed.example,available,60,100,true,true,true,true",
            "no-spf.example,available,60,100,false,true,true,false",
            "no-dkim.example,available,60,100,true,false,true,false",
            "no-dmarc.example,available,60,100,true,true,false,false",
            "warming.example,warming,60,100,true,true,true,false",
            "gone.example,retired,60,100,true,true,true,false",
            "cold-worse.example,available,13,98,true,true,true,false",
        ]).status == 0)
        try #require(tree.importPhones([
            "+61255501001,AU,available,70", "+61255501000,AU,available,70", "+12025550150,US,available,95",
            "+12025550160,US,warming,99",
        ]).status == 0)
        try tree.job("job-a", client: "harbor", tier: "dominance")
        #expect(try tree.stages("job-a")["allocate"] == "waiting")
        let waiting = try tree.statusJSON()["jobs"]?.arrayValue?.first?["waiting_for"]?["allocate"]?.stringValue ?? ""
        #expect(waiting.contains("onboard pay job-a"), "\(waiting)")
        #expect(try tree.owners().isEmpty, "nothing is taken before payment")

        try tree.writePipelineTiers(["dominance": ["email_domains": 5, "phones": 3, "linkedin_seats": 14, "leads_per_month": 4500, "campaign_slots": 5]])
        try tree.payManually("job-a")
        #expect(try tree.run().status == 0)
        let (domains, phones, document) = try tree.allocations("job-a")
        #expect(domains == ["warm-top.example", "warm-a.example", "warm-b.example", "cold-best.example", "cold-worse.example"])
        #expect(phones == ["+12025550150", "+61255501000", "+61255501001"], "higher health first, then by number")
        #expect(document["client_id"] == "harbor")
        #expect(document["tier"] == "dominance")
        #expect(document["linkedin_seats"] == 14, "the tier's seats when the request names none")
        #expect(document["email_domains"]?.arrayValue?.first == ["domain": "warm-top.example", "warmup_days": 21, "health_score": 95])
        #expect(document["phones"]?.arrayValue?.first == ["number": "+12025550150", "country": "US", "health_score": 95])
        #expect(document["pool_levels"]?["domains"] == [
            "available": 4, "warming": 1, "in_use": 5, "retired": 1, "allocatable": 0, "buffer": 0,
        ])
        #expect(try tree.json("outbox/job-a/allocate/alerts.json") == [
            ["kind": "domains", "buffer": 0, "threshold": .double(0.4)], ["kind": "phones", "buffer": 0, "threshold": .double(0.4)],
        ])
        let owners = try tree.owners()
        #expect(owners.count == 8)
        #expect(Set(owners.values) == ["harbor"])
        let read = try tree.json("outbox/job-a/allocate/stamp.json")["shared_state_read"]
        #expect(read?["taken"]?["domains"]?.arrayValue?.count == 5)
        #expect(read?["held_before"]?["domains"] == [])
        #expect(read?["digest"]?.stringValue?.count == 64)
        let status = try tree.poolStatus()
        #expect(status["domains"]?["in_use"] == 5)
        #expect(status["alerts"]?.arrayValue?.count == 2)
    }

    @Test func theRequestsLinkedInSeatsWinAndComeFromTheClientNotThePool() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(3))
        try tree.importPhones(TestTree.goodPhones(1))
        try tree.job("job-s", client: "seats", tier: "ignition", seats: 11)
        try tree.payManually("job-s")
        #expect(try tree.run().status == 0)
        #expect(try tree.allocations("job-s").document["linkedin_seats"] == 11)
        #expect(try tree.json("outbox/job-s/allocate/alerts.json") == [
            ["kind": "domains", "buffer": 0, "threshold": .double(0.4)], ["kind": "phones", "buffer": 0, "threshold": .double(0.4)],
        ])
    }

    @Test func anExhaustedPoolFailsTheJobAndTakesNothing() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(3))
        try tree.importPhones(TestTree.goodPhones(5))
        try tree.job("job-x", client: "short", tier: "velocity")
        try tree.payManually("job-x")
        #expect(try tree.run().status == 1)
        let error = try tree.json("outbox/job-x/allocate/error.json")["error"]?.stringValue ?? ""
        #expect(error.hasPrefix("pool exhausted: need 5 email domains, 3 allocatable"), "\(error)")
        #expect(!error.contains("phones"), "phones were there: \(error)")
        #expect(try tree.owners().isEmpty, "not even the phones, which were there, are taken")
        #expect(try tree.poolStatus()["phones"]?["allocatable"] == 5)
        #expect(try tree.poolStatus()["domains"]?["in_use"] == 0)
        #expect(!tree.exists("outbox/job-x/allocate/allocations.json"))
        #expect(try tree.stages("job-x")["allocate"] == "failed")

        try tree.importDomains(TestTree.goodDomains(2, prefix: "more"), name: "more.csv")
        #expect(try tree.onboard(["rerun", "job-x", "allocate"]).status == 0)
        #expect(try tree.allocations("job-x").domains.count == 5)
    }

    @Test func rerunningAllocateOrALaterJobReusesWhatTheClientHolds() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(12))
        try tree.importPhones(TestTree.goodPhones(6))
        try tree.job("job-1", client: "harbor", tier: "ignition")
        try tree.payManually("job-1")
        #expect(try tree.run().status == 0)
        let first = try #require(tree.read("outbox/job-1/allocate/allocations.json"))
        let owners = try tree.owners()

        #expect(try tree.onboard(["rerun", "job-1", "allocate"]).status == 0)
        #expect(tree.read("outbox/job-1/allocate/allocations.json") == first, "a rerun writes the same bytes")
        #expect(try tree.owners() == owners, "and takes nothing more")
        let read = try tree.json("outbox/job-1/allocate/stamp.json")["shared_state_read"]
        #expect(read?["taken"] == ["domains": [], "phones": []])
        #expect(read?["held_before"]?["domains"]?.arrayValue?.count == 3)

        try tree.job("job-2", client: "harbor", tier: "ignition", now: "2026-11-26T09:30:00Z")
        try tree.payManually("job-2")
        #expect(try tree.run().status == 0)
        #expect(try tree.allocations("job-2").domains == tree.allocations("job-1").domains, "a later job of the client gets the same resources")
        #expect(try tree.owners() == owners)
    }

    @Test func aTierChangeKeepsWhatFitsAndTakesOrReleasesTheDifference() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(4, prefix: "best", health: 99) + TestTree.goodDomains(8, prefix: "next", health: 80))
        try tree.importPhones(TestTree.goodPhones(6))
        try tree.job("job-t", client: "grower", tier: "ignition")
        try tree.payManually("job-t")
        #expect(try tree.run().status == 0)
        let ignition = try tree.allocations("job-t")
        #expect(ignition.domains == ["best-0.example", "best-1.example", "best-2.example"])

        let requestPath = "outbox/job-t/intake/request.json"
        try tree.write(requestPath, try #require(tree.read(requestPath)).replacingOccurrences(of: "\"ignition\"", with: "\"velocity\""))
        #expect(try tree.run().status == 0)
        let velocity = try tree.allocations("job-t")
        #expect(velocity.document["tier"] == "velocity")
        #expect(velocity.domains.count == 5)
        #expect(Array(velocity.domains.prefix(3)) == ignition.domains, "what it held is kept")
        #expect(velocity.domains.contains("best-3.example"))
        #expect(velocity.phones.count == 2)
        #expect(velocity.phones.contains(ignition.phones[0]))

        try tree.write(requestPath, try #require(tree.read(requestPath)).replacingOccurrences(of: "\"velocity\"", with: "\"ignition\""))
        #expect(try tree.run().status == 0)
        let back = try tree.allocations("job-t")
        #expect(back.domains == ignition.domains, "the best three are kept")
        let released = try tree.json("outbox/job-t/allocate/stamp.json")["shared_state_read"]?["released"]
        #expect(released?["domains"]?.arrayValue?.count == 2)
        #expect(try tree.owners().count == 4)
        let status = try tree.poolStatus()
        #expect(status["domains"]?["warming"] == 2, "released domains rest as warming")
        #expect(status["phones"]?["warming"] == 1)
    }

    @Test func releaseReturnsEverythingAClientHolds() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(8))
        try tree.importPhones(TestTree.goodPhones(3))
        for (job, client) in [("job-l", "leaving"), ("job-s", "staying")] {
            try tree.job(job, client: client, tier: "ignition")
            try tree.payManually(job)
        }
        #expect(try tree.run().status == 0)
        let output = try tree.onboard(["pool", "release", "leaving"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("3 email domains and 1 phone"), "\(output.stdout)")
        #expect(Set(try tree.owners().values) == ["staying"])
        #expect(try tree.owners().count == 4)
        let status = try tree.poolStatus()
        #expect(status["domains"]?["warming"] == 3)
        #expect(status["domains"]?["in_use"] == 3)
        #expect(status["domains"]?["allocatable"] == 2)
        #expect(try tree.onboard(["pool", "release", "leaving"]).stdout.contains("holds nothing"))
    }

    @Test func aPaymentFromAnotherClientDoesNotUnlockAllocation() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(3))
        try tree.importPhones(TestTree.goodPhones(1))
        try tree.job("job-p", client: "harbor", tier: "ignition")
        try tree.write("outbox/job-p/inputs/payment.json", #"{"client_id": "intruder", "source": "manual"}"#)
        #expect(try tree.run().status == 1)
        let error = try tree.json("outbox/job-p/allocate/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("from client intruder, but this job is for harbor"), "\(error)")
        #expect(try tree.owners().isEmpty)
        try tree.write("outbox/job-p/inputs/payment.json", "{not json")
        #expect(try tree.run().status == 1)
        #expect(try tree.json("outbox/job-p/allocate/error.json")["error"]?.stringValue?.contains("inputs/payment.json: not valid JSON") == true)
    }

    @Test func poolStatusHasExactlyTheContractsShape() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(5) + ["spare.example,warming,1,50,true,true,true,false"])
        let status = try tree.poolStatus()
        #expect(Set(status.objectValue?.keys.map { $0 } ?? []) == ["domains", "phones", "alerts"])
        #expect(status["domains"] == ["available": 5, "warming": 1, "in_use": 0, "retired": 0, "allocatable": 5, "buffer": .double(0.8333)])
        #expect(status["alerts"] == [["kind": "phones", "buffer": 0, "threshold": .double(0.4)]], "an empty kind has no buffer")
        let text = try tree.onboard(["pool", "status"]).stdout
        #expect(text.contains("domains: available 5, warming 1, in_use 0, retired 0, allocatable 5, buffer 83 %"), "\(text)")
        let imported = try tree.onboard(["pool", "import", tree.url("domains.csv").path, "--kind", "domains", "--json"])
        #expect(try JSONValue.parse(Data(imported.stdout.utf8))["unchanged"] == 6)
    }

    static let badDomainFiles: [(String, String)] = [
        ("good.example,available,21,95,true,true,true,false\nbad.example,available,21,101,true,true,true,false", "line 3: health_score: \"101\""),
        ("good.example,available,21,95,true,true,true,false\n\nother.example,pending,21,95,true,true,true,false", "line 4: status: \"pending\""),
        ("good.example,available,21,95,true,true,true,false\ngood.example,available,3,95,true,true,true,false", "line 3: good.example is already on line 2"),
        ("not a domain,available,21,95,true,true,true,false", "line 2: domain:"),
        ("good.example,available,21,95,maybe,true,true,false", "line 2: spf: \"maybe\""),
        ("good.example,available,21,95,true,true,true", "line 2: has 7 fields; the header has 8"),
        ("good.example,available,-1,95,true,true,true,false", "line 2: warmup_days"),
    ]

    @Test(arguments: badDomainFiles)
    func aBadRowIsNamedByItsLineAndNothingOfTheFileIsImported(_ rows: String, _ message: String) throws {
        let tree = try TestTree.allocating()
        let output = try tree.importDomains([rows])
        #expect(output.status == 1)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.contains("nothing imported"))
        let status = try tree.poolStatus()
        #expect(status["domains"]?["available"] == 0, "the good row before the bad one is not imported either")
    }

    @Test func headerAndPhoneProblemsAreNamedToo() throws {
        let tree = try TestTree.allocating()
        try tree.write("wrong-header.csv", "domain,status,warmup,health_score,spf,dkim,dmarc,blacklisted\n")
        let header = try tree.onboard(["pool", "import", tree.url("wrong-header.csv").path, "--kind", "domains"])
        #expect(header.status == 1)
        #expect(header.stderr.contains("line 1: unknown column \"warmup\""), "\(header.stderr)")
        try tree.write("empty.csv", "")
        #expect(try tree.onboard(["pool", "import", tree.url("empty.csv").path, "--kind", "phones"]).stderr.contains("line 1: no header"))
        let phones = try tree.importPhones(["+61255501000,AU,available,90", "0255501001,AU,available,90"])
        #expect(phones.status == 1)
        #expect(phones.stderr.contains("line 3: number: \"0255501001\" is not an E.164 number"), "\(phones.stderr)")
        let country = try tree.importPhones(["+61255501000,Australia,available,90"])
        #expect(country.stderr.contains("line 2: country"))
        #expect(try tree.poolStatus()["phones"]?["available"] == 0)
        #expect(try tree.onboard(["pool", "import", tree.url("missing.csv").path, "--kind", "phones"]).status == 1)
    }

    @Test func anImportUpsertsByKeyButNeverChangesAResourceAClientHolds() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(4))
        try tree.importPhones(TestTree.goodPhones(1))
        try tree.job("job-h", client: "holder", tier: "ignition")
        try tree.payManually("job-h")
        #expect(try tree.run().status == 0)
        let held = try tree.allocations("job-h").domains
        #expect(held == ["mail-0.example", "mail-1.example", "mail-2.example"])

        let output = try tree.importDomains([
            "mail-0.example,retired,30,10,true,true,true,true", "mail-3.example,warming,1,50,true,true,true,false",
            "mail-9.example,available,30,90,true,true,true,false",
        ], name: "again.csv")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("line 2: mail-0.example is held by client holder: not changed"), "\(output.stderr)")
        #expect(output.stdout.contains("1 new, 1 updated"), "\(output.stdout)")
        let store = try tree.poolStore()
        let mail0 = try #require(store.heldDomains("holder").first { $0.domain == "mail-0.example" })
        #expect(mail0.status == "in_use")
        #expect(mail0.healthScore == 90)
        #expect(!mail0.blacklisted)
        let status = try tree.poolStatus()
        #expect(status["domains"]?["warming"] == 1)
        #expect(status["domains"]?["available"] == 1)
        #expect(status["domains"]?["in_use"] == 3)
    }
}

extension TestTree {
    /// Replaces some tiers of pipeline.json.
    func writePipelineTiers(_ tiers: [String: JSONValue]) throws {
        var document = try json("pipeline.json").objectValue ?? [:]
        var all = document["tiers"]?.objectValue ?? [:]
        for (name, tier) in tiers { all[name] = tier }
        document["tiers"] = .object(all)
        try writePipeline(.object(document))
    }
}
