import Foundation
import OnboardEngine
import Testing

/// `onboard serve` over real HTTP on 127.0.0.1: every endpoint, every error status, each answer
/// checked against the repository's openapi.json.
@Suite("onboard serve")
struct ServeTests {
    static let now = "2026-11-25T09:30:00Z"
    static let statusPath = "/api/v1/onboarding/status/{job_id}"
    static let resultPath = "/api/v1/onboarding/result/{job_id}"
    static let clientPath = "/api/v1/clients/{id}/icp"

    /// A tree whose pipeline is intake alone: `onboard run` turns an inbox file into a job and
    /// never reaches for the network.
    static func intakeOnlyTree() throws -> TestTree {
        try TestTree(pipeline: ["stages": [["name": "intake", "needs": []]]])
    }

    static func inboxFiles(_ tree: TestTree) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tree.url("inbox").path)) ?? []).filter { $0 != "rejected" }.sorted()
    }

    @Test func analyzeAnswersTheJobIDIntakeGivesAndTheRequestBecomesThatJob() async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let body = Data(#"{"company_name": "Harbor  Dental Growth", "website_url": "HTTPS://HarborDental.example", "tier": "velocity", "client_id": "harbor-dental"}"#.utf8)
        let answer = try await server.call("POST", "/api/v1/onboarding/analyze", raw: body)
        #expect(answer.status == 202)
        let job = try #require(answer.json?["job_id"]?.stringValue)
        #expect(job.hasPrefix("harbor-dental-") && job.count == "harbor-dental-".count + 10)
        #expect(Self.inboxFiles(tree) == ["api-\(job).json"], "one file, no .part left behind")
        #expect(try Data(contentsOf: tree.url("inbox/api-\(job).json")) == body, "the request's bytes as posted")

        let queued = try await server.call("GET", "/api/v1/onboarding/status/\(job)", operation: Self.statusPath)
        #expect(queued.status == 202)
        #expect(queued.json?["inbox_file"] == .string("inbox/api-\(job).json"))

        let run = try tree.onboard(["run"], environment: ["ONBOARD_NOW": Self.now])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(tree.jobIDs() == [job], "intake gave the job the id the facade answered")
        #expect(try tree.json("outbox/\(job)/request.json") == JSONValue.parse(body))

        let status = try await server.call("GET", "/api/v1/onboarding/status/\(job)", operation: Self.statusPath)
        #expect(status.status == 200)
        #expect(status.body == (try Data(contentsOf: tree.url("outbox/\(job)/job.json"))), "job.json as the engine wrote it")

        // The same request again, spelled differently: the same job, nothing new in the inbox.
        let again = try await server.call("POST", "/api/v1/onboarding/analyze", json: TestTree.sampleRequest().merging(["website_url": "https://harbordental.example/"]) { $1 }.asObject)
        #expect(again.status == 202)
        #expect(again.json?["job_id"] == .string(job))
        #expect(Self.inboxFiles(tree) == ["api-\(job).json"])
    }

    @Test func analyzeRefusesWhatIntakeWouldRejectAndWritesNothing() async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let path = "/api/v1/onboarding/analyze"
        var request = TestTree.sampleRequest()

        let notJSON = try await server.call("POST", path, raw: Data("{not json".utf8))
        #expect(notJSON.status == 400)
        let empty = try await server.call("POST", path, raw: Data())
        #expect(empty.status == 400)
        request["website_url"] = "javascript:alert(1)"
        let scheme = try await server.call("POST", path, json: request.asObject)
        #expect(scheme.status == 400)
        #expect(scheme.json?["field"] == "website_url")
        #expect(scheme.error?.contains("scheme javascript") == true)
        request = TestTree.sampleRequest()
        request["owner"] = "someone"
        let unknown = try await server.call("POST", path, json: request.asObject)
        #expect(unknown.status == 400)
        #expect(unknown.json?["field"] == "owner")
        request = TestTree.sampleRequest(tier: "platinum")
        let tier = try await server.call("POST", path, json: request.asObject)
        #expect(tier.status == 400)
        #expect(tier.json?["field"] == "tier")
        request = TestTree.sampleRequest()
        request["client_id"] = "../../etc"
        let escape = try await server.call("POST", path, json: request.asObject)
        #expect(escape.status == 400)
        #expect(escape.json?["field"] == "client_id")
        #expect(Self.inboxFiles(tree).isEmpty, "nothing refused reaches the inbox")

        // A request_id names one request only.
        request = TestTree.sampleRequest()
        request["request_id"] = "harbor-2026"
        let first = try await server.call("POST", path, json: request.asObject)
        #expect(first.status == 202)
        #expect(first.json?["job_id"] == "harbor-2026")
        request["company_name"] = "Another Company"
        let reused = try await server.call("POST", path, json: request.asObject)
        #expect(reused.status == 409)
        #expect(reused.json?["field"] == "request_id")
        #expect(Self.inboxFiles(tree) == ["api-harbor-2026.json"])
        #expect(try tree.json("inbox/api-harbor-2026.json")["company_name"] == "Harbor Dental Growth", "the first request is kept")
    }

    @Test func statusAndResultRefuseUnknownAndUnsafeJobIDs() async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        try tree.write("secret.json", #"{"job_id": "secret", "status": "completed"}"#)
        for template in [Self.statusPath, Self.resultPath] {
            let base = template.replacingOccurrences(of: "{job_id}", with: "")
            let unknown = try await server.call("GET", base + "no-such-job", operation: template)
            #expect(unknown.status == 404)
            // libcurl resolves a literal ".." before sending, so that one names no endpoint at all.
            let dots = try await server.call("GET", base + "..", operation: template)
            #expect([400, 404].contains(dots.status))
            for bad in ["Upper-Case", "%2e%2e", "a%2F..%2F..%2Fsecret", "-leading-dash", String(repeating: "a", count: 200)] {
                let answer = try await server.call("GET", base + bad, operation: template)
                #expect(answer.status == 400, "\(bad)")
                #expect(answer.json?["field"] == "job_id")
            }
        }
        let nested = try await server.call("GET", "/api/v1/onboarding/status/../../secret.json")
        #expect(nested.status == 404, "a path with more segments names no endpoint")
        #expect(nested.body.range(of: Data("completed".utf8)) == nil)
    }

    @Test func resultServesTheConfirmedICPElseTheEnrichedElseTheExtracted() async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let job = "harbor-dental-0123456789"
        try tree.write("outbox/\(job)/job.json", #"{"job_id": "\#(job)", "status": "running", "client_id": "harbor-dental"}"#)
        let path = "/api/v1/onboarding/result/\(job)"
        let none = try await server.call("GET", path, operation: Self.resultPath)
        #expect(none.status == 404)
        #expect(none.error?.contains("no ICP yet") == true)

        let item = #"{"value": "%@", "confidence": 80, "evidence": []}"#
        for (stage, value) in [("icp", "Dental practices"), ("enrich", "Dental clinics"), ("confirm", "Orthodontists")] {
            try tree.write("outbox/\(job)/\(stage)/icp.json", #"{"icp_industries": [\#(item.replacingOccurrences(of: "%@", with: value))]}"#)
            let answer = try await server.call("GET", path, operation: Self.resultPath)
            #expect(answer.status == 200)
            #expect(answer.json?["source"] == .string("\(stage)/icp.json"))
            #expect(answer.json?["confirmed"] == .bool(stage == "confirm"))
            #expect(answer.json?["icp"]?["icp_industries"]?.arrayValue?.first?["value"] == .string(value))
        }
    }

    @Test func confirmWritesTheReviewersConfirmationForTheNextRun() async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree, environment: ["ONBOARD_NOW": Self.now])
        let job = "harbor-dental-0123456789"
        try tree.write("outbox/\(job)/job.json", #"{"job_id": "\#(job)", "status": "waiting"}"#)
        let path = "/api/v1/onboarding/confirm"

        let answer = try await server.call(
            "POST", path, json: ["job_id": .string(job), "confirmed_by": "Dana Reviewer", "edits": ["icp_titles": ["Practice Owner"]]])
        #expect(answer.status == 200)
        #expect(answer.json?["confirmed_at"] == .string(Self.now))
        let written = try tree.json("outbox/\(job)/inputs/confirm.json")
        #expect(written["confirmed_by"] == "Dana Reviewer")
        #expect(written["confirmed_at"] == .string(Self.now))
        #expect(written["edits"]?["icp_titles"] == [["value": "Practice Owner", "confidence": 100, "evidence": []]])

        let bare = try await server.call("POST", path, json: ["job_id": .string(job)])
        #expect(bare.status == 200)
        #expect(try tree.json("outbox/\(job)/inputs/confirm.json")["confirmed_by"] == "api")
        #expect(try tree.json("outbox/\(job)/inputs/confirm.json")["edits"] == .null)

        let before = try Data(contentsOf: tree.url("outbox/\(job)/inputs/confirm.json"))
        let badEdit = try await server.call("POST", path, json: ["job_id": .string(job), "edits": ["icp_colours": ["red"]]])
        #expect(badEdit.status == 400)
        #expect(badEdit.error?.contains("icp_colours") == true)
        let badConfidence = try await server.call(
            "POST", path, json: ["job_id": .string(job), "edits": ["icp_titles": [["value": "Owner", "confidence": 500]]]])
        #expect(badConfidence.status == 400)
        #expect(badConfidence.error?.contains("icp_titles[0].confidence") == true)
        let missing = try await server.call("POST", path, json: ["edits": [:]])
        #expect(missing.status == 400)
        let extra = try await server.call("POST", path, json: ["job_id": .string(job), "approve": true])
        #expect(extra.status == 400)
        #expect(extra.json?["field"] == "approve")
        let badBy = try await server.call("POST", path, json: ["job_id": .string(job), "confirmed_by": 7])
        #expect(badBy.status == 400)
        let unsafe = try await server.call("POST", path, json: ["job_id": "../outbox"])
        #expect(unsafe.status == 400)
        let unknown = try await server.call("POST", path, json: ["job_id": "no-such-job"])
        #expect(unknown.status == 404)
        #expect(try Data(contentsOf: tree.url("outbox/\(job)/inputs/confirm.json")) == before, "refusals write nothing")
        #expect(!tree.exists("outbox/no-such-job"))
    }

    @Test func clientICPIsReadByAnyoneAndReplacedOnlyWithTheAdminToken() async throws {
        let tree = try Self.intakeOnlyTree()
        let path = "/api/v1/clients/harbor-dental/icp"
        let edit: JSONValue = ["icp_industries": ["Dental practices"], "icp_titles": ["Practice Owner"]]
        do {
            let closed = try FacadeProcess(tree: tree)
            let refused = try await closed.call("PUT", path, operation: Self.clientPath, json: edit, headers: ["Authorization": "Bearer anything"])
            #expect(refused.status == 403)
            #expect(refused.error?.contains("ONBOARD_ADMIN_TOKEN") == true)
        }
        let token = "s3cret-admin-token"
        let server = try FacadeProcess(tree: tree, environment: ["ONBOARD_ADMIN_TOKEN": token, "ONBOARD_NOW": Self.now])
        let unknown = try await server.call("GET", path, operation: Self.clientPath)
        #expect(unknown.status == 404)
        let anonymous = try await server.call("PUT", path, operation: Self.clientPath, json: edit)
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"] == "Bearer")
        let basic = try await server.call("PUT", path, operation: Self.clientPath, json: edit, headers: ["Authorization": "Basic \(token)"])
        #expect(basic.status == 401)
        for wrong in ["wrong", token + "x", String(token.dropLast()), ""] {
            let answer = try await server.call("PUT", path, operation: Self.clientPath, json: edit, headers: ["Authorization": "Bearer \(wrong)"])
            #expect([401, 403].contains(answer.status), "\(wrong)")
        }
        #expect(try await server.call("GET", path, operation: Self.clientPath).status == 404, "no refused PUT wrote anything")

        let bearer = ["Authorization": "Bearer \(token)"]
        let put = try await server.call("PUT", path, operation: Self.clientPath, json: edit, headers: bearer)
        #expect(put.status == 200)
        #expect(put.json?["icp"]?["icp_titles"]?.arrayValue?.first?["value"] == "Practice Owner")
        #expect(put.json?["icp_confirmed_at"] == .null, "an administrator's ICP is not a confirmation")
        let read = try await server.call("GET", path, operation: Self.clientPath)
        #expect(read.status == 200)
        #expect(read.json?["icp"]?["icp_industries"]?.arrayValue?.first?["value"] == "Dental practices")
        let cli = try tree.onboard(["icp", "get", "harbor-dental", "--json"])
        #expect(try JSONValue.parse(Data(cli.stdout.utf8))["icp"] == read.json?["icp"], "the same record `onboard icp get` shows")

        let badField = try await server.call("PUT", path, operation: Self.clientPath, json: ["icp_colours": ["red"]], headers: bearer)
        #expect(badField.status == 400)
        let notObject = try await server.call("PUT", path, operation: Self.clientPath, json: ["a", "b"], headers: bearer)
        #expect(notObject.status == 400)
        let badID = try await server.call("GET", "/api/v1/clients/Harbor_Dental/icp", operation: Self.clientPath)
        #expect(badID.status == 400)
    }

    @Test func unknownPathsWrongMethodsAndLargeBodiesGetJSONErrors() async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let missing = try await server.call("GET", "/api/v1/nothing-here")
        #expect(missing.status == 404)
        let root = try await server.call("GET", "/")
        #expect(root.status == 404)

        let wrongMethod = try await server.call("GET", "/api/v1/onboarding/analyze")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "POST")
        let deleteClient = try await server.call("DELETE", "/api/v1/clients/harbor-dental/icp", operation: Self.clientPath)
        #expect(deleteClient.status == 405)
        #expect(deleteClient.headers["allow"] == "GET, PUT")
        let postStatus = try await server.call("POST", "/api/v1/onboarding/status/x", operation: Self.statusPath, json: [:])
        #expect(postStatus.status == 405)

        let huge = Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
        let tooLarge = try await server.call("POST", "/api/v1/onboarding/analyze", raw: huge)
        #expect(tooLarge.status == 413)
        #expect(Self.inboxFiles(tree).isEmpty)
        let atLimit = try await server.call("POST", "/api/v1/onboarding/analyze", raw: Data(repeating: UInt8(ascii: " "), count: 1 << 20))
        #expect(atLimit.status == 400, "1 MiB exactly is read (and is not a request)")

        let document = try await server.call("GET", "/openapi.json")
        #expect(document.status == 200)
        #expect(document.body == (try Data(contentsOf: OpenAPIContract.file)), "served byte for byte from the repository")
        #expect(document.json?["openapi"] == "3.1.0")
    }

    @Test func stripeWebhookAnswersEveryRowOfTheTableOverHTTP() async throws {
        typealias D = StripeDelivery
        let tree = try TestTree.allocating()
        try tree.job("job-a", client: "harbor", tier: "ignition")
        try tree.job("job-b", client: "other", tier: "ignition")
        let path = "/webhooks/stripe"
        let signedAt = RFC3339.format(D.clock.now())
        let paid = D.event(id: "evt_paid", object: D.checkout(client: "harbor"))

        do {
            let unconfigured = try FacadeProcess(tree: tree)
            let refused = try await unconfigured.call("POST", path, raw: paid, headers: ["Stripe-Signature": D.signed(paid)])
            #expect(refused.status == 400)
            #expect(refused.error?.contains("no secret configured") == true)
        }
        let server = try FacadeProcess(tree: tree, environment: ["STRIPE_WEBHOOK_SECRET": D.secret, "ONBOARD_NOW": signedAt])
        let unsigned = try await server.call("POST", path, raw: paid)
        #expect(unsigned.status == 400)
        let forged = try await server.call("POST", path, raw: paid, headers: ["Stripe-Signature": D.signed(paid, secret: "whsec_wrong")])
        #expect(forged.status == 400)
        let notEvent = Data(#"{"hello": "world"}"#.utf8)
        let junk = try await server.call("POST", path, raw: notEvent, headers: ["Stripe-Signature": D.signed(notEvent)])
        #expect(junk.status == 400)
        #expect(!tree.exists("outbox/job-a/inputs/payment.json"), "nothing written for a refused delivery")

        let unpaid = D.event(id: "evt_unpaid", object: D.checkout(client: "harbor", status: "unpaid"))
        let ignored = try await server.call("POST", path, raw: unpaid, headers: ["Stripe-Signature": D.signed(unpaid)])
        #expect(ignored.status == 200)
        #expect(ignored.json?["ignored"]?.stringValue != nil)

        let written = try await server.call("POST", path, raw: paid, headers: ["Stripe-Signature": D.signed(paid)])
        #expect(written.status == 200)
        #expect(written.json?["job_id"] == "job-a")
        #expect(try tree.json("outbox/job-a/inputs/payment.json")["event_id"] == "evt_paid")
        let duplicate = try await server.call("POST", path, raw: paid, headers: ["Stripe-Signature": D.signed(paid)])
        #expect(duplicate.status == 200)
        #expect(duplicate.json?["duplicate"] == true)

        let crossed = D.event(id: "evt_crossed", object: D.checkout(client: "harbor", job: "job-b"))
        let conflict = try await server.call("POST", path, raw: crossed, headers: ["Stripe-Signature": D.signed(crossed)])
        #expect(conflict.status == 409)
        #expect(!tree.exists("outbox/job-b/inputs/payment.json"))

        let early = D.event(id: "evt_early", object: D.checkout(client: "newcomer"))
        let kept = try await server.call("POST", path, raw: early, headers: ["Stripe-Signature": D.signed(early)])
        #expect(kept.status == 202)
        #expect(kept.json?["kept"] == true)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func stopsGracefullyOnASignal(_ signal: Int32) async throws {
        let tree = try Self.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        #expect(try await server.call("GET", "/openapi.json").status == 200)
        let (status, stderr) = server.stop(signal)
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("onboard serve: stopped"))
    }

    @Test func theDocumentDescribesEveryEndpointOfTheContract() throws {
        let paths = try #require(OpenAPIContract.shared.document["paths"]?.objectValue)
        let expected: [String: [String]] = [
            "/api/v1/onboarding/analyze": ["post"], Self.statusPath: ["get"], Self.resultPath: ["get"],
            "/api/v1/onboarding/confirm": ["post"], Self.clientPath: ["get", "put"], "/webhooks/stripe": ["post"],
            "/openapi.json": ["get"],
        ]
        #expect(Set(paths.keys) == Set(expected.keys))
        for (path, methods) in expected {
            let documented = Set(paths[path]?.objectValue?.keys.map { $0 } ?? [])
            #expect(documented.isSuperset(of: methods), "\(path)")
        }
        #expect(OpenAPIContract.shared.statuses(Self.clientPath, "PUT")?.isSuperset(of: [200, 400, 401, 403, 413]) == true)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    var asObject: JSONValue { .object(self) }
}
