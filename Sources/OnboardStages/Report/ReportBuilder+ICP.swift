import Foundation
import OnboardEngine

/// The ICP as far as the job has got (confirmed, else enriched, else first extracted), each item
/// with its confidence and the quotes that support it, linked to the page as it was scraped.
extension ReportBuilder {
    static let icpSources = ["confirm/icp.json", "enrich/icp.json", "icp/icp.json"]
    static let icpFields: [(key: String, title: String)] = [
        ("company_description", "Company"), ("value_proposition", "Value proposition"), ("services_offered", "Services"),
        ("icp_industries", "Industries"), ("icp_titles", "Buyer titles"), ("icp_company_sizes", "Company sizes"),
        ("icp_locations", "Locations"), ("icp_pain_points", "Pain points"),
    ]

    mutating func icp() {
        let found = Self.icpSources.first { artifacts.exists($0) }
        let document = found.flatMap { artifacts.json($0) }
        let pages = scrapedPages()
        let confidence = artifacts.json("enrich/confidence.json")
        section("icp") { report in
            guard let found, let document else { return report.html.notYet("the icp stage has not written icp/icp.json") }
            report.html.element("p", ["class": "source"]) { line in
                if found == "confirm/icp.json" {
                    line.text("Confirmed")
                    if let by = document["confirmed_by"]?.stringValue { line.text(" by \(by)") }
                    if let at = document["icp_confirmed_at"]?.stringValue { line.text(" at \(at)") }
                    line.text(" (\(found)).")
                } else {
                    line.text("Not confirmed yet: extracted ICP from \(found).")
                }
            }
            if let confidence, let score = confidence["score"]?.intValue {
                report.html.element("div", ["class": "score"]) { block in
                    block.element("strong", text: "Confidence \(score)/100 ")
                    block.raw(SVGChart.meter(fraction: Double(score) / 100, width: 200, label: "ICP confidence \(score)"))
                    if let breakdown = confidence["breakdown"]?.objectValue, !breakdown.isEmpty {
                        block.element("ul", ["class": "breakdown"]) { list in
                            for key in breakdown.keys.sorted() {
                                let points = breakdown[key]?["points"].map(HTMLWriter.plain) ?? "-"
                                let weight = breakdown[key]?["weight"].map(HTMLWriter.plain) ?? "-"
                                list.element("li", text: "\(key): \(points) of \(weight)")
                            }
                        }
                    }
                }
            }
            for field in Self.icpFields {
                let value = document[field.key]
                let items = value?.arrayValue ?? (value?.objectValue != nil ? [value!] : [])
                report.html.element("h3", text: field.title)
                if items.isEmpty {
                    report.html.element("p", ["class": "empty"], text: "none found")
                    continue
                }
                report.html.element("ul", ["class": "items"]) { list in
                    for item in items { ReportBuilder.icpItem(item, pages: pages, into: &list) }
                }
            }
        }
    }

    private static func icpItem(_ item: JSONValue, pages: [String: String], into list: inout HTMLWriter) {
        list.element("li") { entry in
            let confidence = item["confidence"]?.intValue ?? 0
            entry.element("div", ["class": "item"]) { head in
                head.element("span", ["class": "value"], text: item["value"]?.stringValue ?? HTMLWriter.plain(item))
                head.raw(SVGChart.meter(fraction: Double(confidence) / 100, width: 100, label: "confidence \(confidence)"))
                head.element("span", ["class": "conf"], text: "\(confidence)")
            }
            let evidence = item["evidence"]?.arrayValue ?? []
            guard !evidence.isEmpty else { return }
            entry.element("ul", ["class": "evidence"]) { quotes in
                for proof in evidence {
                    quotes.element("li") { line in
                        let url = proof["url"]?.stringValue ?? ""
                        line.element("q", text: proof["quote"]?.stringValue ?? "")
                        line.text(" ")
                        line.link(pages[url] ?? HTMLWriter.safeHref(url), text: ReportBuilder.pageName(url), title: url)
                        if proof["inferred"]?.boolValue == true { line.element("span", ["class": "tag"], text: "inferred") }
                    }
                }
            }
        }
    }

    /// The saved copy of each scraped page (by its URL and final URL), as a link relative to
    /// the job folder, so a quote opens the page as it was fetched.
    mutating func scrapedPages() -> [String: String] {
        guard let pages = artifacts.json("scrape/pages.json") else { return [:] }
        let entries = pages.arrayValue ?? pages["pages"]?.arrayValue ?? []
        var links: [String: String] = [:]
        for page in entries {
            guard let file = page["file"]?.stringValue, Self.isSafeRelativePath(file) else { continue }
            let path = file.hasPrefix("scrape/") ? file : "scrape/\(file)"
            for key in ["url", "final_url"] {
                if let url = page[key]?.stringValue, links[url] == nil { links[url] = path }
            }
        }
        return links
    }

    /// A path inside the job folder, written with nothing a browser could read otherwise.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count <= 512 else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return false }
        return path.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-_./".unicodeScalars.contains(scalar)
        }
    }

    /// `https://example.com/services.html` → `/services.html`, what a reader needs to tell pages apart.
    static func pageName(_ url: String) -> String {
        guard let components = URLComponents(string: url), components.host != nil else { return url.isEmpty ? "page" : url }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return SVGChart.shortened(path, 60)
    }
}
