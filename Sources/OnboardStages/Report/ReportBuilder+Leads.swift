import Foundation
import OnboardEngine

/// The sourced leads (`leads/leads.csv`) as charts by industry, title, company size, location
/// and score, and how `assign/assignments.csv` spread them over the campaigns.
extension ReportBuilder {
    static let sizeBands: [(upTo: Int, label: String)] = [
        (10, "1–10"), (50, "11–50"), (200, "51–200"), (500, "201–500"), (1_000, "501–1,000"), (5_000, "1,001–5,000"),
        (Int.max, "5,001+"),
    ]

    /// A weight as summary.json holds it: a whole number, or one with a fraction.
    static func weight(_ value: JSONValue) -> String {
        if let whole = value.intValue { return String(whole) }
        return value.doubleValue.map { ReportNumber.fixed($0, decimals: 2) } ?? "?"
    }

    mutating func leads() {
        let table = artifacts.csv("leads/leads.csv")
        let summary = artifacts.json("leads/summary.json")
        let assignments = artifacts.csv("assign/assignments.csv")
        let assignSummary = artifacts.json("assign/summary.json")
        let campaigns = artifacts.json("campaigns/campaigns.json")?["campaigns"]?.arrayValue ?? []
        section("leads") { report in
            guard let table else { return report.html.notYet("the leads stage has not written leads/leads.csv") }
            report.html.element("p", text: "\(ReportNumber.grouped(table.rows.count)) leads sourced, scored and deduplicated.")
            if let weights = summary?["als_weights"]?.objectValue, !weights.isEmpty {
                let listed = weights.keys.sorted().map { "\($0) \(ReportBuilder.weight(weights[$0]!))" }.joined(separator: ", ")
                let source = summary?["als_weights_source"]?.stringValue.map { " (from \($0))" } ?? ""
                report.html.element("p", text: "Scored with the weights \(listed)\(source).")
            }
            if let summary {
                report.html.element("details") { details in
                    details.element("summary", text: "leads/summary.json")
                    details.value(summary)
                }
            }
            report.html.element("div", ["class": "charts"]) { charts in
                charts.raw(SVGChart.bars(SVGChart.tally(table.rows.map { table.value($0, table.column("Industry")) }), title: "By industry"))
                charts.raw(SVGChart.bars(SVGChart.tally(table.rows.map { table.value($0, table.column("Title")) }), title: "By title"))
                charts.raw(SVGChart.bars(ReportBuilder.sizes(table), title: "By company size (employees)"))
                charts.raw(SVGChart.bars(SVGChart.tally(table.rows.map { ReportBuilder.location($0, table) }), title: "By location"))
                charts.raw(SVGChart.columns(ReportBuilder.scoreBins(table), title: "Score"))
                if let assignments {
                    charts.raw(SVGChart.bars(ReportBuilder.perCampaign(assignments, campaigns: campaigns), title: "Per campaign"))
                }
            }
            if assignments == nil { report.html.notYet("the assign stage has not written assign/assignments.csv") }
            if let assignSummary {
                report.html.element("details") { details in
                    details.element("summary", text: "assign/summary.json")
                    details.value(assignSummary)
                }
            }
            report.topLeads(table)
        }
    }

    private mutating func topLeads(_ table: CSVTable) {
        let score = table.column("score")
        let scores = table.rows.map { Int(table.value($0, score)) ?? -1 }
        let ranked = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            .prefix(10).map { table.rows[$0] }
        guard !ranked.isEmpty else { return }
        html.element("h3", text: "Highest scored")
        html.element("table", ["class": "leads"]) { out in
            out.raw("<tr><th>Score</th><th>Name</th><th>Title</th><th>Company</th><th>Industry</th><th>Why</th></tr>")
            for row in ranked {
                out.element("tr") { line in
                    line.element("td", ["class": "num"], text: table.value(row, score))
                    let name = [table.value(row, table.column("First Name")), table.value(row, table.column("Last Name"))]
                        .filter { !$0.isEmpty }.joined(separator: " ")
                    line.element("td", text: name)
                    line.element("td", text: table.value(row, table.column("Title")))
                    line.element("td", text: table.value(row, table.column("Company")))
                    line.element("td", text: table.value(row, table.column("Industry")))
                    line.element("td", ["class": "note"], text: table.value(row, table.column("score_reasons")))
                }
            }
        }
    }

    static func sizes(_ table: CSVTable) -> [SVGChart.Bar] {
        let column = table.column("# Employees")
        var counts = [Int](repeating: 0, count: sizeBands.count)
        var unknown = 0
        for row in table.rows {
            let digits = table.value(row, column).filter(\.isNumber)
            guard let employees = Int(digits), employees > 0 else {
                unknown += 1
                continue
            }
            counts[sizeBands.firstIndex { employees <= $0.upTo }!] += 1
        }
        var bars = zip(sizeBands, counts).filter { $0.1 > 0 }.map { SVGChart.Bar(label: $0.0.label, count: $0.1) }
        if unknown > 0 { bars.append(SVGChart.Bar(label: "unknown", count: unknown)) }
        return bars
    }

    static func location(_ row: [String], _ table: CSVTable) -> String {
        let state = table.value(row, table.column("State"))
        let country = table.value(row, table.column("Country"))
        let city = table.value(row, table.column("City"))
        if !state.isEmpty { return country.isEmpty ? state : "\(state), \(country)" }
        return country.isEmpty ? city : country
    }

    static func scoreBins(_ table: CSVTable) -> [SVGChart.Bar] {
        let column = table.column("score")
        var counts = [Int](repeating: 0, count: 10)
        for row in table.rows {
            guard let score = Double(table.value(row, column)), score.isFinite else { continue }
            counts[min(9, max(0, Int(score) / 10))] += 1
        }
        return counts.enumerated().map { SVGChart.Bar(label: $0.offset == 9 ? "90–100" : "\($0.offset * 10)–\($0.offset * 10 + 9)", count: $0.element) }
    }

    /// Assigned leads by campaign, in the order campaigns.json lists them, named as it names them.
    static func perCampaign(_ assignments: CSVTable, campaigns: [JSONValue]) -> [SVGChart.Bar] {
        let column = assignments.column("campaign_id")
        var counts: [String: Int] = [:]
        for row in assignments.rows { counts[assignments.value(row, column), default: 0] += 1 }
        var bars: [SVGChart.Bar] = []
        for campaign in campaigns {
            guard let id = campaign["id"]?.stringValue else { continue }
            bars.append(SVGChart.Bar(label: campaign["name"]?.stringValue ?? id, count: counts.removeValue(forKey: id) ?? 0))
        }
        for id in counts.keys.sorted() { bars.append(SVGChart.Bar(label: id.isEmpty ? "(none)" : id, count: counts[id]!)) }
        return bars
    }
}
