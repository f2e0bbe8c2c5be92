import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("onboard pay")
struct PayCommandTests {
    typealias D = StripeDelivery
    static let now = "2026-11-18T11:06:50Z"

    static func treeWithEvent(_ object: [String: JSONValue] = D.checkout(), type: String = "checkout.session.completed") throws -> (TestTree, Data) {
        let tree = try TestTree.allocating()
        try tree.job("job-a", client: "harbor", tier: "ignition")
        let body = D.event(type: type, object: object)
        try tree.write("event.json", String(decoding: body, as: UTF8.self))
        return (tree, body)
    }

    @Test func withTheSecretSetTheSignatureIsRequiredAndChecked() throws {
        let (tree, body) = try Self.treeWithEvent()
        let environment = ["STRIPE_WEBHOOK_SECRET": D.secret, "ONBOARD_NOW": Self.now]
        let unsigned = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path], environment: environment)
        #expect(unsigned.status == 1)
        #expect(unsigned.stderr.contains("--signature"), "\(unsigned.stderr)")
        let wrong = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path, "--signature", D.signed(body, secret: "whsec_x")],
                                     environment: environment)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("signature refused"))
        let late = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path, "--signature", D.signed(body)],
                                    environment: ["STRIPE_WEBHOOK_SECRET": D.secret, "ONBOARD_NOW": "2026-11-18T11:11:41Z"])
        #expect(late.status == 1)
        #expect(late.stderr.contains("301 s old"), "\(late.stderr)")
        #expect(!tree.exists("outbox/job-a/inputs/payment.json"))

        let good = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path, "--signature", D.signed(body)],
                                    environment: environment)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try tree.json("outbox/job-a/inputs/payment.json")["verified"] == true)
        let replay = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path, "--signature", D.signed(body)],
                                      environment: environment)
        #expect(replay.status == 0)
        #expect(replay.stdout.contains("already taken"))
    }

    @Test func withoutTheSecretTheEventIsRecordedUnverified() throws {
        let (tree, _) = try Self.treeWithEvent()
        let output = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("unverified"))
        let payment = try tree.json("outbox/job-a/inputs/payment.json")
        #expect(payment["verified"] == false)
        #expect(payment["paid_at"] == "2026-11-18T11:06:40Z", "the event's created time, not the clock")
        #expect(payment["source"] == "stripe")
    }

    @Test func anEventOfAnotherClientOrNotAPaymentIsRefusedAndWritesNothing() throws {
        for (object, type, words) in [
            (D.checkout(client: "someone-else"), "checkout.session.completed", "belongs to client harbor, not someone-else"),
            (D.checkout(status: "no_payment_required"), "checkout.session.completed", "not a payment"),
            (D.checkout(job: "job-b"), "checkout.session.completed", "is for job job-b, not job-a"),
            (["object": "subscription", "metadata": ["client_id": "harbor"]], "customer.subscription.created", "not a payment"),
        ] as [([String: JSONValue], String, String)] {
            let (tree, _) = try Self.treeWithEvent(object, type: type)
            let output = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path])
            #expect(output.status == 1)
            #expect(output.stderr.contains(words), "\(output.stderr)")
            #expect(!tree.exists("outbox/job-a/inputs/payment.json"))
        }
    }

    @Test func aManualPaymentNamesWhoConfirmedItAndIsTakenOnce() throws {
        let (tree, _) = try Self.treeWithEvent()
        let output = try tree.onboard(["pay", "job-a", "--manual", "--by", "Dana"], environment: ["ONBOARD_NOW": Self.now])
        #expect(output.status == 0, "\(output.stderr)")
        let payment = try tree.json("outbox/job-a/inputs/payment.json")
        #expect(payment["source"] == "manual")
        #expect(payment["confirmed_by"] == "Dana")
        #expect(payment["client_id"] == "harbor")
        #expect(payment["paid_at"] == .string(Self.now))
        #expect(try tree.onboard(["pay", "job-a", "--manual", "--by", "Dana"]).status == 1)
        let later = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path])
        #expect(later.status == 0)
        #expect(later.stdout.contains("already paid"))
        #expect(try tree.json("outbox/job-a/inputs/payment.json")["source"] == "manual")
        let usage = try tree.onboard(["pay", "job-a", "--event", tree.url("event.json").path, "--manual", "--by", "Dana"])
        #expect(usage.status != 0)
        #expect(usage.stderr.contains("either --event FILE or --manual"), "\(usage.stderr)")
        #expect(try tree.onboard(["pay", "no-such-job", "--manual", "--by", "Dana"]).status == 1)
    }
}
