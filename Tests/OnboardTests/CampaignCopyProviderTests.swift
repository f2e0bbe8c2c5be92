import Foundation
import LoopbackServer
import OnboardEngine
import Testing

@testable import OnboardStages

/// The campaigns stage asking the `providers.icp` model for its sequence copy, against servers on
/// 127.0.0.1 in the Anthropic and OpenAI formats: good answers used, bad ones falling back whole.
@Suite("campaign copy from a model provider")
struct CampaignCopyProviderTests {
    static let job = "harbor-job"
    static let environment = ["ANTHROPIC_API_KEY": "sk-ant-test-campaigns-SECRET", "OPENAI_API_KEY": "sk-test-campaigns-SECRET"]

    /// intake, then command stages writing a confirmed ICP and the enrich intelligence in the
    /// contract's format, then the built-in campaigns stage.
    static func tree(
        _ kind: String = "anthropic", server: ProviderServer?, settings changes: [String: JSONValue] = [:]
    ) throws -> TestTree {
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var settings = defaults["settings"]!.objectValue!
        settings.merge(changes) { _, new in new }
        var providers = defaults["providers"]!.objectValue!
        if let server {
            providers["icp"] = .string(kind)
            providers[kind] = [
                "base_url": .string(server.server.baseURL + (kind == "openai" ? "/v1" : "")),
                "model": kind == "openai" ? "local-model" : "claude-sonnet-4-5",
            ]
        } else {
            providers["icp"] = "rules"
        }
        let stages: JSONValue = [
            ["name": "intake", "needs": []],
            PostOnboardingFixtures.copy("enrich", needs: ["intake"]),
            PostOnboardingFixtures.copy("confirm", needs: ["enrich"]),
            ["name": "campaigns", "needs": ["confirm", "enrich", "intake"]],
        ]
        let tree = try TestTree(pipeline: ["stages": stages, "settings": .object(settings), "providers": .object(providers)])
        try tree.write("fixtures/enrich/intelligence.json", String(decoding: CanonicalJSON.data(PostOnboardingFixtures.intelligence), as: UTF8.self))
        try tree.write("fixtures/confirm/icp.json", String(decoding: CanonicalJSON.data(PostOnboardingFixtures.icp), as: UTF8.self))
        var request = TestTree.sampleRequest()
        request["request_id"] = .string(job)
        try tree.request("\(job).json", request)
        return tree
    }

    static func run(_ tree: TestTree) throws {
        let output = try tree.onboard(["run"], environment: environment)
        #expect(output.status == 0, "\(output.stderr)")
    }

    /// The user text the stage sent, in either format.
    static func userText(_ request: ServerRequest) -> String {
        let body = try? JSONValue.parse(request.body)
        return body?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
    }

    /// The campaign ids the request lists ("## <id>: <name>").
    static func campaignIDs(_ request: ServerRequest) -> [String] {
        userText(request).split(separator: "\n").filter { $0.hasPrefix("## ") }.compactMap { line in
            line.dropFirst(3).split(separator: ":").first.map(String.init)
        }
    }

    /// Copy for every campaign asked for; `change` may spoil it.
    static func copy(_ ids: [String], change: (inout [[String: JSONValue]], String) -> Void = { _, _ in }) -> JSONValue {
        .object(["campaigns": .array(ids.map { id in
            var steps: [[String: JSONValue]] = (1...5).map { number in
                [
                    "step": .int(Int64(number)),
                    "subject": .string(number == 1 || number == 5 ? "{{company}} and fuller weekday books (\(id) \(number))" : ""),
                    "body": .string("Hi {{first_name}},\n\nModel copy for \(id) step \(number): fewer empty chairs for {{company}}.\n\nHarbor Dental Growth"),
                ]
            }
            change(&steps, id)
            return ["id": .string(id), "steps": .array(steps.map(JSONValue.object))]
        })])
    }

    static func answering(_ change: @escaping @Sendable (inout [[String: JSONValue]], String) -> Void = { _, _ in }) -> ProviderServer.Answer {
        { request in ProviderServer.anthropicMessage(copy(campaignIDs(request), change: change)) }
    }

    static func campaigns(_ tree: TestTree) throws -> [JSONValue] {
        try tree.json("outbox/\(job)/campaigns/campaigns.json")["campaigns"]?.arrayValue ?? []
    }

    static func warnings(_ tree: TestTree) throws -> [String] {
        try tree.json("outbox/\(job)/campaigns/stamp.json")["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// campaigns.json as the offline templates write it for the same inputs.
    static func offlineCampaigns() throws -> String {
        let tree = try Self.tree(server: nil)
        try run(tree)
        return try #require(tree.read("outbox/\(job)/campaigns/campaigns.json"))
    }

    // MARK: answers used

    @Test func aGoodAnswersCopyLandsInCampaignsJSONWithTheOfflineShapeAndItsCostInTheStamp() throws {
        let server = try ProviderServer([Self.answering()])
        let tree = try Self.tree(server: server)
        try Self.run(tree)
        #expect(server.count == 1, "one call for every campaign")

        let sent = try #require(server.requests.first)
        let body = try JSONValue.parse(sent.body)
        #expect(body["tool_choice"] == ["type": "tool", "name": "record_campaign_copy"])
        let text = Self.userText(sent)
        for expected in ["{{first_name}}", "{{website}}", "Patient recall campaigns", "Empty chairs on weekdays",
                         "More booked appointments without more front-desk work.", "Trusted by 120 practices across Australia",
                         "step 2: linkedin, 2 days after the previous step, subject: no"] {
            #expect(text.contains(expected), "the request names \(expected)")
        }

        let offline = try JSONValue.parse(Data(try Self.offlineCampaigns().utf8))["campaigns"]?.arrayValue ?? []
        let written = try Self.campaigns(tree)
        #expect(written.count == 4 && offline.count == 4)
        for (campaign, template) in zip(written, offline) {
            for key in ["id", "name", "segment", "status", "allocation_pct"] {
                #expect(campaign[key] == template[key], "\(key) stays the offline one")
            }
            let id = campaign["id"]?.stringValue ?? ""
            let steps = campaign["sequence"]?.arrayValue ?? []
            #expect(steps.count == 5)
            for (step, offlineStep) in zip(steps, template["sequence"]?.arrayValue ?? []) {
                #expect(step["channel"] == offlineStep["channel"] && step["delay_days"] == offlineStep["delay_days"])
                #expect(step["body"]?.stringValue?.contains("Model copy for \(id) step \(step["step"]?.intValue ?? 0)") == true)
            }
            #expect(steps[0]["subject"]?.stringValue == "{{company}} and fuller weekday books (\(id) 1)")
            #expect(steps[1]["subject"] == "", "a LinkedIn step has no subject")
        }

        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["provider"] == "anthropic")
        #expect(stamp["model"] == "claude-sonnet-4-5")
        #expect(stamp["tokens"] == 1500)
        // 1,200 input tokens at $3 and 300 output tokens at $15 per million.
        #expect(stamp["cost_usd"]?.doubleValue == 0.0081)
        let prompt = try Data(contentsOf: TestTree.packageRoot.appendingPathComponent("Sources/OnboardStages/Resources/prompts/campaign-copy.txt"))
        #expect(stamp["data_sha256"]?["prompts/campaign-copy.txt"] == .string(Digest.sha256(prompt)), "editing the prompt makes campaigns stale")
        #expect(stamp["data_sha256"]?["prompts/record_campaign_copy.schema.json"] != nil)
        let ledger = try tree.json("outbox/\(Self.job)/campaigns/cost.json")
        #expect(ledger["total_usd"]?.doubleValue == 0.0081)
        #expect(ledger["calls"]?.arrayValue?.first?["outcome"] == "used")
        let hash = try #require(ledger["calls"]?.arrayValue?.first?["request_sha256"]?.stringValue)
        #expect(tree.exists("outbox/\(Self.job)/campaigns/answers/\(hash.prefix(16)).response.json"))
        #expect(!(tree.read("outbox/\(Self.job)/campaigns/answers/\(hash.prefix(16)).request.json") ?? "").contains("SECRET"))
    }

    @Test func anOpenAIFormatAnswerInTheMessageTextIsUsedToo() throws {
        let server = try ProviderServer([{ request in
            let answer = Self.copy(Self.campaignIDs(request))
            return ProviderServer.openAICompletion(content: String(decoding: CanonicalJSON.compact(answer), as: UTF8.self), finish: "stop")
        }])
        let tree = try Self.tree("openai", server: server)
        try Self.run(tree)
        #expect(server.count == 1)
        let body = try JSONValue.parse(try #require(server.requests.first).body)
        #expect(body["response_format"]?["json_schema"]?["name"] == "record_campaign_copy")
        let first = try #require(try Self.campaigns(tree).first)
        #expect(first["sequence"]?.arrayValue?.first?["body"]?.stringValue?.contains("Model copy for") == true)
        #expect(try tree.json("outbox/\(Self.job)/campaigns/stamp.json")["provider"] == "openai")
    }

    @Test func aRerunReplaysTheRecordedAnswerWithoutAskingAgainAndRefetchAsks() throws {
        let server = try ProviderServer([Self.answering()])
        let tree = try Self.tree(server: server)
        try Self.run(tree)
        let first = try #require(tree.read("outbox/\(Self.job)/campaigns/campaigns.json"))
        #expect(server.count == 1)

        #expect(try tree.onboard(["rerun", Self.job, "campaigns"], environment: Self.environment).status == 0)
        #expect(server.count == 1, "the recorded answer is replayed")
        #expect(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") == first)
        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["provider"] == "anthropic")
        #expect(stamp["cost_usd"]?.doubleValue == 0, "a replay spends nothing")

        #expect(try tree.onboard(["rerun", Self.job, "campaigns", "--refetch"], environment: Self.environment).status == 0)
        #expect(server.count == 2, "--refetch asks again")
        #expect(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") == first)
    }

    // MARK: answers refused, whole

    @Test func anAnswerUsingAnUnknownVariableFallsBackToTheOfflineTemplatesWithAWarning() throws {
        let server = try ProviderServer([Self.answering { steps, id in
            if id.hasSuffix("-c3") { steps[2]["body"] = .string("Hi {{first_name}}, how is {{favourite_colour}} going at {{company}}?") }
        }])
        let tree = try Self.tree(server: server)
        try Self.run(tree)
        #expect(server.count == 1)
        #expect(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") == (try Self.offlineCampaigns()), "no campaign is half written")
        let warnings = try Self.warnings(tree)
        #expect(warnings.contains { $0.contains("{{favourite_colour}}") && $0.contains("step 3") && $0.contains("offline template") }, "\(warnings)")
        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["provider"] == "templates")
        #expect(stamp["cost_usd"]?.doubleValue == 0.0081, "an unusable answer is still paid for")
        #expect(try tree.json("outbox/\(Self.job)/campaigns/cost.json")["calls"]?.arrayValue?.first?["outcome"]?.stringValue?.hasPrefix("unusable") == true)
    }

    static let spoilers: [(String, @Sendable (inout [[String: JSONValue]], String) -> Void)] = [
        ("has no copy for campaign", { steps, id in if id.hasSuffix("-c2") { steps.removeAll() } }),
        ("does not have 5 steps", { steps, id in if id.hasSuffix("-c4") { steps.removeLast() } }),
        ("has a body of 0 characters", { steps, id in if id.hasSuffix("-c1") { steps[3]["body"] = "  " } }),
        ("has no one-line subject", { steps, _ in steps[4]["subject"] = .string(String(repeating: "long ", count: 40)) }),
        ("step number 1–5 used once", { steps, _ in steps[1]["step"] = 1 }),
        ("has unmatched {{ or }}", { steps, id in if id.hasSuffix("-c2") { steps[2]["body"] = "Hi {{company}} team, a quick follow-up for {{first_name." } }),
        ("leaves a [[...]] mark", { steps, _ in steps[0]["body"] = "Hi {{first_name}}, [[service]] for {{company}} today." }),
    ]

    @Test(arguments: 0..<spoilers.count)
    func aMalformedAnswerFallsBackWhole(index: Int) throws {
        let (expected, spoil) = Self.spoilers[index]
        let server = try ProviderServer([{ request in
            var answer = Self.copy(Self.campaignIDs(request), change: spoil)
            // "has no copy": the campaign's entry is left out altogether.
            if expected == "has no copy for campaign", var list = answer["campaigns"]?.arrayValue {
                list.removeAll { $0["steps"]?.arrayValue?.isEmpty == true }
                answer = ["campaigns": .array(list)]
            }
            return ProviderServer.anthropicMessage(answer)
        }])
        let tree = try Self.tree(server: server)
        try Self.run(tree)
        #expect(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") == (try Self.offlineCampaigns()))
        let warnings = try Self.warnings(tree)
        #expect(warnings.contains { $0.contains(expected) && $0.contains("offline template") }, "\(warnings)")
    }

    @Test func anAnswerThatIsNotTheToolsJSONFallsBack() throws {
        let server = try ProviderServer([{ _ in
            ProviderServer.json(200, [
                "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [["type": "text", "text": "Here are some ideas for your emails!"]], "stop_reason": "end_turn",
                "usage": ["input_tokens": 1_000, "output_tokens": 20],
            ])
        }])
        let tree = try Self.tree(server: server)
        try Self.run(tree)
        #expect(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") == (try Self.offlineCampaigns()))
        #expect(try Self.warnings(tree).contains { $0.contains("no tool_use block") })
    }

    // MARK: cost cap and offline

    @Test func aCallWhoseProjectedCostPassesTheCapIsNotMade() throws {
        let server = try ProviderServer([Self.answering()])
        let tree = try Self.tree(server: server, settings: ["enrichment_cost_cap_usd": .double(0.01)])
        try Self.run(tree)
        #expect(server.count == 0, "4,096 output tokens at $15 per million alone pass $0.01")
        #expect(tree.read("outbox/\(Self.job)/campaigns/campaigns.json") == (try Self.offlineCampaigns()))
        #expect(try Self.warnings(tree).contains { $0.contains("was not made") && $0.contains("$0.01") })
        #expect(try tree.json("outbox/\(Self.job)/campaigns/stamp.json")["cost_usd"]?.doubleValue == 0)
    }

    @Test func withoutAProviderNothingIsAskedAndNoLedgerIsWritten() throws {
        let tree = try Self.tree(server: nil)
        try Self.run(tree)
        let stamp = try tree.json("outbox/\(Self.job)/campaigns/stamp.json")
        #expect(stamp["provider"] == "templates")
        #expect(!tree.exists("outbox/\(Self.job)/campaigns/cost.json"))
        #expect(!tree.exists("outbox/\(Self.job)/campaigns/answers"))
    }
}
