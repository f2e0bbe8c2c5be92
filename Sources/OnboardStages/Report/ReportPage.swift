import Foundation
import OnboardEngine

/// `report.html`: the page a reviewer reads for one job, built only from the job's artifacts.
/// One self-contained file (inline CSS and SVG, no script, nothing fetched), every stage
/// optional, and the same artifacts always give the same bytes.
public enum ReportPage {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `stages` is the tree's pipeline order, which the timeline follows.
    public static func render(job: URL, stages: [String] = OnboardingProfile.stageNames) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: job.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "\(job.path): no such job folder")
        }
        var builder = ReportBuilder(artifacts: JobArtifacts(folder: job), jobID: job.lastPathComponent, stages: stages)
        return Data(builder.page().utf8)
    }

    /// Renders the page and puts it at `<job>/report.html` in one rename.
    @discardableResult
    public static func write(job: URL, stages: [String] = OnboardingProfile.stageNames) throws -> URL {
        let target = job.appendingPathComponent("report.html")
        try AtomicFile.write(try render(job: job, stages: stages), to: target)
        return target
    }
}

/// Assembles the sections; each lives in its own file as an extension.
struct ReportBuilder {
    var artifacts: JobArtifacts
    let jobID: String
    let stages: [String]
    var html = HTMLWriter()

    static let sections: [(id: String, title: String)] = [
        ("timeline", "Timeline"), ("icp", "Ideal customer profile"), ("intelligence", "Intelligence"),
        ("resources", "Resources"), ("campaigns", "Campaigns"), ("leads", "Leads"),
    ]

    mutating func page() -> String {
        let record = artifacts.json("job.json")
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        // Nothing on this page is ever fetched or run, whatever a scraped quote might contain.
        html.raw(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.element("title", text: "Onboarding report: \(jobID)")
        html.raw("\n<style>\n\(ReportStyle.css)</style>\n</head>\n<body>\n")
        header(record)
        html.element("nav") { nav in
            nav.element("ul") { list in
                for section in Self.sections {
                    list.element("li") { $0.link("#\(section.id)", text: section.title) }
                }
            }
        }
        html.raw("\n<main>\n")
        timeline(record)
        icp()
        intelligence()
        resources()
        campaigns()
        leads()
        problems()
        html.raw("</main>\n</body>\n</html>\n")
        return html.output
    }

    mutating func section(_ id: String, _ body: (inout ReportBuilder) -> Void) {
        html.open("section", ["id": id])
        html.element("h2", text: Self.sections.first { $0.id == id }?.title ?? id)
        body(&self)
        html.raw("</section>\n")
    }

    private mutating func header(_ record: JSONValue?) {
        html.element("header") { out in
            out.element("h1") { title in
                title.text("Onboarding report ")
                title.element("span", ["class": "job"], text: jobID)
            }
            guard let record else { return out.notYet("job.json (the job has no record yet)") }
            out.element("dl", ["class": "facts"]) { list in
                let status = record["status"]?.stringValue ?? "unknown"
                list.fact("Status") { $0.element("span", ["class": "status \(ReportBuilder.statusClass(status))"], text: status) }
                list.fact("Client", record["client_id"]?.stringValue)
                list.fact("Website") { $0.link(HTMLWriter.safeHref(record["website_url"]?.stringValue ?? ""), text: record["website_url"]?.stringValue ?? "-") }
                let done = record["completed_steps"]?.intValue ?? 0
                let total = record["total_steps"]?.intValue ?? 0
                list.fact("Steps", "\(done) of \(total) done" + (record["current_step"]?.stringValue.map { ", now \($0)" } ?? ""))
                list.fact("Created", record["created_at"]?.stringValue)
                list.fact("Started", record["started_at"]?.stringValue)
                list.fact("Completed", record["completed_at"]?.stringValue)
                if let error = record["error_message"]?.stringValue { list.fact("Error", error) }
            }
        }
        html.raw("\n")
    }

    static func statusClass(_ status: String) -> String {
        switch status {
        case "done", "completed", "paid": return "ok"
        case "failed": return "bad"
        case "waiting", "running", "stale", "modified": return "wait"
        default: return "none"
        }
    }

    private mutating func problems() {
        guard !artifacts.problems.isEmpty else { return }
        html.open("section", ["id": "problems"])
        html.element("h2", text: "Files that could not be read")
        html.element("ul") { list in
            for problem in artifacts.problems { list.element("li", text: problem) }
        }
        html.raw("</section>\n")
    }
}

extension HTMLWriter {
    /// One `<dt>`/`<dd>` pair; a missing value shows as a dash.
    mutating func fact(_ name: String, _ value: String?) {
        element("dt", text: name)
        element("dd", text: value ?? "-")
    }

    mutating func fact(_ name: String, _ body: (inout HTMLWriter) -> Void) {
        element("dt", text: name)
        element("dd", [:], body)
    }

    /// Any JSON value as nested lists, keys in order: for the parts of artifacts whose shape
    /// the report does not fix (a campaign's segment, pool levels, summaries).
    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: text("-")
        case .bool(let flag): text(flag ? "yes" : "no")
        case .int(let number): text(String(number))
        case .double(let number): text(ReportNumber.short(number))
        case .string(let string): text(string)
        case .array(let items):
            if items.isEmpty { return text("none") }
            if items.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) {
                return text(items.map(Self.plain).joined(separator: ", "))
            }
            element("ul") { list in
                for item in items { list.element("li") { $0.value(item) } }
            }
        case .object(let members):
            if members.isEmpty { return text("-") }
            element("dl", ["class": "nested"]) { list in
                for key in members.keys.sorted() { list.fact(key) { $0.value(members[key]!) } }
            }
        }
    }

    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .bool(let flag): return flag ? "yes" : "no"
        case .int(let number): return String(number)
        case .double(let number): return ReportNumber.short(number)
        case .string(let string): return string
        default: return CanonicalJSON.compactString(value)
        }
    }
}
