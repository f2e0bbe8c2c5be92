import Foundation
import OnboardEngine

/// The drafted campaigns (`campaigns/campaigns.json`): their share of the leads and their
/// sequences step by step.
extension ReportBuilder {
    mutating func campaigns() {
        let document = artifacts.json("campaigns/campaigns.json")
        section("campaigns") { report in
            guard let document else { return report.html.notYet("the campaigns stage has not written campaigns/campaigns.json") }
            let campaigns = document["campaigns"]?.arrayValue ?? []
            guard !campaigns.isEmpty else { return report.html.element("p", ["class": "empty"], text: "no campaigns drafted") }
            let parts = campaigns.map {
                SVGChart.Bar(label: $0["name"]?.stringValue ?? $0["id"]?.stringValue ?? "campaign", count: Int($0["allocation_pct"]?.doubleValue ?? 0))
            }
            report.html.raw(SVGChart.split(parts, title: "Allocation of leads by campaign"))
            for campaign in campaigns {
                report.html.element("article", ["class": "campaign"]) { card in
                    card.element("h3") { title in
                        title.text(campaign["name"]?.stringValue ?? "campaign")
                        title.text(" ")
                        title.element("span", ["class": "tag"], text: campaign["status"]?.stringValue ?? "-")
                    }
                    card.element("dl", ["class": "facts"]) { list in
                        list.fact("Id", campaign["id"]?.stringValue)
                        list.fact("Allocation", campaign["allocation_pct"].map { "\(HTMLWriter.plain($0)) %" })
                        list.fact("Segment") { $0.value(campaign["segment"] ?? .null) }
                    }
                    let steps = campaign["sequence"]?.arrayValue ?? []
                    guard !steps.isEmpty else { return card.element("p", ["class": "empty"], text: "no sequence") }
                    card.element("table", ["class": "sequence"]) { table in
                        table.raw("<tr><th>Step</th><th>Channel</th><th>Day</th><th>Message</th></tr>")
                        for step in steps {
                            table.element("tr") { line in
                                line.element("td", ["class": "num"], text: step["step"].map(HTMLWriter.plain) ?? "-")
                                line.element("td", text: step["channel"]?.stringValue ?? "-")
                                line.element("td", ["class": "num"], text: step["delay_days"].map { "+\(HTMLWriter.plain($0))" } ?? "-")
                                line.element("td") { cell in
                                    if let subject = step["subject"]?.stringValue, !subject.isEmpty {
                                        cell.element("div", ["class": "subject"], text: subject)
                                    }
                                    cell.element("div", ["class": "body"], text: step["body"]?.stringValue ?? "")
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
