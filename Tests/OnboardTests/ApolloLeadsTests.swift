import Foundation
import LoopbackServer
import OnboardEngine
import Testing

@testable import OnboardStages

/// A local server answering as Apollo's People API Search and bulk_match do (Apollo's OAS shapes).
final class FakeApollo: Sendable {
    /// Every request, with when it arrived (monotonic seconds).
    let requests = Locked<[(path: String, key: String?, body: JSONValue, at: Double)]>([])
    /// Status to answer the next search with, once (then 200).
    let failNext = Locked<(status: Int, headers: [String: String], body: String)?>(nil)
    /// bulk_match batches whose first person has this id answer 500 until it is set back to nil.
    let failingBatch = Locked<String?>(nil)
    /// bulk_match batches whose first person has this id get no answer for 20 s.
    let stallingBatch = Locked<String?>(nil)
    let server: LoopbackServer
    static let people = 13
    /// People the search finds in all, `p1`, `p2`, ... in order, 100 a page at most.
    let people: Int

    /// `window`: each endpoint allows `limit` requests in a fixed window of `seconds` from the first
    /// one, reported in Apollo's headers of the per-minute window.
    /// `abroad`: the people (by number) who live in Auckland, outside the ICP's Australia.
    init(
        people: Int = FakeApollo.people, window: (limit: Int, seconds: Double)? = nil,
        abroad: @escaping @Sendable (Int) -> Bool = { _ in false }
    ) throws {
        self.people = people
        let requests = requests, failNext = failNext, failingBatch = failingBatch, stallingBatch = stallingBatch
        let windows = Locked<[String: (start: Double, used: Int)]>([:])
        server = try LoopbackServer { request in
            let body = (try? JSONValue.parse(request.body)) ?? .null
            let now = EngineClock().monotonicSeconds()
            requests.withValue { $0.append((request.path, request.headers["x-api-key"], body, now)) }
            if let failure = failNext.withValue({ value -> (status: Int, headers: [String: String], body: String)? in
                defer { value = nil }
                return value
            }) {
                return .full(status: failure.status, headers: failure.headers, body: Data(failure.body.utf8))
            }
            if request.path == "/api/v1/people/bulk_match", let failing = failingBatch.current,
                body["details"]?.arrayValue?.first?["id"]?.stringValue == failing
            {
                return .text(500, #"{"error": "Internal server error"}"#, type: "application/json")
            }
            if request.path == "/api/v1/people/bulk_match", let stalling = stallingBatch.current,
                body["details"]?.arrayValue?.first?["id"]?.stringValue == stalling
            {
                return .raw([(Data("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n".utf8), 20)])
            }
            guard request.headers["x-api-key"] == "test-key" else {
                return .text(401, "Invalid API key. See https://docs.apollo.io/reference/authentication", type: "text/plain")
            }
            var headers = ["Content-Type": "application/json"]
            if let window {
                let used = windows.withValue { all -> Int in
                    var current = all[request.path] ?? (now, 0)
                    if now >= current.start + window.seconds { current = (now, 0) }
                    current.used += 1
                    all[request.path] = current
                    return current.used
                }
                headers["x-rate-limit-minute"] = String(window.limit)
                headers["x-minute-usage"] = String(used)
                headers["x-minute-requests-left"] = String(max(0, window.limit - used))
            }
            func json(_ value: JSONValue) -> ServerResponse {
                .full(status: 200, headers: headers, body: CanonicalJSON.compact(value))
            }
            switch request.path {
            case "/api/v1/mixed_people/api_search":
                let page = Int(body["page"]?.intValue ?? 1), perPage = Int(body["per_page"]?.intValue ?? 10)
                let first = (page - 1) * perPage + 1, last = min(page * perPage, people)
                let found: [JSONValue] = first > last ? [] : (first...last).map {
                    ["id": .string("p\($0)"), "first_name": "Ana", "last_name_obfuscated": "Di***z",
                     "title": "Practice Owner", "has_email": true, "organization": ["name": .string("Clinic \($0)")]]
                }
                return json(["total_entries": .int(Int64(people)), "people": .array(found)])
            case "/api/v1/people/bulk_match":
                let ids = (body["details"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                let matches: [JSONValue] = ids.map { id in
                    let away = Int(id.dropFirst()).map(abroad) ?? false
                    return [
                        "id": .string(id), "first_name": "Ana", "last_name": .string("Diaz \(id)"), "title": "Practice Owner",
                        "seniority": "owner", "email": .string("\(id)@clinic.example"), "email_status": "verified",
                        "linkedin_url": .string("http://www.linkedin.com/in/\(id)"), "city": away ? "Auckland" : "Sydney",
                        "state": away ? "Auckland" : "New South Wales", "country": away ? "New Zealand" : "Australia",
                        "organization": [
                            "id": .string("org-\(id)"), "name": .string("Clinic \(id)"), "website_url": .string("http://\(id).example"),
                            "estimated_num_employees": 20, "industry": "dentists",
                        ],
                    ]
                }
                return json([
                    "status": "success", "matches": .array(matches), "credits_consumed": .int(Int64(ids.count)),
                    "total_requested_enrichments": .int(Int64(ids.count)), "unique_enriched_records": .int(Int64(ids.count)),
                    "missing_records": 0,
                ])
            default:
                return .text(404, "{\"error\": \"no such endpoint\"}", type: "application/json")
            }
        }
    }

    func paths() -> [String] { requests.current.map(\.path) }

    /// What each request asked, in order: `search 1` for the first search page, `match p11` for the
    /// bulk_match batch starting with person p11.
    func asked() -> [String] {
        requests.current.map { request in
            request.path.hasSuffix("api_search")
                ? "search \(request.body["page"]?.intValue ?? 0)"
                : "match \(request.body["details"]?.arrayValue?.first?["id"]?.stringValue ?? "?")"
        }
    }
}

@Suite("leads from Apollo's API: search, bulk_match in tens, errors, replay")
struct ApolloLeadsTests {
    static func tree(_ apollo: FakeApollo, quota: Int = 1250) throws -> TestTree {
        let tree = try LeadFiles.tree(quota: quota)
        var document = try tree.json("pipeline.json").objectValue!
        var providers = document["providers"]!.objectValue!
        providers["leads"] = "apollo"
        providers["apollo"] = ["base_url": .string(apollo.server.baseURL)]
        document["providers"] = .object(providers)
        try tree.writePipeline(.object(document))
        try LeadFiles.request(tree, client: "harbor", job: "harbor-1")
        return tree
    }

    static let key = ["APOLLO_API_KEY": "test-key", "ONBOARD_NOW": "2026-11-25T09:30:00Z"]

    @Test func peopleFoundAndMatchedInBatchesOfTenBecomeScoredLeadsAndAreReplayedOnRerun() throws {
        let apollo = try FakeApollo()
        let tree = try Self.tree(apollo)
        let output = try tree.onboard(["run"], environment: Self.key)
        #expect(output.status == 0, "\(output.stdout) \(output.stderr)")
        let rows = try LeadFiles.leads(tree, job: "harbor-1")
        #expect(rows.count == FakeApollo.people)
        #expect(rows.first?["Email"]?.hasSuffix("@clinic.example") == true)
        #expect(rows.first?["lead_id"]?.hasPrefix("p") == true, "Apollo's person id is the lead id")
        let requests = apollo.requests.current
        #expect(requests.allSatisfy { $0.key == "test-key" }, "the key goes in the x-api-key header")
        let search = try #require(requests.first { $0.path == "/api/v1/mixed_people/api_search" })
        #expect(search.body["person_titles"] == ["Practice owners"])
        #expect(search.body["person_locations"] == ["australia"])
        #expect(search.body["organization_num_employees_ranges"] == ["11,50"])
        #expect(search.body["q_keywords"] == "Dental practices")
        #expect(search.body["per_page"] == 100)
        let matches = requests.filter { $0.path == "/api/v1/people/bulk_match" }
        #expect(matches.map { $0.body["details"]?.arrayValue?.count ?? 0 } == [10, 3])
        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["provider"] == "apollo")
        #expect(summary["apollo"]?["credits_consumed"] == 13)
        #expect(tree.read("outbox/harbor-1/leads/apollo-answers.json")?.contains("test-key") == false, "no secret in artifacts")

        let before = tree.read("outbox/harbor-1/leads/leads.csv")
        let calls = requests.count
        #expect(try tree.onboard(["rerun", "harbor-1", "leads"], environment: Self.key).status == 0)
        #expect(apollo.requests.current.count == calls, "a rerun replays the recorded answers")
        #expect(tree.read("outbox/harbor-1/leads/leads.csv") == before)
        #expect(try tree.onboard(["rerun", "harbor-1", "leads", "--refetch"], environment: Self.key).status == 0)
        #expect(apollo.requests.current.count > calls, "--refetch asks again")
    }

    @Test func eachAnswerIsRecordedAsItArrivesSoARetryAfterAFailedBatchDoesNotPayForTheEarlierOnes() throws {
        let apollo = try FakeApollo(people: 35)
        apollo.failingBatch.withValue { $0 = "p21" }
        let tree = try Self.tree(apollo)
        let failed = try tree.onboard(["run"], environment: Self.key)
        #expect(failed.status == 1)
        #expect(try tree.json("outbox/harbor-1/leads/error.json")["error"]?.stringValue?.contains("500") == true)
        let first = apollo.asked()
        #expect(first.filter { $0 == "match p21" }.count >= 2, "the engine retried the failing batch: \(first)")
        #expect(first.filter { $0 != "match p21" } == ["search 1", "match p1", "match p11"],
                "the engine's retries replayed the search page and the first two batches: \(first)")
        #expect(tree.read("outbox/harbor-1/.recording/leads/series.json") != nil, "the answers outlive the failed stage")

        apollo.failingBatch.withValue { $0 = nil }
        let rerun = try tree.onboard(["rerun", "harbor-1", "leads"], environment: Self.key)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Array(apollo.asked().dropFirst(first.count)) == ["match p21", "match p31"],
                "only what had not been answered is asked again")
        #expect(!FileManager.default.fileExists(atPath: tree.url("outbox/harbor-1/.recording/leads").path),
                "committed outputs hold the answers; the recording is gone")
        let stamp = try tree.json("outbox/harbor-1/leads/stamp.json")
        #expect(stamp["warnings"]?.arrayValue?.contains { $0.stringValue?.hasPrefix("3 Apollo answers taken from an earlier attempt") == true } == true,
                "\(stamp["warnings"] ?? .null)")

        let clean = try FakeApollo(people: 35)
        let cleanTree = try Self.tree(clean)
        #expect(try cleanTree.onboard(["run"], environment: Self.key).status == 0)
        for file in ["leads.csv", "summary.json", "apollo-answers.json"] {
            #expect(tree.read("outbox/harbor-1/leads/\(file)") == cleanTree.read("outbox/harbor-1/leads/\(file)"), "\(file)")
        }
        #expect(try LeadFiles.leads(tree, job: "harbor-1").count == 35)
    }

    @Test func aProcessKilledInTheMiddleOfBulkMatchLosesNoAnswerItAlreadyPaidFor() throws {
        let apollo = try FakeApollo(people: 35)
        apollo.stallingBatch.withValue { $0 = "p21" }
        let tree = try Self.tree(apollo)
        let running = try tree.start(["run"], environment: Self.key)
        #expect(eventually { apollo.asked().contains("match p21") })
        running.signal(SIGKILL)
        _ = running.finish()
        #expect(apollo.asked() == ["search 1", "match p1", "match p11", "match p21"])

        apollo.stallingBatch.withValue { $0 = nil }
        let next = try tree.onboard(["run"], environment: Self.key)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(Array(apollo.asked().dropFirst(4)) == ["match p21", "match p31"], "the answers recorded before the kill are replayed")
        let clean = try FakeApollo(people: 35)
        let cleanTree = try Self.tree(clean)
        #expect(try cleanTree.onboard(["run"], environment: Self.key).status == 0)
        #expect(tree.read("outbox/harbor-1/leads/leads.csv") == cleanTree.read("outbox/harbor-1/leads/leads.csv"))
        #expect(tree.read("outbox/harbor-1/leads/apollo-answers.json") == cleanTree.read("outbox/harbor-1/leads/apollo-answers.json"))
    }

    @Test func aRefetchThatFailsIsResumedNotAskedAgainAndNotMixedWithTheOldAnswers() throws {
        let apollo = try FakeApollo(people: 25)
        let tree = try Self.tree(apollo)
        #expect(try tree.onboard(["run"], environment: Self.key).status == 0)
        let before = apollo.asked().count
        apollo.failingBatch.withValue { $0 = "p21" }
        #expect(try tree.onboard(["rerun", "harbor-1", "leads", "--refetch"], environment: Self.key).status == 1)
        let refetched = Array(apollo.asked().dropFirst(before))
        #expect(refetched.filter { $0 != "match p21" } == ["search 1", "match p1", "match p11"], "\(refetched)")
        apollo.failingBatch.withValue { $0 = nil }
        let asked = apollo.asked().count
        #expect(try tree.onboard(["rerun", "harbor-1", "leads"], environment: Self.key).status == 0)
        #expect(Array(apollo.asked().dropFirst(asked)) == ["match p21"],
                "the refetch's answers are resumed; its unanswered batch is asked, not replayed from the old run")
    }

    /// A source as the leads stage makes one, recording into a fresh folder, with short windows.
    static func source(_ apollo: FakeApollo, windows: [ApolloRateWindows.Window], deadline: Double? = nil) throws -> ApolloLeadSource {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apollo-recording-\(UUID().uuidString)")
        var source = ApolloLeadSource(
            baseURL: URL(string: apollo.server.baseURL)!, apiKey: "test-key",
            recording: try AnswerRecording(folder: folder, refetch: false), jobID: "harbor-1", deadline: deadline)
        source.windows = ApolloRateWindows(windows: windows)
        return source
    }

    @Test func aUsedUpRateWindowIsWaitedOutBeforeTheNextRequest() async throws {
        // bulk_match may be asked twice a window: the third batch must wait for the window to reset.
        let apollo = try FakeApollo(people: 35, window: (limit: 2, seconds: 1.5))
        var source = try Self.source(apollo, windows: [.init(name: "minute", seconds: 1.5)])
        let rows = try await source.people(for: LeadFit(try ConfirmedICP.read(LeadFiles.dentalICP)), limit: 100)
        #expect(rows.count == 35)
        let batches = apollo.requests.current.filter { $0.path.hasSuffix("bulk_match") }.map(\.at)
        try #require(batches.count == 4)
        #expect(batches[2] - batches[0] >= 1.5, "the third batch came \(batches[2] - batches[0]) s after the first")
        #expect(batches[3] - batches[0] >= 1.5)
    }

    @Test func aWindowResettingPastTheTimeLimitFailsTheStageWithoutAskingEarly() async throws {
        // A minute as long as an hour, against five minutes left: the reset cannot fit, however slow the machine.
        let apollo = try FakeApollo(people: 35, window: (limit: 2, seconds: 3600))
        var source = try Self.source(
            apollo, windows: [.init(name: "minute", seconds: 3600)], deadline: EngineClock().monotonicSeconds() + 300)
        await #expect {
            _ = try await source.people(for: LeadFit(try ConfirmedICP.read(LeadFiles.dentalICP)), limit: 100)
        } throws: { error in
            let message = (error as? StageFailure)?.message ?? ""
            return message.contains("minute request limit of 2 is used up") && message.contains("onboard rerun harbor-1 leads")
        }
        #expect(apollo.asked() == ["search 1", "match p1", "match p11"], "no request is sent into a used-up window")
    }

    @Test func rateWindowsResetOneWindowLengthAfterTheFirstAnswerSeenInThem() {
        var windows = ApolloRateWindows()
        let minute = ApolloRateWindows.documented[0], hourly = ApolloRateWindows.documented[1]
        windows.observe(["x-minute-requests-left": "2", "x-hourly-requests-left": "10"], endpoint: "a", at: 100)
        #expect(windows.hold("a") == nil)
        windows.observe(["x-minute-requests-left": "0", "x-rate-limit-minute": "3", "x-hourly-requests-left": "9"], endpoint: "a", at: 130)
        #expect(windows.hold("a") == .init(until: 160, window: minute, limit: 3))
        #expect(windows.hold("b") == nil, "windows are per endpoint")
        // A new minute: more left than before; then the hour runs out, counted from its first answer.
        windows.observe(["x-minute-requests-left": "2", "x-hourly-requests-left": "0"], endpoint: "a", at: 170)
        #expect(windows.hold("a") == .init(until: 3700, window: hourly, limit: nil))
        // An answer after the old window must have ended starts a new one even when none is left.
        windows.observe(["x-minute-requests-left": "0", "x-hourly-requests-left": "0"], endpoint: "a", at: 3800)
        #expect(windows.hold("a") == .init(until: 3800 + 3600, window: hourly, limit: nil))
        windows.observe(["x-minute-requests-left": "soon"], endpoint: "c", at: 1)
        #expect(windows.hold("c") == nil, "an unreadable header is no limit")
    }

    @Test func everyPageOfALargeSearchIsReadWhileTheQuotaIsNotMet() throws {
        let apollo = try FakeApollo(people: 250)
        let tree = try Self.tree(apollo)
        #expect(try tree.onboard(["run"], environment: Self.key).status == 0)
        #expect(apollo.asked().filter { $0.hasPrefix("search") } == ["search 1", "search 2", "search 3"],
                "250 people are three pages of 100, and there is no fourth")
        let ids = Set(try LeadFiles.leads(tree, job: "harbor-1").compactMap { $0["lead_id"] })
        #expect(ids.count == 250)
        #expect(ids.contains("p201") && ids.contains("p250"), "people of the last page are leads")
        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["apollo"]?["credits_consumed"] == 250)
    }

    @Test func searchingStopsOnceEnoughEnrichedPeopleFitTheQuotaNotWhenEnoughWereFound() throws {
        // Page 1 is all people in New Zealand: they cost credits but do not fit, so pages 2 and 3 are read.
        let apollo = try FakeApollo(people: 400, abroad: { $0 <= 100 })
        let tree = try Self.tree(apollo, quota: 120)
        #expect(try tree.onboard(["run"], environment: Self.key).status == 0)
        let asked = apollo.asked()
        let expected = ["search 1"] + stride(from: 1, to: 100, by: 10).map { "match p\($0)" }
            + ["search 2"] + stride(from: 101, to: 200, by: 10).map { "match p\($0)" }
            + ["search 3", "match p201", "match p211"]
        #expect(asked == expected, "\(asked)")
        let leads = try LeadFiles.leads(tree, job: "harbor-1")
        #expect(leads.count == 120)
        #expect(leads.contains { $0["lead_id"] == "p220" } && !leads.contains { $0["lead_id"] == "p221" })
        #expect(!leads.contains { $0["Country"] == "New Zealand" })
        let summary = try tree.json("outbox/harbor-1/leads/summary.json")
        #expect(summary["shortfall"] == 0)
        #expect(summary["apollo"]?["credits_consumed"] == 220)
    }

    @Test func theLastPageFollowsTotalEntriesUpToApollosCapOf500Pages() {
        #expect(ApolloLeadSource.lastPage(total: 0) == 0)
        #expect(ApolloLeadSource.lastPage(total: 1) == 1)
        #expect(ApolloLeadSource.lastPage(total: 100) == 1)
        #expect(ApolloLeadSource.lastPage(total: 101) == 2)
        #expect(ApolloLeadSource.lastPage(total: 50_000) == 500)
        #expect(ApolloLeadSource.lastPage(total: 2_000_000) == 500)
        #expect(ApolloLeadSource.lastPage(total: -5) == 0)
    }

    @Test(arguments: [
        (401, "", "Invalid API key", "check APOLLO_API_KEY"),
        (403, "application/json", #"{"error": "You are not authorized to access api/v1/mixed_people/api_search", "error_code": "API_INACCESSIBLE"}"#, "403 API_INACCESSIBLE"),
        (422, "application/json", #"{"error": "Invalid parameters"}"#, "refused the search parameters (422): Invalid parameters"),
    ])
    func apolloRefusalsFailTheStageWithAClearMessage(status: Int, type: String, body: String, message: String) throws {
        let apollo = try FakeApollo()
        apollo.failNext.withValue { $0 = (status, type.isEmpty ? [:] : ["Content-Type": type], body) }
        let tree = try Self.tree(apollo)
        let output = try tree.onboard(["run"], environment: Self.key)
        #expect(output.status == 1)
        let error = try tree.json("outbox/harbor-1/leads/error.json")
        #expect(error["error"]?.stringValue?.contains(message) == true, "\(error)")
        #expect(error["error"]?.stringValue?.contains("test-key") == false)
        #expect(apollo.requests.current.count == 1, "a refusal is not retried")
    }

    /// The next answer is Apollo's 429 for the hourly limit of the search.
    static func rateLimitNext(_ apollo: FakeApollo, retryAfter: String) {
        apollo.failNext.withValue {
            $0 = (429, ["Retry-After": retryAfter, "Content-Type": "application/json"],
                  #"{"message": "The maximum number of api calls allowed for api/v1/mixed_people/api_search is 600 times per hour"}"#)
        }
    }

    @Test func aRateLimitIsWaitedOutAsRetryAfterSays() throws {
        let apollo = try FakeApollo()
        // Longer than any backoff of the first retry, so a retry that ignored it would come too early.
        Self.rateLimitNext(apollo, retryAfter: "2")
        let tree = try Self.tree(apollo)
        let output = try tree.onboard(["run"], environment: Self.key)
        #expect(output.status == 0, "\(output.stderr)")
        let requests = apollo.requests.current
        #expect(requests.prefix(2).map(\.path) == ["/api/v1/mixed_people/api_search", "/api/v1/mixed_people/api_search"])
        try #require(requests.count >= 2)
        #expect(requests[1].at - requests[0].at >= 2, "the retry came \(requests[1].at - requests[0].at) s after the 429")
        #expect(try LeadFiles.leads(tree, job: "harbor-1").count == FakeApollo.people)
    }

    @Test func aRetryAfterPastTheTimeLimitFailsTheStageAtOnceWithoutRetrying() throws {
        let apollo = try FakeApollo()
        Self.rateLimitNext(apollo, retryAfter: "3600")
        let tree = try Self.tree(apollo)
        let output = try tree.onboard(["run"], environment: Self.key)
        #expect(output.status == 1)
        let error = try tree.json("outbox/harbor-1/leads/error.json")
        #expect(error["error"]?.stringValue?.contains("asked to wait 3600.0 s, past the phase's time limit") == true, "\(error)")
        #expect(error["error"]?.stringValue?.contains("onboard rerun harbor-1 leads") == true, "\(error)")
        #expect(error["transient"] == false)
        #expect(apollo.requests.current.count == 1, "a wait that cannot fit is not tried early")
    }

    @Test func aRedirectIsNotFollowedSoTheKeyNeverTravelsToAnotherHost() throws {
        let elsewhere = Locked<[String?]>([])
        let other = try LoopbackServer { request in
            elsewhere.withValue { $0.append(request.headers["x-api-key"]) }
            return .text(200, "{}", type: "application/json")
        }
        let apollo = try FakeApollo()
        apollo.failNext.withValue { $0 = (307, ["Location": "\(other.baseURL)/api/v1/mixed_people/api_search"], "") }
        let tree = try Self.tree(apollo)
        #expect(try tree.onboard(["run"], environment: Self.key).status == 1)
        let error = try tree.json("outbox/harbor-1/leads/error.json")
        #expect(error["error"]?.stringValue?.contains("redirect") == true, "\(error)")
        #expect(elsewhere.current.isEmpty, "nothing, and no key, reached the other server")
    }

    @Test func anAnswerThatIsNotJSONFailsTheStageAndIsNotRecorded() throws {
        let apollo = try FakeApollo()
        apollo.failNext.withValue { $0 = (200, ["Content-Type": "text/html"], "<html>maintenance</html>") }
        let tree = try Self.tree(apollo)
        #expect(try tree.onboard(["run"], environment: Self.key).status == 1)
        let error = try tree.json("outbox/harbor-1/leads/error.json")
        #expect(error["error"]?.stringValue?.contains("not a JSON object: <html>maintenance</html>") == true, "\(error)")
        #expect(try tree.onboard(["rerun", "harbor-1", "leads"], environment: Self.key).status == 0)
        #expect(apollo.asked().prefix(2) == ["search 1", "search 1"], "the bad answer was asked again, not replayed")
        #expect(try LeadFiles.leads(tree, job: "harbor-1").count == FakeApollo.people)
    }

    @Test func withoutTheKeyNothingIsAskedAndTheVariableIsNamed() throws {
        let apollo = try FakeApollo()
        let tree = try Self.tree(apollo)
        let validate = try tree.onboard(["validate"])
        #expect(validate.status == 2)
        #expect((validate.stdout + validate.stderr).contains("APOLLO_API_KEY"))
        _ = try tree.onboard(["run"])
        #expect(apollo.requests.current.isEmpty)
    }
}
