import Foundation
import LoopbackServer
import OnboardEngine
import Testing

@testable import OnboardStages
import OnboardWeb

/// Counts what a fixture site was asked for, so a test can tell fetched pages from replayed ones.
final class RequestLog: @unchecked Sendable {
    private var paths: [String] = []
    private let lock = NSLock()
    func add(_ path: String) {
        lock.lock()
        paths.append(path)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return paths
    }
}

@Suite("scrape and parse against sites served on 127.0.0.1")
struct ScrapeParseTests {
    static let samples = TestTree.packageRoot.appendingPathComponent("Samples/sites")
    static let fixtures = TestTree.packageRoot.appendingPathComponent("Tests/OnboardTests/Fixtures/sites")

    static func serve(_ folder: URL, log: RequestLog = RequestLog()) throws -> LoopbackServer {
        let site = StaticSite(root: folder)
        return try LoopbackServer { request in
            log.add(request.path)
            return site.respond(request)
        }
    }

    /// A tree running intake, scrape and parse, allowed to fetch from `servers`.
    static func tree(allowing servers: [LoopbackServer], fetch extra: [String: JSONValue] = [:]) throws -> TestTree {
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var fetch = defaults["fetch"]!.objectValue!
        fetch["allow_hosts"] = .array(servers.map { .string("127.0.0.1:\($0.port)") })
        for (key, value) in extra { fetch[key] = value }
        return try TestTree(pipeline: [
            "fetch": .object(fetch),
            "stages": [["name": "intake", "needs": []], ["name": "scrape", "needs": ["intake"]], ["name": "parse", "needs": ["scrape"]]],
        ])
    }

    static func request(_ tree: TestTree, url: String, client: String = "client-a") throws -> String {
        var fields = TestTree.sampleRequest(client: client)
        fields["website_url"] = .string(url)
        try tree.request("\(client).json", fields)
        // The run's exit code depends on the case (a refusal fails the job); each test checks the outcome itself.
        _ = try tree.onboard(["run"])
        return try #require(tree.jobIDs().first { $0.hasPrefix(client) })
    }

    @Test func aSiteIsCrawledByItsKeyPagesAndReadAsAVisitorReadsIt() throws {
        let log = RequestLog()
        let server = try Self.serve(Self.samples.appendingPathComponent("harbor-dental"), log: log)
        let tree = try Self.tree(allowing: [server])
        let job = try Self.request(tree, url: server.baseURL + "/")
        #expect(try tree.stages(job)["parse"] == "done", "\(tree.read("outbox/\(job)/scrape/error.json") ?? "")")

        let pages = try tree.json("outbox/\(job)/scrape/pages.json")["pages"]!.arrayValue!
        let urls = pages.compactMap { $0["url"]?.stringValue }
        #expect(urls.first == server.baseURL + "/")
        #expect(urls.contains { $0.hasSuffix("/services.html") || $0.hasSuffix("/services") })
        #expect(urls.contains { $0.contains("about") })
        #expect(!urls.contains { $0.contains("admin") })
        #expect(log.all.first == "/robots.txt", "robots.txt is read before any page")
        for page in pages {
            let file = try #require(page["file"]?.stringValue)
            let bytes = try Data(contentsOf: tree.url("outbox/\(job)/scrape/\(file)"))
            #expect(Digest.sha256(bytes) == page["sha256"]?.stringValue, "stored as fetched")
            #expect(page["tier_used"] == 1)
            #expect(page["charset"] == "utf-8")
        }
        let robots = try tree.json("outbox/\(job)/scrape/robots.json")
        #expect(robots["source"] == "body")
        #expect((robots["decisions"]?.arrayValue?.count ?? 0) >= pages.count)

        let site = try tree.json("outbox/\(job)/parse/site.json")
        let home = try #require(site["pages"]?.arrayValue?.first)
        let main = try #require(home["main_text"]?.stringValue)
        #expect(!main.lowercased().contains("we use cookies"), "cookie banner left out")
        #expect((home["headings"]?.arrayValue?.count ?? 0) > 0)
        #expect(home["title"]?.stringValue?.isEmpty == false)
        #expect(home["description"]?.stringValue?.isEmpty == false)
        let profiles = site["social_profiles"]!.arrayValue!.compactMap { $0["url"]?.stringValue }
        #expect(profiles.contains { $0.hasPrefix("https://www.linkedin.com/company/") })
        #expect(!profiles.contains { $0.contains("sharer") })
        #expect(site["emails"]?.arrayValue?.contains("hello@harbordental.example") == true, "\(site["emails"] ?? .null)")
        #expect(site["phones"]?.arrayValue?.contains { $0.stringValue?.hasPrefix("+61") == true } == true, "\(site["phones"] ?? .null)")
        #expect(site["organization"]?["name"] != nil)
        #expect(site["organization"]?["area_served"]?.arrayValue?.contains("Australia") == true)
        let testimonials = site["testimonials"]?.arrayValue ?? []
        #expect(testimonials.count >= 2)
        #expect(testimonials.allSatisfy { $0["name"]?.stringValue?.isEmpty == false })
        #expect(site["proof_points"]?.arrayValue?.contains { $0["text"] == "140+ practices" } == true)
    }

    @Test func aRerunReplaysRecordedPagesUnlessAskedToFetchAgain() throws {
        let log = RequestLog()
        let server = try Self.serve(Self.samples.appendingPathComponent("summit-logistics"), log: log)
        let tree = try Self.tree(allowing: [server])
        let job = try Self.request(tree, url: server.baseURL + "/")
        let first = try #require(tree.read("outbox/\(job)/scrape/pages.json"))
        let fetched = log.all.count
        #expect(fetched > 2)

        #expect(try tree.onboard(["rerun", job, "scrape"]).status == 0)
        #expect(log.all.count == fetched, "a rerun replays what was recorded")
        #expect(tree.read("outbox/\(job)/scrape/pages.json") == first)
        #expect(try tree.stages(job)["parse"] == "done", "same bytes: parse stays up to date")

        #expect(try tree.onboard(["rerun", job, "scrape", "--refetch"]).status == 0)
        #expect(log.all.count > fetched, "--refetch fetches again")
    }

    @Test(arguments: ["http://10.1.2.3/", "http://169.254.169.254/", "http://[fd00::1]/", "http://127.0.0.1:9/"])
    func aForbiddenAddressFailsTheJobWithItsClass(url: String) throws {
        let tree = try Self.tree(allowing: [])
        let job = try Self.request(tree, url: url)
        let error = try tree.json("outbox/\(job)/scrape/error.json")
        let message = try #require(error["error"]?.stringValue)
        #expect(message.contains("refused"), "\(message)")
        #expect(["private", "metadata", "loopback"].contains { message.contains($0) })
        #expect(try tree.stages(job)["scrape"] == "failed", "a refusal fails; it does not wait for manual pages")
    }

    @Test func aJavaScriptShellIsRenderedThroughTheBrowserCommand() throws {
        let folder = Self.fixtures.appendingPathComponent("js-shell")
        let server = try Self.serve(folder)
        let rendered = folder.appendingPathComponent("rendered.html").path
        // A stand-in browser: prints the rendered page; it gets the URL and the pinned address.
        let browser: JSONValue = ["/bin/sh", "-c", .string("test -n \"$1\" && test \"$2\" = 127.0.0.1 && cat '\(rendered)'"), "browser", "{url}", "{address}"]
        let tree = try Self.tree(allowing: [server], fetch: ["browser_command": browser])
        let job = try Self.request(tree, url: server.baseURL + "/")
        let page = try #require(tree.json("outbox/\(job)/scrape/pages.json")["pages"]?.arrayValue?.first)
        #expect(page["tier_used"] == 2)
        let main = try tree.json("outbox/\(job)/parse/site.json")["pages"]?.arrayValue?.first?["main_text"]?.stringValue ?? ""
        #expect(main.contains("Brightline"))

        let plain = try Self.tree(allowing: [server])
        let plainJob = try Self.request(plain, url: server.baseURL + "/")
        let stamp = try plain.json("outbox/\(plainJob)/scrape/stamp.json")
        #expect(stamp["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("JavaScript") == true } == true)
    }

    @Test func aSiteThatTurnsPlainClientsAwayIsFetchedByTheAntiBotCommand() throws {
        let server = try LoopbackServer { request in
            request.path == "/robots.txt" ? .text(404, "") : .text(403, "<h1>Access denied</h1>")
        }
        let page = ScrapeParseTests.samples.appendingPathComponent("summit-logistics/index.html").path
        let fetcher: JSONValue = ["/bin/sh", "-c", .string("test \"$1\" = 127.0.0.1 && cat '\(page)'"), "fetcher", "{address}", "{url}"]
        let tree = try Self.tree(allowing: [server], fetch: ["antibot_command": fetcher])
        let job = try Self.request(tree, url: server.baseURL + "/")
        let pages = try tree.json("outbox/\(job)/scrape/pages.json")["pages"]!.arrayValue!
        #expect(pages.first?["tier_used"] == 3)
        #expect(try tree.stages(job)["parse"] == "done")
        let main = try tree.json("outbox/\(job)/parse/site.json")["pages"]?.arrayValue?.first?["main_text"]?.stringValue ?? ""
        #expect(main.contains("Summit") || main.contains("freight"))
    }

    @Test func aWindows1252SiteIsReadWithItsOwnCharacters() throws {
        let server = try Self.serve(Self.fixtures.appendingPathComponent("latin1-bakery"))
        let tree = try Self.tree(allowing: [server])
        let job = try Self.request(tree, url: server.baseURL + "/")
        let page = try #require(tree.json("outbox/\(job)/scrape/pages.json")["pages"]?.arrayValue?.first)
        #expect(page["charset"] == "windows-1252")
        let site = try tree.json("outbox/\(job)/parse/site.json")
        let text = (site["pages"]?.arrayValue ?? []).compactMap { $0["main_text"]?.stringValue }.joined(separator: "\n")
        #expect(text.contains("Café"))
        #expect(text.contains("“") && text.contains("€"))
        #expect(!text.contains("\u{0093}"), "0x93 is a curly quote, not a C1 control")
    }

    @Test func anUnreachableSiteWaitsForPagesSavedByHand() throws {
        let closed = try LoopbackServer { _ in .drop }
        let port = closed.port
        closed.stop()
        let tree = try Self.tree(allowing: [])
        var document = try tree.json("pipeline.json").objectValue!
        var fetch = document["fetch"]!.objectValue!
        fetch["allow_hosts"] = [.string("127.0.0.1:\(port)")]
        fetch["timeout_seconds"] = 2
        document["fetch"] = .object(fetch)
        try tree.writePipeline(.object(document))
        let job = try Self.request(tree, url: "http://127.0.0.1:\(port)/")
        let status = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(status["status"] == "waiting")
        #expect(status["waiting_for"]?["scrape"]?.stringValue?.contains("inputs/pages/") == true)

        let page = try String(contentsOf: Self.samples.appendingPathComponent("apex-industrial/index.html"), encoding: .utf8)
        try tree.write("outbox/\(job)/inputs/pages/index.html", page)
        #expect(try tree.run().status == 0)
        let pages = try tree.json("outbox/\(job)/scrape/pages.json")["pages"]!.arrayValue!
        #expect(pages.first?["tier_used"] == 4)
        #expect(try tree.stages(job)["parse"] == "done")
    }

    @Test func robotsThatDisallowEverythingLeaveTheJobWaiting() throws {
        let server = try LoopbackServer { request in
            request.path == "/robots.txt" ? .text(200, "User-agent: *\nDisallow: /\n", type: "text/plain") : .text(200, "<html><body><p>secret</p></body></html>")
        }
        let tree = try Self.tree(allowing: [server])
        let job = try Self.request(tree, url: server.baseURL + "/")
        let status = try #require(tree.statusJSON()["jobs"]?.arrayValue?.first)
        #expect(status["status"] == "waiting")
        #expect(status["waiting_for"]?["scrape"]?.stringValue?.contains("robots.txt disallows") == true)
        #expect(!tree.exists("outbox/\(job)/scrape/pages.json"))
    }
}

@Suite("Which links the crawl follows")
struct CrawlChoiceTests {
    @Test func linksAreNormalisedSoAPageIsFetchedOnce() {
        let forms = [
            "https://Acme.example/services/#top", "https://acme.example/services?utm_source=x&utm_medium=y",
            "https://acme.example:443/services/", "https://acme.example/services",
        ]
        #expect(Set(forms.compactMap { KeyPages.normalise($0)?.absoluteString }) == ["https://acme.example/services"])
        #expect(KeyPages.normalise("https://acme.example/item?id=7&gclid=abc")?.absoluteString == "https://acme.example/item?id=7")
        #expect(KeyPages.normalise("mailto:a@b.example") == nil)
    }

    @Test func keyPagesComeFirstAndOtherSitesAndFilesAreLeftOut() {
        let site = URL(string: "https://acme.example/")!
        let links: [PageContent.Link] = [
            .init(url: "https://acme.example/blog/post-1", text: "Our latest post", internal: true),
            .init(url: "https://acme.example/contact", text: "Contact", internal: true),
            .init(url: "https://acme.example/who-we-serve", text: "Who we serve", internal: true),
            .init(url: "https://acme.example/services", text: "Services", internal: true),
            .init(url: "https://acme.example/brochure-services.pdf", text: "Services brochure", internal: true),
            .init(url: "https://other.example/services", text: "Services", internal: false),
            .init(url: "https://acme.example/about-us", text: "About", internal: true),
        ]
        let chosen = KeyPages.candidates(from: links, site: site).map(\.path)
        #expect(chosen == ["/who-we-serve", "/services", "/about-us", "/contact"])
    }
}

@Suite("scrape skips what is not a page")
struct ScrapeSkipTests {
    @Test func errorPagesAndOtherContentTypesAreSkippedWithAWarning() throws {
        let server = try LoopbackServer { request in
            switch request.path {
            case "/": return .text(200, #"<html><body><main><h1>Acme</h1><p>We repair forklifts for warehouses across Ohio.</p><a href="/services">Services</a> <a href="/about">About</a> <a href="/pricing">Pricing</a></main></body></html>"#)
            case "/services": return .full(status: 200, headers: ["Content-Type": "application/pdf"], body: Data("%PDF-1.4".utf8))
            case "/about": return .text(404, "<h1>Not here</h1>")
            case "/pricing": return .text(500, "<h1>Broken</h1>")
            default: return .text(404, "")
            }
        }
        let tree = try ScrapeParseTests.tree(allowing: [server])
        let job = try ScrapeParseTests.request(tree, url: server.baseURL + "/")
        let pages = try tree.json("outbox/\(job)/scrape/pages.json")["pages"]!.arrayValue!
        #expect(pages.map { $0["url"]?.stringValue ?? "" } == [server.baseURL + "/"])
        let warnings = try tree.json("outbox/\(job)/scrape/stamp.json")["warnings"]!.arrayValue!.compactMap(\.stringValue)
        #expect(warnings.contains { $0.contains("/services") && $0.contains("not a web page") })
        #expect(warnings.contains { $0.contains("/about") && $0.contains("404") })
        #expect(warnings.contains { $0.contains("/pricing") && $0.contains("500") })
        #expect(try tree.stages(job)["parse"] == "done")
    }
}
