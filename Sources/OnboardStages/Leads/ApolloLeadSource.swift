import Foundation
import OnboardEngine
import OnboardWeb

/// `providers.leads = "apollo"`: people are found through Apollo's People API Search
/// (`mixed_people/api_search`, free, no emails) with the ICP's titles, locations and size ranges,
/// one search per ICP industry as keywords, and enriched through `people/bulk_match` in batches of
/// ten (credits counted from `credits_consumed`). The matched people go into the local lead
/// database under Apollo's export columns, so fit, scoring, dedupe and claims are the same as for
/// imported leads.
///
/// Each answer is recorded the moment it arrives (AnswerRecording), so an attempt that fails at
/// the tenth bulk_match batch leaves the search pages and nine batches for the next attempt to
/// replay instead of paying their credits again. The answers a successful run used are its output
/// `leads/apollo-answers.json`, replayed on a rerun unless `rerun --refetch` asks again.
struct ApolloLeadSource {
    static let answersFile = "apollo-answers.json"
    static let perPage = 100
    static let maxPages = 500

    let baseURL: URL
    let apiKey: String
    /// The answers of the last committed run, replayed unless the recording's series refetches.
    let committed: [String: JSONValue]
    let recording: AnswerRecording
    let jobID: String
    let clock: EngineClock
    /// Monotonic instant by which the stage must be done (its phase's time limit), if any.
    let deadline: Double?
    var windows = ApolloRateWindows()
    /// How a wait (a rate-limit window, a Retry-After, a backoff) is spent.
    var sleep: @Sendable (Double) async -> Void = { seconds in try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
    private(set) var answers: [String: JSONValue] = [:]
    private(set) var calls = 0
    /// Answers taken from the last committed run.
    private(set) var replayed = 0
    /// Answers taken from the recording of an earlier attempt that did not commit.
    private(set) var resumed = 0
    private(set) var credits = 0
    /// Without a phase time limit, a window resetting later than this fails the stage instead of stalling it.
    static let longestWindowWait = 3600.0

    init(settings: JSONValue?, environment: [String: String], context: StageContext) throws {
        guard let key = environment["APOLLO_API_KEY"], !key.isEmpty else {
            throw StageFailure("providers.leads is \"apollo\" but APOLLO_API_KEY is not set in the environment")
        }
        let base = settings?["base_url"]?.stringValue ?? "https://api.apollo.io"
        guard let url = URL(string: base), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw StageFailure("providers.apollo.base_url: \"\(base)\" is not an http(s) URL")
        }
        let recording = try AnswerRecording(folder: context.recordingDirectory, refetch: context.refetch)
        var committed: [String: JSONValue] = [:]
        if !recording.refetching,
            let data = try? Data(contentsOf: context.job.stage(context.stage).appendingPathComponent(Self.answersFile)),
            let previous = try? JSONValue.parse(data)
        {
            committed = previous["answers"]?.objectValue ?? [:]
        }
        self.init(
            baseURL: url, apiKey: key, recording: recording, committed: committed, jobID: context.jobID, clock: context.clock,
            deadline: context.deadline)
    }

    init(
        baseURL: URL, apiKey: String, recording: AnswerRecording, committed: [String: JSONValue] = [:], jobID: String,
        clock: EngineClock = EngineClock(), deadline: Double? = nil
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.recording = recording
        self.committed = committed
        self.jobID = jobID
        self.clock = clock
        self.deadline = deadline
    }

    /// People Apollo finds for the fit, enriched, as rows of an Apollo export.
    ///
    /// Search pages are read in order (one search per ICP industry) and their people enriched ten
    /// at a time as they come, until `limit` of the enriched people fit the ICP (industry and place,
    /// as the lead database decides it; someone who does not fit costs a credit but does not count)
    /// or the search has no page left: `total_entries` over 100 a page, at most 500 pages.
    mutating func people(for fit: LeadFit, limit: Int) async throws -> [[String: String]] {
        var rows: [[String: String]] = []
        var tally = ApolloFitTally(fit: fit)
        var seen: Set<String> = []
        var waiting: [String] = []
        let keywords: [String?] = fit.industries.isEmpty ? [nil] : fit.industries
        for keyword in keywords where tally.fitting < limit {
            var page = 1
            while tally.fitting < limit {
                var body: [String: JSONValue] = ["page": .int(Int64(page)), "per_page": .int(Int64(Self.perPage))]
                if !fit.titles.isEmpty { body["person_titles"] = .array(fit.titles.map(JSONValue.string)) }
                if !fit.locations.isEmpty { body["person_locations"] = .array(fit.locations.map { .string($0.lowercased()) }) }
                if !fit.sizes.isEmpty { body["organization_num_employees_ranges"] = .array(fit.sizes.map { .string(Self.range($0)) }) }
                if let keyword { body["q_keywords"] = .string(keyword) }
                let answer = try await call("mixed_people/api_search", body: .object(body))
                let people = answer["people"]?.arrayValue ?? []
                for person in people {
                    guard let id = person["id"]?.stringValue, seen.insert(id).inserted else { continue }
                    waiting.append(id)
                }
                // Whole batches only: a short one waits for the next page's people, or the end.
                while waiting.count >= Self.batchSize, tally.fitting < limit {
                    rows += try await enrich(Array(waiting.prefix(Self.batchSize)), into: &tally)
                    waiting.removeFirst(Self.batchSize)
                }
                if people.isEmpty || page >= Self.lastPage(total: Int(answer["total_entries"]?.intValue ?? 0)) { break }
                page += 1
            }
        }
        while !waiting.isEmpty, tally.fitting < limit {
            let batch = Array(waiting.prefix(Self.batchSize))
            rows += try await enrich(batch, into: &tally)
            waiting.removeFirst(batch.count)
        }
        return rows
    }

    static let batchSize = 10

    /// The last page a search of `total` people has (Apollo answers no `pagination` object).
    static func lastPage(total: Int) -> Int {
        min(maxPages, (max(0, total) + perPage - 1) / perPage)
    }

    /// One bulk_match call: the people of `ids`, as export rows, counted into `tally`.
    private mutating func enrich(_ ids: [String], into tally: inout ApolloFitTally) async throws -> [[String: String]] {
        let answer = try await call(
            "people/bulk_match", body: ["details": .array(ids.map { ["id": .string($0)] }), "reveal_personal_emails": false])
        credits += Int(answer["credits_consumed"]?.intValue ?? 0)
        var rows: [[String: String]] = []
        for match in answer["matches"]?.arrayValue ?? [] where match.objectValue != nil {
            let row = Self.row(match)
            tally.count(row)
            rows.append(row)
        }
        return rows
    }

    /// "11-50" → "11,50"; "10001+" → "10001,1000000" (Apollo's ranges are "min,max").
    static func range(_ size: String) -> String {
        if size.hasSuffix("+") { return String(size.dropLast()) + ",1000000" }
        return size.replacingOccurrences(of: "-", with: ",")
    }

    static let columns = [
        "Apollo Contact Id", "First Name", "Last Name", "Title", "Seniority", "Email", "Email Status", "Person Linkedin Url",
        "City", "State", "Country", "Company", "Website", "# Employees", "Industry", "Apollo Account Id", "Company City",
        "Company Country",
    ]

    /// Rows as an Apollo export, for the importer.
    static func csv(_ rows: [[String: String]]) -> Data {
        var lines = [columns.map(LeadsCSV.escape).joined(separator: ",")]
        for row in rows { lines.append(columns.map { LeadsCSV.escape(row[$0] ?? "") }.joined(separator: ",")) }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// One matched person under the export's column names.
    static func row(_ person: JSONValue) -> [String: String] {
        func text(_ value: JSONValue?) -> String {
            switch value {
            case .string(let text)?: return text
            case .int(let number)?: return String(number)
            case .double(let number)?: return String(Int(number))
            default: return ""
            }
        }
        let organization = person["organization"]
        return [
            "Apollo Contact Id": text(person["id"]), "First Name": text(person["first_name"]),
            "Last Name": text(person["last_name"]), "Title": text(person["title"]), "Seniority": text(person["seniority"]),
            "Email": text(person["email"]), "Email Status": text(person["email_status"]),
            "Person Linkedin Url": text(person["linkedin_url"]), "City": text(person["city"]), "State": text(person["state"]),
            "Country": text(person["country"]), "Company": text(organization?["name"]),
            "Website": text(organization?["website_url"]), "# Employees": text(organization?["estimated_num_employees"]),
            "Industry": text(organization?["industry"]), "Apollo Account Id": text(organization?["id"] ?? person["organization_id"]),
            "Company City": text(organization?["city"]), "Company Country": text(organization?["country"]),
        ]
    }

    /// One POST, or its recorded answer. Apollo's errors become messages a user can act on.
    private mutating func call(_ endpoint: String, body: JSONValue) async throws -> JSONValue {
        let key = endpoint + " " + CanonicalJSON.compactString(body)
        let identity: JSONValue = ["endpoint": .string(endpoint), "body": body]
        if let answer = recording.answer(for: identity) {
            answers[key] = answer
            resumed += 1
            return answer
        }
        if let answer = committed[key] {
            answers[key] = answer
            replayed += 1
            return answer
        }
        let url = baseURL.appendingPathComponent("api/v1").appendingPathComponent(endpoint)
        try await waitForWindows(endpoint)
        let response: ProviderTransport.Answer
        do {
            response = try await transport.post(
                url, headers: ["x-api-key": apiKey, "Accept": "application/json", "Cache-Control": "no-cache"],
                body: CanonicalJSON.compact(body), timeoutSeconds: 60, clock: clock, deadline: deadline)
        } catch {
            let hint = error.kind == .outOfTime ? "; the answers so far are recorded: \(rerunHint)" : ""
            throw StageFailure("Apollo \(endpoint): \(error.message)\(hint)", transient: error.kind == .unavailable)
        }
        windows.observe(response.headers, endpoint: endpoint, at: clock.monotonicSeconds())
        calls += 1
        let received = redactor.redact(response.body)
        let text = String(decoding: received.prefix(500), as: UTF8.self)
        let parsed = try? JSONValue.parse(received)
        let said = parsed?["error"]?.stringValue ?? parsed?["message"]?.stringValue ?? text
        switch response.status {
        case 200..<300:
            guard let parsed, parsed.objectValue != nil else {
                throw StageFailure("Apollo \(endpoint): the answer is not a JSON object: \(text)")
            }
            // Recorded before anything else can fail: its credits are spent.
            try recording.record(parsed, for: identity)
            answers[key] = parsed
            return parsed
        case 401:
            throw StageFailure("Apollo \(endpoint) refused the API key (401): check APOLLO_API_KEY. Apollo said: \(said)")
        case 403:
            throw StageFailure(
                "Apollo \(endpoint) is not open to this API key (403\(parsed?["error_code"]?.stringValue.map { " " + $0 } ?? "")): People API Search needs a master key on a paid plan. Apollo said: \(said)")
        case 422:
            throw StageFailure("Apollo \(endpoint) refused the search parameters (422): \(said). Sent: \(CanonicalJSON.compactString(body))")
        case 429:
            let asked = RetryAdvice.seconds(response.headers, now: clock.now())
            if let asked, asked > transport.maxRetryAfterSeconds {
                throw StageFailure(
                    "Apollo \(endpoint): rate limit reached (429), and Apollo asks to wait \(String(format: "%.0f", asked.rounded(.up))) s: \(said); the answers so far are recorded: \(rerunHint)")
            }
            throw StageFailure(
                "Apollo \(endpoint): rate limit reached (429) after \(response.attempts) attempt(s): \(said)", transient: true,
                retryAfter: asked)
        case 500...:
            throw StageFailure("Apollo \(endpoint) answered \(response.status): \(said)", transient: true)
        default:
            throw StageFailure("Apollo \(endpoint) answered \(response.status): \(said)")
        }
    }

    private var rerunHint: String { "once the limit has reset, onboard rerun \(jobID) leads" }

    private var redactor: SecretRedactor { SecretRedactor(secrets: [apiKey]) }

    /// The operator configured this endpoint, so its own address is allowed (ProviderTransport's
    /// guard); no redirect is followed, as the key travels in a header. A Retry-After is waited
    /// out as long as the stage's time limit allows: Apollo's windows are minutes to a day long,
    /// and an early retry cannot succeed.
    private var transport: ProviderTransport {
        var transport = ProviderTransport(redactor: redactor)
        // Within a phase, its time limit decides (ProviderTransport fails at once when a wait cannot fit).
        transport.maxRetryAfterSeconds = deadline == nil ? Self.longestWindowWait : .infinity
        transport.sleep = sleep
        return transport
    }

    /// Waits until every rate-limit window of `endpoint` has a request left, or fails the stage
    /// when that is past its time limit (the answers so far stay recorded for the rerun).
    private func waitForWindows(_ endpoint: String) async throws {
        guard let hold = windows.hold(endpoint) else { return }
        let wait = hold.until - clock.monotonicSeconds()
        guard wait > 0 else { return }
        let tooLong = deadline.map { clock.monotonicSeconds() + wait + 1 >= $0 } ?? (wait > Self.longestWindowWait)
        if tooLong {
            throw StageFailure(
                "Apollo \(endpoint): the \(hold.window.name) request limit\(hold.limit.map { " of \($0)" } ?? "") is used up (\(hold.window.leftHeader): 0) and resets within \(Int(wait.rounded(.up))) s, past the time this stage may take; the answers so far are recorded: \(rerunHint)")
        }
        await sleep(wait)
    }

    /// What was asked and answered, for `leads/apollo-answers.json`.
    var record: JSONValue { ["answers": .object(answers)] }
}
