import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("report.html")
struct ReportTests {
    static func folder(_ name: String = ReportFixture.job) throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-report-\(UUID().uuidString.prefix(8))")
        let folder = base.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func page(_ folder: URL) throws -> String {
        String(decoding: try ReportPage.render(job: folder), as: UTF8.self)
    }

    /// Every href of the page.
    static func hrefs(_ html: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    static let ownTags: Set<String> = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "span", "dl", "dt", "dd", "nav", "ul",
        "li", "a", "main", "section", "p", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "div", "svg", "rect", "text", "strong",
        "q", "article", "details", "summary",
    ]

    /// The name after every `<` of the page: text that was escaped has no `<` left to find.
    static func tagNames(_ html: String) -> [String] {
        html.components(separatedBy: "<").dropFirst().map { piece in
            String(piece.drop { $0 == "/" }.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }).lowercased()
        }
    }

    @Test func hostileTextIsShownAsTextAndNeverBecomesMarkupOrALink() throws {
        let folder = try Self.folder()
        try ReportFixture.writeCompleted(into: folder)
        let html = try Self.page(folder)
        #expect(!html.contains("<script"), "no script element, from any artifact")
        let tags = Set(Self.tagNames(html))
        #expect(tags.isSubset(of: Self.ownTags), "only the report's own elements: \(tags.subtracting(Self.ownTags))")
        #expect(html.range(of: #"<[^>]*\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]) == nil, "no event attribute inside any tag")
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        let links = Self.hrefs(html)
        #expect(!links.isEmpty)
        for link in links {
            #expect(link.hasPrefix("https://") || link.hasPrefix("http://") || link.hasPrefix("#") || link.hasPrefix("scrape/pages/"), "\(link)")
            #expect(!link.contains(".."), "\(link)")
        }
        #expect(!html.contains("javascript:alert(2)\""), "a javascript: source stays text")
        #expect(html.contains("Content-Security-Policy"), "the page forbids fetching and scripts itself")
    }

    @Test func theSameArtifactsGiveTheSameBytesWhereverTheFolderIs() throws {
        let first = try Self.folder()
        let second = try Self.folder()
        try ReportFixture.writeCompleted(into: first)
        try ReportFixture.writeCompleted(into: second)
        let page = try ReportPage.render(job: first)
        #expect(try ReportPage.render(job: first) == page)
        #expect(try ReportPage.render(job: second) == page)
        try Data("{}".utf8).write(to: second.appendingPathComponent("assign/summary.json"))
        #expect(try ReportPage.render(job: second) != page, "a changed artifact changes the page")
    }

    @Test func everySectionShowsItsArtifacts() throws {
        let folder = try Self.folder()
        try ReportFixture.writeCompleted(into: folder)
        let html = try Self.page(folder)
        for id in ["timeline", "icp", "intelligence", "resources", "campaigns", "leads"] {
            #expect(html.contains("<section id=\"\(id)\">"), "\(id)")
        }
        // Timeline: every stage with its duration, provider and cost; total cost.
        #expect(html.contains("<td>complete</td>"))
        #expect(html.contains("5.75 s"), "complete took 11 × 0.5 + 0.25 s")
        #expect(html.contains("$0.0125"))
        #expect(!html.contains("not yet"), "a completed job has every section")
        // ICP: confirmed, confidence bars, evidence quote linked to the saved page.
        #expect(html.contains("Confirmed by Dana Reviewer at 2026-11-25T10:00:00Z"))
        #expect(html.contains("aria-label=\"confidence 88\""))
        #expect(html.contains("<q>we only work with dental practices</q> <a href=\"scrape/pages/002-services.html\" title=\"https://harbordental.example/services.html\">/services.html</a>"))
        #expect(html.contains("Confidence 74/100"))
        #expect(html.contains(">inferred<"))
        // Intelligence.
        #expect(html.contains("Over 120 practices served"))
        #expect(html.contains("They filled our book"))
        #expect(html.contains("Rated 4.8 from 37 reviews"))
        #expect(html.contains("href=\"https://www.linkedin.com/company/harbor-dental\""))
        #expect(html.contains("we&#39;re hiring two coordinators"))
        // Resources and alerts.
        #expect(html.contains("mail-harbor.example"))
        #expect(html.contains("+61290001111"))
        #expect(html.contains("domains: buffer 25 %, below the threshold of 40 %"))
        #expect(html.contains("1499.00 AUD"))
        // Campaigns with their sequences.
        #expect(html.contains("Dental owners AU"))
        #expect(html.contains("Empty chairs?"))
        #expect(html.contains("Allocation of leads by campaign"))
        // Leads: the charts, counted from the CSV (quoted commas and quotes included).
        for chart in ["By industry", "By title", "By company size (employees)", "By location", "Score", "Per campaign"] {
            #expect(html.contains("<title>\(chart)</title>"), "\(chart)")
        }
        #expect(html.contains("4 leads sourced"))
        #expect(html.contains(">NSW, Australia</text>"))
        #expect(html.contains(">1,001–5,000</text>"), "\"1,200\" employees is one quoted field")
        #expect(html.contains(">Bright, Teeth<"))
        #expect(html.contains(">Cara &quot;CJ&quot; Jones<"))
        #expect(html.contains(">c9</text>"), "an assignment to a campaign campaigns.json lacks is still counted")
    }

    @Test func aJobWithNothingYetShowsNotYetInEverySection() throws {
        let folder = try Self.folder()
        let bare = try Self.page(folder)
        #expect(bare.contains("not yet: job.json"))
        try Data(#"{"job_id": "harbor-dental-0123456789", "status": "pending", "completed_steps": 0, "total_steps": 12}"#.utf8)
            .write(to: folder.appendingPathComponent("job.json"))
        let html = try Self.page(folder)
        for artifact in ["icp/icp.json", "enrich/intelligence.json", "inputs/payment.json", "allocate/allocations.json", "campaigns/campaigns.json", "leads/leads.csv"] {
            #expect(html.contains("not yet") && html.contains(artifact), "\(artifact)")
        }
        #expect(html.components(separatedBy: ">not yet<").count - 1 == 12, "every stage of the timeline")
        #expect(html.contains("waits for inputs/confirm.json"))
        #expect(html.contains("waits for inputs/payment.json"))
        #expect(throws: ReportPage.Failure.self) { try ReportPage.render(job: folder.appendingPathComponent("missing")) }
    }

    @Test func theWeightsTheLeadsWereScoredWithAreNamedWithTheirSource() throws {
        let folder = try Self.folder()
        try ReportFixture.writeCompleted(into: folder)
        #expect(!(try Self.page(folder)).contains("Scored with the weights"), "a summary without weights names none")
        try Data(#"{"requested": 2250, "found": 4, "als_weights": {"title": 50, "industry": 12.5}, "als_weights_source": "confirm/icp.json"}"#.utf8)
            .write(to: folder.appendingPathComponent("leads/summary.json"))
        #expect(try Self.page(folder).contains("Scored with the weights industry 12.50, title 50 (from confirm/icp.json)."))
    }

    @Test func theTimelineFollowsThePipelinesStagesInItsOrder() throws {
        let folder = try Self.folder()
        try ReportFixture.writeCompleted(into: folder)
        let html = String(decoding: try ReportPage.render(job: folder, stages: ["intake", "review", "scrape"]), as: UTF8.self)
        let timeline = html.components(separatedBy: "<table class=\"timeline\">").dropFirst().first?
            .components(separatedBy: "</table>").first ?? ""
        let names = timeline.components(separatedBy: "<tr class=").dropFirst().map { row in
            String(row.components(separatedBy: "<td>").dropFirst().first?.prefix { $0 != "<" } ?? "")
        }
        #expect(Array(names.prefix(3)) == ["intake", "review", "scrape"], "the pipeline's stages first, in its order, one without a folder yet included")
        #expect(Array(names.dropFirst(3)) == ["allocate", "apply", "assign", "campaigns", "complete", "confirm", "enrich", "icp", "leads", "parse"],
                "then the job's other stage folders, in name order")
        #expect(timeline.contains(">not yet<"), "review has not run")
    }

    @Test func aFailedStageAndAnUnreadableArtifactAreShownNotFatal() throws {
        let folder = try Self.folder()
        try ReportFixture.writeCompleted(into: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("leads/stamp.json"))
        try Data(#"{"stage": "leads", "error": "lead database <missing>", "transient": false, "attempts": 1, "inputs": {}, "settings_sha256": "0", "logic_version": 1, "failed_at": "2026-11-25T09:40:00Z"}"#.utf8)
            .write(to: folder.appendingPathComponent("leads/error.json"))
        try Data("{broken".utf8).write(to: folder.appendingPathComponent("campaigns/campaigns.json"))
        let html = try Self.page(folder)
        #expect(html.contains(">failed<"))
        #expect(html.contains("lead database &lt;missing&gt;"))
        #expect(html.contains("campaigns/campaigns.json is not valid JSON"))
        #expect(html.contains("<section id=\"problems\">"))
    }

    @Test func reportCommandWritesTheJobsPageAtomicallyAndPrintsItsPath() throws {
        let tree = try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
        let folder = tree.url("outbox/\(ReportFixture.job)")
        try ReportFixture.writeCompleted(into: folder)
        let output = try tree.onboard(["report", ReportFixture.job])
        #expect(output.status == 0, "\(output.stderr)")
        let path = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(path == folder.appendingPathComponent("report.html").path)
        // The timeline follows the tree's pipeline.json (here intake alone), not the default stages.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == ReportPage.render(job: folder, stages: ["intake"]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != ReportPage.render(job: folder))
        #expect(tree.leftovers().isEmpty)
        let again = try tree.onboard(["report", ReportFixture.job])
        #expect(again.status == 0)
        #expect(try tree.onboard(["report", "no-such-job"]).status == 2, "an unknown job is a usage error, as for rerun")
        #expect(try tree.onboard(["report", "../outbox"]).status == 2)
    }

    @Test func theReportOfARealExtractionLinksEveryQuoteToAPageOfTheJob() throws {
        let (tree, job, _) = try ConfirmTests.extracted()
        let output = try tree.onboard(["report", job])
        #expect(output.status == 0, "\(output.stderr)")
        let html = try #require(tree.read("outbox/\(job)/report.html"))
        #expect(html.contains("Not confirmed yet: extracted ICP from enrich/icp.json."))
        let pages = Self.hrefs(html).filter { $0.hasPrefix("scrape/pages/") }
        #expect(pages.count >= 5, "quotes link to the saved pages")
        for page in Set(pages) { #expect(tree.exists("outbox/\(job)/\(page)"), "\(page)") }
        #expect(html.contains("not yet: the campaigns stage"))
    }
}
