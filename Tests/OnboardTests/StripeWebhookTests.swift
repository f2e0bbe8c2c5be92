import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

/// Stripe events as Stripe sends them, and a tree to deliver them to.
struct StripeDelivery {
    static let secret = "whsec_onboard_tests"
    static let created: Int64 = 1_795_000_000
    /// The engine clock 10 s after the events were signed.
    static let clock = EngineClock(fixed: Date(timeIntervalSince1970: Double(created) + 10))

    static func event(
        id: String = "evt_1", type: String = "checkout.session.completed", livemode: Bool = false, object: [String: JSONValue]
    ) -> Data {
        CanonicalJSON.compact([
            "id": .string(id), "object": "event", "api_version": "2025-03-31", "created": .int(created), "livemode": .bool(livemode),
            "pending_webhooks": 1, "request": ["id": nil, "idempotency_key": nil], "type": .string(type),
            "data": ["object": .object(object)],
        ])
    }

    static func checkout(client: String? = "harbor", job: String? = nil, status: String = "paid") -> [String: JSONValue] {
        var metadata: [String: JSONValue] = [:]
        if let job { metadata["job_id"] = .string(job) }
        return [
            "object": "checkout.session", "mode": "subscription", "payment_status": .string(status),
            "client_reference_id": client.map(JSONValue.string) ?? .null, "amount_total": 49_900, "currency": "aud",
            "metadata": .object(metadata),
        ]
    }

    static func signed(_ body: Data, secret: String = secret) -> String {
        StripeSignature.header(payload: body, secret: secret, timestamp: created)
    }

    static func deliver(_ body: Data, to tree: TestTree, signature: String? = nil, secret: String? = secret) throws -> WebhookAnswer {
        try StripeWebhook.receive(
            body: body, signature: signature ?? signed(body), root: tree.root, clock: clock,
            environment: secret.map { ["STRIPE_WEBHOOK_SECRET": $0] } ?? [:])
    }
}

@Suite("the Stripe webhook answers as the table says")
struct StripeWebhookTests {
    typealias D = StripeDelivery

    static func treeWithJob(_ job: String = "job-a", client: String = "harbor") throws -> TestTree {
        let tree = try TestTree.allocating()
        try tree.job(job, client: client, tier: "ignition")
        return tree
    }

    static func eventCount(_ tree: TestTree) throws -> Int {
        let ledger = try PaymentLedger(stateDirectory: tree.url("state"))
        return try ledger.database.prepare("SELECT COUNT(*) FROM payment_events").rows { Int($0.int(0)) }.first ?? 0
    }

    @Test func badMissingOrUnconfiguredSignaturesAre400AndWriteNothing() throws {
        let tree = try Self.treeWithJob()
        let body = D.event(object: D.checkout())
        let before = try tree.snapshot()
        let cases: [(String?, String?, String)] = [
            (D.signed(body), nil, "no secret configured"),
            (D.signed(body, secret: "whsec_wrong"), D.secret, "no v1 signature matches"),
            ("", D.secret, "not signed"),
            ("t=\(D.created)", D.secret, "no v1 signature"),
            ("garbage", D.secret, "cannot be read"),
        ]
        for (signature, secret, words) in cases {
            let answer = try StripeWebhook.receive(
                body: body, signature: signature, root: tree.root, clock: D.clock,
                environment: secret.map { ["STRIPE_WEBHOOK_SECRET": $0] } ?? [:])
            #expect(answer.status == 400)
            #expect(answer.body["error"]?.stringValue?.contains(words) == true, "\(answer.body)")
        }
        let missing = try StripeWebhook.receive(body: body, signature: nil, root: tree.root, clock: D.clock,
                                                environment: ["STRIPE_WEBHOOK_SECRET": D.secret])
        #expect(missing.status == 400)
        let old = try StripeWebhook.receive(body: body, signature: D.signed(body), root: tree.root,
                                            clock: EngineClock(fixed: Date(timeIntervalSince1970: Double(D.created) + 301)),
                                            environment: ["STRIPE_WEBHOOK_SECRET": D.secret])
        #expect(old.status == 400)
        #expect(old.body["error"]?.stringValue?.contains("301 s old") == true)
        #expect(try tree.snapshot() == before)
        #expect(try Self.eventCount(tree) == 0)
    }

    @Test(arguments: [Data("not json".utf8), Data("[1,2]".utf8), Data(#"{"id":"evt_1","object":"event","created":1}"#.utf8),
                      Data(#"{"id":"evt_1","object":"charge","type":"invoice.paid","created":1,"data":{"object":{}}}"#.utf8)])
    func aSignedBodyThatIsNotAStripeEventIs400(_ body: Data) throws {
        let tree = try Self.treeWithJob()
        let answer = try D.deliver(body, to: tree)
        #expect(answer.status == 400)
        #expect(answer.body["error"]?.stringValue?.hasPrefix("not a Stripe event") == true, "\(answer.body)")
        #expect(!tree.exists("outbox/job-a/inputs/payment.json"))
    }

    static let notPayments: [(String, [String: JSONValue], String)] = [
        ("customer.subscription.created", ["object": "subscription", "status": "incomplete", "metadata": ["client_id": "harbor"]],
         "customer.subscription.created is not a payment"),
        ("checkout.session.completed", StripeDelivery.checkout(status: "no_payment_required"), "no_payment_required"),
        ("checkout.session.completed", StripeDelivery.checkout(status: "unpaid"), "payment_status unpaid is not paid"),
        ("charge.refunded", ["object": "charge"], "charge.refunded is not a payment event"),
        ("invoice.paid", ["object": "invoice", "amount_paid": 100], "names no client"),
    ]

    @Test(arguments: notPayments)
    func aSignedEventThatIsNotAPaymentIsIgnoredWith200(_ type: String, _ object: [String: JSONValue], _ reason: String) throws {
        let tree = try Self.treeWithJob()
        let answer = try D.deliver(D.event(type: type, object: object), to: tree)
        #expect(answer.status == 200)
        #expect(answer.body["ignored"]?.stringValue?.contains(reason) == true, "\(answer.body)")
        #expect(!tree.exists("outbox/job-a/inputs/payment.json"))
        #expect(try Self.eventCount(tree) == 0)
    }

    @Test func aTestModeEventIsIgnoredOnlyWhenLivePaymentsOnly() throws {
        let strict = try TestTree.allocating(settings: ["live_payments_only": true])
        try strict.job("job-a", client: "harbor", tier: "ignition")
        let answer = try D.deliver(D.event(object: D.checkout()), to: strict)
        #expect(answer.status == 200)
        #expect(answer.body["ignored"]?.stringValue?.contains("live_payments_only") == true)
        #expect(!strict.exists("outbox/job-a/inputs/payment.json"))
        #expect(try D.deliver(D.event(id: "evt_live", livemode: true, object: D.checkout()), to: strict).status == 200)
        #expect(try strict.json("outbox/job-a/inputs/payment.json")["livemode"] == true)
    }

    @Test func aPaidEventForAJobWritesItsNormalisedPaymentAndAllocateRuns() throws {
        let tree = try Self.treeWithJob()
        try tree.importDomains(TestTree.goodDomains(3))
        try tree.importPhones(TestTree.goodPhones(1))
        let answer = try D.deliver(D.event(object: D.checkout(job: "job-a")), to: tree)
        #expect(answer == WebhookAnswer(status: 200, body: ["job_id": "job-a", "written": "inputs/payment.json", "event_id": "evt_1"]))
        #expect(try tree.json("outbox/job-a/inputs/payment.json") == [
            "event_id": "evt_1", "type": "checkout.session.completed", "client_id": "harbor", "amount_total": 49_900,
            "currency": "aud", "livemode": false, "verified": true, "paid_at": "2026-11-18T11:06:40Z", "source": "stripe",
        ])
        #expect(try tree.run().status == 0)
        #expect(try tree.stages("job-a")["allocate"] == "done")
    }

    static let paymentEvents: [(String, [String: JSONValue], JSONValue)] = [
        ("checkout.session.completed", StripeDelivery.checkout(), 49_900),
        ("checkout.session.async_payment_succeeded", StripeDelivery.checkout(), 49_900),
        ("invoice.paid", ["object": "invoice", "amount_paid": 12_300, "currency": "usd",
                          "subscription_details": ["metadata": ["client_id": "harbor"]]], 12_300),
        ("invoice.payment_succeeded", ["object": "invoice", "amount_paid": 12_300, "metadata": [:],
                                       "parent": ["subscription_details": ["metadata": ["client_id": "harbor", "job_id": "job-a"]]]], 12_300),
    ]

    @Test(arguments: paymentEvents)
    func everyPaymentTypeIsTakenForTheClientsJob(_ type: String, _ object: [String: JSONValue], _ amount: JSONValue) throws {
        let tree = try Self.treeWithJob()
        let answer = try D.deliver(D.event(type: type, object: object), to: tree)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.body["job_id"] == "job-a")
        let payment = try tree.json("outbox/job-a/inputs/payment.json")
        #expect(payment["type"] == .string(type))
        #expect(payment["amount_total"] == amount)
        #expect(payment["client_id"] == "harbor")
    }

    @Test func withoutAJobIDTheClientsNewestUnpaidJobIsPaid() throws {
        let tree = try TestTree.allocating()
        try tree.job("job-old", client: "harbor", tier: "ignition", now: "2026-11-20T09:00:00Z")
        try tree.job("job-new", client: "harbor", tier: "ignition", now: "2026-11-24T09:00:00Z")
        try tree.job("job-other", client: "other", tier: "ignition", now: "2026-11-25T09:00:00Z")
        #expect(try D.deliver(D.event(id: "evt_a", object: D.checkout()), to: tree).body["job_id"] == "job-new")
        #expect(try D.deliver(D.event(id: "evt_b", object: D.checkout()), to: tree).body["job_id"] == "job-old",
                "the newest is paid now, so the next unpaid one")
        let later = try D.deliver(D.event(id: "evt_c", type: "invoice.paid", object: [
            "object": "invoice", "amount_paid": 49_900, "currency": "aud",
            "subscription_details": ["metadata": ["client_id": "harbor"]],
        ]), to: tree)
        #expect(later == WebhookAnswer(status: 200, body: ["job_id": "job-new", "logged": true, "event_id": "evt_c"]))
        #expect(try tree.json("outbox/job-new/inputs/payment.json")["event_id"] == "evt_a", "the first paid event stays")
        #expect(try Self.eventCount(tree) == 3)
        #expect(!tree.exists("outbox/job-other/inputs/payment.json"))
    }

    @Test func theSameEventTwiceIsADuplicateAndChangesNothing() throws {
        let tree = try Self.treeWithJob()
        let body = D.event(object: D.checkout())
        #expect(try D.deliver(body, to: tree).status == 200)
        let written = try tree.snapshot(excluding: [])
        let again = try D.deliver(body, to: tree)
        #expect(again == WebhookAnswer(status: 200, body: ["duplicate": true]))
        #expect(try tree.snapshot(excluding: ["state/"]) == written.filter { !$0.key.hasPrefix("state/") })
        #expect(try Self.eventCount(tree) == 1)
    }

    @Test func oneEventDeliveredManyTimesAtOnceIsWrittenOnce() throws {
        let tree = try Self.treeWithJob()
        let body = D.event(object: D.checkout())
        let root = tree.root
        let answers = Locked([WebhookAnswer]())
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let answer = (try? StripeWebhook.receive(
                body: body, signature: D.signed(body), root: root, clock: D.clock, environment: ["STRIPE_WEBHOOK_SECRET": D.secret]))
                ?? WebhookAnswer(status: 500, body: nil)
            answers.withValue { $0.append(answer) }
        }
        let all = answers.current
        #expect(all.filter { $0.body["written"] != nil }.count == 1)
        #expect(all.filter { $0 == WebhookAnswer(status: 200, body: ["duplicate": true]) }.count == 7)
        #expect(try Self.eventCount(tree) == 1)
    }

    @Test func aJobIDOfAnotherClientsJobIs409AndWritesNothing() throws {
        let tree = try Self.treeWithJob("job-theirs", client: "someone-else")
        let answer = try D.deliver(D.event(object: D.checkout(client: "harbor", job: "job-theirs")), to: tree)
        #expect(answer.status == 409)
        #expect(answer.body["error"]?.stringValue?.contains("belongs to client someone-else, not harbor") == true, "\(answer.body)")
        #expect(!tree.exists("outbox/job-theirs/inputs/payment.json"))
        #expect(try Self.eventCount(tree) == 0)
        let unsafe = try D.deliver(D.event(id: "evt_2", object: D.checkout(job: "../../etc")), to: tree)
        #expect(unsafe.status == 400, "a job id that is no job id never names a folder")
    }

    @Test func aPaymentForAClientWithNoJobIsKeptAndWrittenIntoItsNextJobAtIntake() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(3))
        try tree.importPhones(TestTree.goodPhones(1))
        let kept = try D.deliver(D.event(id: "evt_early", object: D.checkout(client: "newcomer")), to: tree)
        #expect(kept.status == 202)
        #expect(kept.body["client_id"] == "newcomer")
        #expect(tree.jobIDs().isEmpty)
        let alongside = try D.deliver(D.event(id: "evt_invoice", type: "invoice.paid", object: [
            "object": "invoice", "amount_paid": 49_900, "subscription_details": ["metadata": ["client_id": "newcomer"]],
        ]), to: tree)
        #expect(alongside.status == 202)

        try tree.job("job-n", client: "newcomer", tier: "ignition")
        let payment = try tree.json("outbox/job-n/inputs/payment.json")
        #expect(payment["event_id"] == "evt_early")
        #expect(payment["client_id"] == "newcomer")
        #expect(payment["verified"] == true)
        #expect(try tree.stages("job-n")["allocate"] == "done", "the same run allocated")
        let intake = try tree.json("outbox/job-n/intake/stamp.json")
        #expect(intake["shared_state_read"]?["kept_payment_delivered"] == "evt_early", "the stamp says which kept payment it took")

        try tree.job("job-n2", client: "newcomer", tier: "ignition", now: "2026-11-28T09:00:00Z")
        #expect(!tree.exists("outbox/job-n2/inputs/payment.json"), "both kept events were the first job's signup")
    }

    @Test func aPaymentNamingAJobNotYetTakenInWaitsForThatJob() throws {
        let tree = try TestTree.allocating()
        try tree.importDomains(TestTree.goodDomains(3))
        try tree.importPhones(TestTree.goodPhones(1))
        let answer = try D.deliver(D.event(object: D.checkout(client: "harbor", job: "job-soon")), to: tree)
        #expect(answer.status == 202)
        #expect(answer.body["job_id"] == "job-soon")
        try tree.job("job-other", client: "harbor", tier: "ignition")
        #expect(!tree.exists("outbox/job-other/inputs/payment.json"), "it names another job")
        try tree.job("job-soon", client: "harbor", tier: "ignition")
        #expect(try tree.json("outbox/job-soon/inputs/payment.json")["event_id"] == "evt_1")
    }
}
