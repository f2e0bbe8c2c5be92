import Foundation
import OnboardEngine

/// A Stripe event envelope, read after its signature was checked (or taken unsigned by `onboard pay`).
struct StripeEvent: Sendable {
    struct NotAnEvent: Error, CustomStringConvertible {
        let description: String
    }

    let id: String
    let type: String
    let created: Int64
    let livemode: Bool
    /// `data.object`: the session or invoice the event is about.
    let object: JSONValue

    static let paymentTypes: Set<String> = [
        "checkout.session.completed", "checkout.session.async_payment_succeeded", "invoice.paid", "invoice.payment_succeeded",
    ]

    init(parsing data: Data) throws(NotAnEvent) {
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch { throw NotAnEvent(description: "the body is not JSON") }
        guard let members = value.objectValue else { throw NotAnEvent(description: "the body is not a JSON object") }
        if let kind = members["object"], kind != "event" {
            throw NotAnEvent(description: "object is \(CanonicalJSON.compactString(kind)), not \"event\"")
        }
        guard let id = members["id"]?.stringValue, !id.isEmpty else { throw NotAnEvent(description: "id: missing (a Stripe event has an evt_ id)") }
        guard let type = members["type"]?.stringValue, !type.isEmpty else { throw NotAnEvent(description: "type: missing") }
        guard let created = members["created"]?.intValue else { throw NotAnEvent(description: "created: missing or not a unix time") }
        guard let object = members["data"]?["object"], object.objectValue != nil else {
            throw NotAnEvent(description: "data.object: missing or not an object")
        }
        if let mode = members["livemode"], mode.boolValue == nil { throw NotAnEvent(description: "livemode: not true or false") }
        self.id = id
        self.type = type
        self.created = created
        self.livemode = members["livemode"]?.boolValue ?? false
        self.object = object
    }

    /// The client the event is for: `client_reference_id`, `metadata.client_id`, or for invoices the
    /// subscription's metadata (`subscription_details`, or `parent.subscription_details` in newer API versions).
    var clientID: String? { firstString(["client_reference_id"], ["metadata", "client_id"], ["subscription_details", "metadata", "client_id"],
                                        ["parent", "subscription_details", "metadata", "client_id"]) }

    var jobID: String? { firstString(["metadata", "job_id"], ["subscription_details", "metadata", "job_id"],
                                     ["parent", "subscription_details", "metadata", "job_id"]) }

    private func firstString(_ paths: [String]...) -> String? {
        for path in paths {
            var current: JSONValue? = object
            for key in path { current = current?[key] }
            if let text = current?.stringValue, !text.isEmpty { return text }
        }
        return nil
    }

    /// Nil when the event says the client paid; otherwise why it is not a payment.
    func notPaidReason(livePaymentsOnly: Bool) -> String? {
        switch type {
        case "checkout.session.completed":
            let status = object["payment_status"]?.stringValue ?? "missing"
            if status == "no_payment_required" {
                return "checkout.session.completed with payment_status no_payment_required (a trial or a full discount) is not a payment"
            }
            if status != "paid" {
                return "checkout.session.completed with payment_status \(status) is not paid (checkout.session.async_payment_succeeded follows when it is)"
            }
        case "customer.subscription.created":
            return "customer.subscription.created is not a payment (the subscription may still be incomplete or trialing)"
        case let other where !Self.paymentTypes.contains(other):
            return "\(other) is not a payment event"
        default:
            break
        }
        if livePaymentsOnly && !livemode {
            return "a test-mode event (livemode false) while settings.live_payments_only is true"
        }
        return nil
    }

    /// `inputs/payment.json` for this event, paid by `client`; the time is the event's own.
    func payment(client: String?, verified: Bool) -> JSONValue {
        let amount = object["amount_total"]?.intValue ?? object["amount_paid"]?.intValue
        return [
            "event_id": .string(id), "type": .string(type), "client_id": client.map(JSONValue.string) ?? .null,
            "amount_total": amount.map { .int($0) } ?? .null, "currency": object["currency"]?.stringValue.map(JSONValue.string) ?? .null,
            "livemode": .bool(livemode), "verified": .bool(verified),
            "paid_at": .string(RFC3339.format(Date(timeIntervalSince1970: TimeInterval(created)))), "source": "stripe",
        ]
    }
}
