import Foundation
import OnboardEngine

/// What else the site tells a seller (`enrich/intelligence.json`): proof points, testimonials,
/// reviews, social profiles and buying signals, each with the page it came from.
extension ReportBuilder {
    mutating func intelligence() {
        let intelligence = artifacts.json("enrich/intelligence.json")
        section("intelligence") { report in
            guard let intelligence else { return report.html.notYet("the enrich stage has not written enrich/intelligence.json") }
            report.list("Proof points", intelligence["proof_points"]) { point, line in
                line.text(point["text"]?.stringValue ?? HTMLWriter.plain(point))
                ReportBuilder.source(point["url"], into: &line)
            }
            report.list("Testimonials", intelligence["testimonials"]) { testimonial, line in
                line.element("q", text: testimonial["quote"]?.stringValue ?? "")
                let who = ["name", "title", "company"].compactMap { testimonial[$0]?.stringValue }.filter { !$0.isEmpty }
                if !who.isEmpty { line.text(" — \(who.joined(separator: ", "))") }
                ReportBuilder.source(testimonial["url"], into: &line)
            }
            report.html.element("h3", text: "Reviews")
            if let reviews = intelligence["reviews"], !reviews.isNull {
                let rating = reviews["rating_value"].map(HTMLWriter.plain) ?? "-"
                let count = reviews["review_count"].map(HTMLWriter.plain) ?? "-"
                report.html.element("p", text: "Rated \(rating) from \(count) reviews (the site's own structured data)")
            } else {
                report.html.element("p", ["class": "empty"], text: "none found")
            }
            report.list("Social profiles", intelligence["social_profiles"]) { profile, line in
                let url = profile["url"]?.stringValue ?? ""
                line.element("span", ["class": "tag"], text: profile["network"]?.stringValue ?? "profile")
                line.text(" ")
                line.link(HTMLWriter.safeHref(url), text: url)
            }
            report.list("Buying signals", intelligence["buying_signals"]) { signal, line in
                line.element("span", ["class": "tag"], text: signal["signal"]?.stringValue ?? "signal")
                line.text(" ")
                line.element("q", text: signal["quote"]?.stringValue ?? "")
                ReportBuilder.source(signal["url"], into: &line)
            }
        }
    }

    /// An `<h3>` and a list of the array's items, or "none found".
    mutating func list(_ title: String, _ value: JSONValue?, item: (JSONValue, inout HTMLWriter) -> Void) {
        html.element("h3", text: title)
        let items = value?.arrayValue ?? []
        guard !items.isEmpty else { return html.element("p", ["class": "empty"], text: "none found") }
        html.element("ul", ["class": "plain"]) { list in
            for entry in items { list.element("li") { item(entry, &$0) } }
        }
    }

    static func source(_ url: JSONValue?, into line: inout HTMLWriter) {
        guard let url = url?.stringValue, !url.isEmpty else { return }
        line.text(" ")
        line.element("span", ["class": "from"]) { $0.link(HTMLWriter.safeHref(url), text: pageName(url), title: url) }
    }
}
