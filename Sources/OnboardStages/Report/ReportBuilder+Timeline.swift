import Foundation
import OnboardEngine

/// The job's stages in pipeline order, from each stage's stamp.json (or error.json): status,
/// when, how long, which provider, what it cost.
extension ReportBuilder {
    struct StageRow {
        var name: String
        var status: String
        var started: String?
        var seconds: Double?
        var provider: String?
        var cost: Double?
        var note: String?
    }

    mutating func timeline(_ record: JSONValue?) {
        let names = stages + artifacts.extraStageFolders(known: Set(stages))
        let rows = names.map { stageRow($0, record: record) }
        section("timeline") { report in
            let longest = rows.compactMap(\.seconds).max() ?? 0
            report.html.element("table", ["class": "timeline"]) { table in
                table.raw("<thead><tr><th>Stage</th><th>Status</th><th>Started</th><th>Duration</th><th></th><th>Provider</th><th>Cost</th></tr></thead>\n<tbody>\n")
                for row in rows {
                    table.element("tr", ["class": ReportBuilder.statusClass(row.status)]) { line in
                        line.element("td", text: row.name)
                        line.element("td") { cell in
                            cell.element("span", ["class": "status \(ReportBuilder.statusClass(row.status))"], text: row.status)
                            if let note = row.note { cell.element("div", ["class": "note"], text: note) }
                        }
                        line.element("td", text: row.started ?? "-")
                        line.element("td", ["class": "num"], text: row.seconds.map(ReportNumber.duration) ?? "-")
                        line.element("td") { cell in
                            if let seconds = row.seconds, longest > 0 {
                                cell.raw(SVGChart.meter(fraction: seconds / longest, width: 120, label: "\(row.name) duration"))
                            }
                        }
                        line.element("td", text: row.provider ?? "-")
                        line.element("td", ["class": "num"], text: row.cost.map(ReportNumber.usd) ?? "-")
                    }
                    table.raw("\n")
                }
                let total = rows.compactMap(\.seconds).reduce(0, +)
                let cost = rows.compactMap(\.cost).reduce(0, +)
                table.raw("</tbody>\n<tfoot><tr><td>all stages</td><td></td><td></td>")
                table.element("td", ["class": "num"], text: ReportNumber.duration(total))
                table.raw("<td></td><td></td>")
                table.element("td", ["class": "num"], text: ReportNumber.usd(cost))
                table.raw("</tr></tfoot>\n")
            }
        }
    }

    private mutating func stageRow(_ name: String, record: JSONValue?) -> StageRow {
        var row = StageRow(name: name, status: "not yet")
        if let stamp = artifacts.json("\(name)/stamp.json") {
            row.status = "done"
            row.started = stamp["started_at"]?.stringValue
            row.seconds = stamp["seconds"]?.doubleValue
            row.provider = [stamp["provider"]?.stringValue, stamp["model"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
            if row.provider?.isEmpty == true { row.provider = nil }
            row.cost = stamp["cost_usd"]?.doubleValue
            if let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue), !warnings.isEmpty {
                row.note = "warnings: " + warnings.joined(separator: "; ")
            }
        }
        if let error = artifacts.json("\(name)/error.json") {
            row.status = error["waiting"]?.boolValue == true ? "waiting" : "failed"
            row.note = error["error"]?.stringValue
            row.started = row.started ?? error["failed_at"]?.stringValue
        } else if row.status == "not yet" {
            if record?["status"]?.stringValue == "running" && record?["current_step"]?.stringValue == name {
                row.status = "running"
            } else if let input = Self.personInputs[name], !artifacts.exists("inputs/\(input)") {
                row.note = "waits for inputs/\(input)"
            }
        }
        return row
    }

    /// The stages that wait for a file a person (or billing) adds.
    static let personInputs = ["confirm": "confirm.json", "allocate": "payment.json"]
}
