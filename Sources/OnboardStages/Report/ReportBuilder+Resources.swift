import Foundation
import OnboardEngine

/// What the client holds from the pool (`allocate/allocations.json`), the pool's alerts
/// (`allocate/alerts.json`) and the payment that unlocked them (`inputs/payment.json`).
extension ReportBuilder {
    mutating func resources() {
        let payment = artifacts.json("inputs/payment.json")
        let allocations = artifacts.json("allocate/allocations.json")
        let alerts = artifacts.json("allocate/alerts.json")
        section("resources") { report in
            report.html.element("h3", text: "Payment")
            if let payment {
                report.html.element("dl", ["class": "facts"]) { list in
                    list.fact("Source", payment["source"]?.stringValue)
                    list.fact("Event", [payment["type"]?.stringValue, payment["event_id"]?.stringValue].compactMap { $0 }.joined(separator: " "))
                    if let amount = payment["amount_total"]?.intValue {
                        list.fact("Amount", "\(ReportNumber.fixed(Double(amount) / 100, decimals: 2)) \(payment["currency"]?.stringValue?.uppercased() ?? "")")
                    }
                    list.fact("Paid at", payment["paid_at"]?.stringValue)
                    list.fact("Verified", payment["verified"]?.boolValue.map { $0 ? "yes (signature checked)" : "no (unsigned)" })
                    if payment["livemode"]?.boolValue == false { list.fact("Mode", "test") }
                }
            } else {
                report.html.notYet("no payment recorded (inputs/payment.json)")
            }
            guard let allocations else {
                return report.html.notYet("the allocate stage has not written allocate/allocations.json")
            }
            report.html.element("p", text: "Tier \(allocations["tier"]?.stringValue ?? "-"), LinkedIn seats (client-provided): \(allocations["linkedin_seats"].map(HTMLWriter.plain) ?? "-")")
            report.table(
                "Email domains", allocations["email_domains"], columns: [("domain", "Domain"), ("warmup_days", "Warm-up days"), ("health_score", "Health")])
            report.table("Phone numbers", allocations["phones"], columns: [("number", "Number"), ("country", "Country"), ("health_score", "Health")])
            if let levels = allocations["pool_levels"], !levels.isNull {
                report.html.element("h3", text: "Pool levels")
                report.html.value(levels)
            }
            report.html.element("h3", text: "Pool alerts")
            let list = alerts?.arrayValue ?? []
            if list.isEmpty {
                report.html.element("p", ["class": "empty"], text: alerts == nil ? "not yet: allocate/alerts.json" : "none: every buffer is above its threshold")
            } else {
                report.html.element("ul", ["class": "alerts"]) { items in
                    for alert in list {
                        let buffer = alert["buffer"]?.doubleValue.map { "\(ReportNumber.fixed($0 * 100, decimals: 0)) %" } ?? "-"
                        let threshold = alert["threshold"]?.doubleValue.map { "\(ReportNumber.fixed($0 * 100, decimals: 0)) %" } ?? "-"
                        items.element("li", text: "\(alert["kind"]?.stringValue ?? "resource"): buffer \(buffer), below the threshold of \(threshold)")
                    }
                }
            }
        }
    }

    /// A table of an array of objects, the given keys as columns.
    mutating func table(_ title: String, _ value: JSONValue?, columns: [(key: String, title: String)]) {
        html.element("h3", text: title)
        let rows = value?.arrayValue ?? []
        guard !rows.isEmpty else { return html.element("p", ["class": "empty"], text: "none") }
        html.element("table") { table in
            table.element("tr") { head in
                for column in columns { head.element("th", text: column.title) }
            }
            for row in rows {
                table.element("tr") { line in
                    for column in columns { line.element("td", text: row[column.key].map(HTMLWriter.plain) ?? "-") }
                }
            }
        }
    }
}
