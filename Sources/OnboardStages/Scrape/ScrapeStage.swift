import Foundation
import OnboardEngine
import OnboardWeb

/// `scrape`: the client's home page and the pages that describe the business, fetched safely
/// (URL guard on every hop, robots.txt, size and time limits) and stored as fetched. A page that
/// looks rendered by JavaScript is fetched again through the browser command when one is set; a
/// site that gives nothing makes the job wait for pages saved by hand into `inputs/pages/`.
/// Pages recorded by an earlier run are replayed unless `rerun --refetch` asks for fresh ones.
struct ScrapeStage: StageImplementation {
    var logicVersion: Int { 1 }
    var dataSHA256: [String: String] { [:] }
    var optionalInputFolders: [String] { ["inputs/pages"] }

    func settings(from document: JSONValue) -> JSONValue { FetchSettings.slice(document) }

    func run(_ context: StageContext) async throws -> StageReport {
        let request = try context.readJSON("intake/request.json")
        guard let site = request["website_url"]?.stringValue.flatMap(KeyPages.normalise) else {
            throw StageFailure("intake/request.json: website_url is missing or not a URL")
        }
        let settings = FetchSettings(context.pipeline.document)
        let manual = context.inputs.filter { $0.hasPrefix("inputs/pages/") }
        if !manual.isEmpty { return try saveManualPages(manual, site: site, context: context) }

        var crawl = SiteCrawl(site: site, settings: settings, context: context)
        try await crawl.run()
        if crawl.pages.isEmpty {
            let why = crawl.warnings.first ?? "no page could be fetched"
            throw StageWaiting(
                "\(why); save the site's pages as .html files into outbox/\(context.jobID)/inputs/pages/ and run again")
        }
        try crawl.write()
        return StageReport(provider: "http", warnings: crawl.warnings)
    }

    /// Tier 4: pages a person saved. Each file stands for the page its name says (`about.html` → /about).
    private func saveManualPages(_ files: [String], site: URL, context: StageContext) throws -> StageReport {
        var pages: [ScrapedPage] = []
        for (position, relative) in files.enumerated() {
            let data = try context.readInput(relative)
            let name = (relative as NSString).lastPathComponent
            let stem = (name as NSString).deletingPathExtension
            let url = stem == "index" || stem == "home" ? site : site.appendingPathComponent(stem)
            let encoding = CharsetSniffer.sniff(data, contentType: nil)
            let file = "pages/" + KeyPages.fileName(position: position + 1, url: url)
            try context.writeOutput(file, data: data)
            pages.append(ScrapedPage(
                url: url.absoluteString, finalURL: url.absoluteString, status: 200, contentType: "text/html",
                charset: encoding.name, bytes: data.count, sha256: Digest.sha256(data), tierUsed: 4, file: file))
        }
        try context.writeOutput("pages.json", json: JSONValue.from(ScrapedPages(site: site.absoluteString, pages: pages)))
        let robots = RobotsRecord(robotsURL: site.appendingPathComponent("robots.txt").absoluteString, source: "not-needed", status: nil, decisions: [])
        try context.writeOutput("robots.json", json: JSONValue.from(robots))
        return StageReport(provider: "manual")
    }
}
