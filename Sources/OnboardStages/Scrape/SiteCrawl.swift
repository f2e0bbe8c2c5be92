import Foundation
import OnboardEngine
import OnboardWeb

/// One crawl of a site: robots.txt first, the home page, then its most telling same-site links.
struct SiteCrawl {
    let site: URL
    let settings: FetchSettings
    let context: StageContext
    let client: HTTPClient
    let recorded: [String: (ScrapedPage, Data)]
    let allowListed: Bool

    private(set) var pages: [ScrapedPage] = []
    private(set) var warnings: [String] = []
    private var bodies: [String: Data] = [:]
    private var robots = RobotsTxt(source: .unavailable("not fetched"))
    private var robotsRecord: RobotsRecord
    private var robotsBody: Data?
    private var lastFetch: Double?

    init(site: URL, settings: FetchSettings, context: StageContext) {
        self.site = site
        self.settings = settings
        self.context = context
        let urlGuard = URLGuard(allowHosts: settings.allowHosts)
        client = HTTPClient(urlGuard: urlGuard, maxRedirects: settings.maxRedirects, attempts: 3, backoffSeconds: 0.5)
        recorded = context.refetch ? [:] : Self.recordedPages(context)
        let hostPort = "\(site.host ?? ""):\(site.port ?? (site.scheme == "https" ? 443 : 80))"
        allowListed = settings.allowHosts.contains(hostPort)
        robotsRecord = RobotsRecord(
            robotsURL: Self.robotsURL(site).absoluteString, source: "unavailable", status: nil, decisions: [])
    }

    static func robotsURL(_ site: URL) -> URL {
        var components = URLComponents(url: site, resolvingAgainstBaseURL: false)!
        components.path = "/robots.txt"
        components.query = nil
        return components.url!
    }

    /// The pages the previous run committed, to replay instead of fetching again.
    static func recordedPages(_ context: StageContext) -> [String: (ScrapedPage, Data)] {
        let folder = context.job.stage("scrape")
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("pages.json")),
            let previous = try? JSONDecoder().decode(ScrapedPages.self, from: data)
        else { return [:] }
        var pages: [String: (ScrapedPage, Data)] = [:]
        for page in previous.pages where page.tierUsed < 4 {
            if let body = try? Data(contentsOf: folder.appendingPathComponent(page.file)), Digest.sha256(body) == page.sha256 {
                pages[page.url] = (page, body)
            }
        }
        return pages
    }

    mutating func run() async throws {
        try await loadRobots()
        var queue: [URL] = [site]
        var queued: Set<String> = [site.absoluteString]
        var aliases: Set<String> = []
        while !queue.isEmpty, pages.count < settings.maxPages {
            let url = queue.removeFirst()
            guard let content = try await take(url) else { continue }
            for canonical in content.canonicalURLs {
                if let host = URL(string: canonical)?.host?.lowercased(), host != site.host?.lowercased() { aliases.insert(host) }
            }
            if pages.count == 1 { aliases.formUnion(KeyPages.ownHosts(in: content.links, site: site)) }
            for candidate in KeyPages.candidates(from: content.links, site: site, aliases: aliases)
            where queued.insert(candidate.absoluteString).inserted {
                queue.append(candidate)
            }
        }
    }

    /// Fetches (or replays) one page; returns what it says, for its links.
    private mutating func take(_ url: URL) async throws -> PageContent? {
        let path = (url.path.isEmpty ? "/" : url.path) + (url.query.map { "?\($0)" } ?? "")
        let decision = robots.decision(forPath: path, userAgent: settings.userAgent)
        robotsRecord.decisions.append(.init(
            url: url.absoluteString, allowed: decision.allowed, rule: decision.rule, group: decision.group, reason: decision.reason))
        guard decision.allowed else {
            warnings.append("robots.txt disallows \(url.absoluteString) (\(decision.reason))")
            return nil
        }
        var page: ScrapedPage
        var body: Data
        if let (previous, data) = recorded[url.absoluteString] {
            page = previous
            body = data
        } else {
            guard let fetched = try await fetch(url) else { return nil }
            (page, body) = fetched
        }
        if pages.contains(where: { $0.finalURL == page.finalURL }) { return nil }
        page.file = "pages/" + KeyPages.fileName(position: pages.count + 1, url: url)
        let encoding = SniffedEncoding(name: page.charset, source: "recorded")
        var content = PageExtractor.extract(HTMLDocument.parse(utf8: CharsetSniffer.decode(body, as: encoding), url: page.finalURL), url: page.finalURL)
        if content.looksScriptRendered, page.tierUsed == 1, recorded[url.absoluteString] == nil,
            let command = settings.browserCommand ?? settings.antibotCommand
        {
            if let rendered = try await render(url, with: command, tier: settings.browserCommand != nil ? 2 : 3) {
                let renderedContent = PageExtractor.extract(HTMLDocument.parse(utf8: String(decoding: rendered, as: UTF8.self), url: page.finalURL), url: page.finalURL)
                if renderedContent.fullText.count > content.fullText.count {
                    body = rendered
                    content = renderedContent
                    page.tierUsed = settings.browserCommand != nil ? 2 : 3
                    page.charset = "utf-8"
                    page.contentType = "text/html"
                }
            }
        } else if content.looksScriptRendered, page.tierUsed == 1 {
            warnings.append("\(url.absoluteString) looks rendered by JavaScript and no fetch.browser_command is set")
        }
        page.bytes = body.count
        page.sha256 = Digest.sha256(body)
        bodies[page.file] = body
        pages.append(page)
        return content
    }

    /// Tier 1: plain HTTP through the guarded client.
    private mutating func fetch(_ url: URL) async throws -> (ScrapedPage, Data)? {
        await politeness()
        let request = HTTPRequest(
            url: url, headers: ["Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"], userAgent: settings.userAgent,
            timeoutSeconds: min(settings.timeoutSeconds, max(1, context.secondsLeft ?? settings.timeoutSeconds)),
            connectTimeoutSeconds: min(10, settings.timeoutSeconds), maxBytes: settings.maxBytes)
        let response: HTTPResponse
        do { response = try await client.send(request) } catch {
            if let refusal = error.refusal {
                throw StageFailure("refused \(refusal.reason): \(refusal.description)")
            }
            if error.kind == .refused { throw StageFailure("refused: \(error.description)") }
            warnings.append("\(url.absoluteString): \(error.message)")
            return nil
        }
        guard (200..<300).contains(response.status) else {
            warnings.append("\(url.absoluteString): answered \(response.status)")
            // Tier 3: a site that turns plain clients away may still answer an anti-bot fetcher.
            if [401, 403, 429, 503].contains(response.status), let command = settings.antibotCommand,
                let body = try await render(url, with: command, tier: 3)
            {
                let page = ScrapedPage(
                    url: url.absoluteString, finalURL: url.absoluteString, status: 200, contentType: "text/html",
                    charset: CharsetSniffer.sniff(body, contentType: nil).name, bytes: body.count, sha256: Digest.sha256(body),
                    tierUsed: 3, file: "")
                return (page, body)
            }
            return nil
        }
        let type = response.header("content-type") ?? ""
        let mime = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mime.isEmpty || mime == "text/html" || mime == "application/xhtml+xml" else {
            warnings.append("\(url.absoluteString): not a web page (\(mime))")
            return nil
        }
        let encoding = CharsetSniffer.sniff(response.body, contentType: type)
        let page = ScrapedPage(
            url: url.absoluteString, finalURL: response.url.absoluteString, status: response.status,
            contentType: mime.isEmpty ? "text/html" : mime, charset: encoding.name, bytes: response.body.count,
            sha256: Digest.sha256(response.body), tierUsed: 1, file: "")
        return (page, response.body)
    }

    /// Tiers 2 and 3: a browser (or anti-bot fetcher) command, run without a shell and pinned to
    /// the address the guard checked; its standard output is the page.
    private mutating func render(_ url: URL, with command: [String], tier: Int) async throws -> Data? {
        let target: GuardedTarget
        do { target = try URLGuard(allowHosts: settings.allowHosts).check(url) } catch {
            throw StageFailure("refused: \(error)")
        }
        guard let program = ChildProcess.resolve(command[0]) else {
            warnings.append("fetch command \(command[0]) not found")
            return nil
        }
        let arguments = command.dropFirst().map {
            $0.replacingOccurrences(of: "{url}", with: url.absoluteString)
                .replacingOccurrences(of: "{host}", with: target.host)
                .replacingOccurrences(of: "{address}", with: target.address.description)
                .replacingOccurrences(of: "{port}", with: String(target.port))
        }
        let output = context.outputDirectory.deletingLastPathComponent()
            .appendingPathComponent(".render-\(getpid())-\(pages.count).html")
        let errors = output.appendingPathExtension("log")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let deadline = context.clock.monotonicSeconds() + min(settings.timeoutSeconds * 2, max(1, context.secondsLeft ?? 60))
        let termination = try await ChildProcess.run(
            program: program, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            directory: context.job.path, log: output.path, errorLog: errors.path, deadline: deadline, clock: context.clock)
        guard termination == .exited(0), let data = try? Data(contentsOf: output), !data.isEmpty, data.count <= settings.maxBytes else {
            warnings.append("tier \(tier) fetch of \(url.absoluteString) gave nothing (\(termination))")
            return nil
        }
        return data
    }

    private mutating func loadRobots() async throws {
        let url = Self.robotsURL(site)
        if !context.refetch, let recordedBody = try? Data(contentsOf: context.job.stage("scrape").appendingPathComponent("robots.txt")),
            let previous = try? JSONDecoder().decode(RobotsRecord.self, from: Data(contentsOf: context.job.stage("scrape").appendingPathComponent("robots.json"))),
            previous.source == "body"
        {
            robots = RobotsTxt(source: .body(recordedBody))
            robotsBody = recordedBody
            robotsRecord.source = "body"
            robotsRecord.status = previous.status
            return
        }
        await politeness()
        let request = HTTPRequest(
            url: url, userAgent: settings.userAgent, timeoutSeconds: min(settings.timeoutSeconds, 15),
            connectTimeoutSeconds: 10, maxBytes: 4 << 20)
        do {
            let response = try await client.send(request)
            robotsRecord.status = response.status
            switch response.status {
            case 200..<300:
                robots = RobotsTxt(source: .body(response.body))
                robotsBody = response.body
                robotsRecord.source = "body"
            case 429, 500...:
                robots = RobotsTxt(source: .unavailable("answered \(response.status)"))
                robotsRecord.source = "unavailable"
            default:
                robots = RobotsTxt(source: .clientError(response.status))
                robotsRecord.source = "client-error"
            }
        } catch {
            if let refusal = error.refusal { throw StageFailure("refused \(refusal.reason): \(refusal.description)") }
            robots = RobotsTxt(source: .unavailable(error.message))
            robotsRecord.source = "unavailable"
        }
    }

    /// Waits between two requests to a host on the internet; hosts the operator allow-listed get none.
    private mutating func politeness() async {
        defer { lastFetch = context.clock.monotonicSeconds() }
        guard !allowListed, let lastFetch, settings.politenessDelayMilliseconds > 0 else { return }
        let wait = Double(settings.politenessDelayMilliseconds) / 1000 - (context.clock.monotonicSeconds() - lastFetch)
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }

    func write() throws {
        for page in pages { try context.writeOutput(page.file, data: bodies[page.file] ?? Data()) }
        try context.writeOutput("pages.json", json: JSONValue.from(ScrapedPages(site: site.absoluteString, pages: pages)))
        try context.writeOutput("robots.json", json: JSONValue.from(robotsRecord))
        if let robotsBody { try context.writeOutput("robots.txt", data: robotsBody) }
    }
}
