import Foundation
import LoopbackServer
import OnboardEngine
import Testing

@testable import OnboardStages

/// icp and enrich with a model provider, against servers on 127.0.0.1 that answer in the
/// Anthropic Messages and OpenAI chat-completions formats, errors and overload included.
@Suite("model providers for icp and enrich")
struct ProviderTests {
    static let key = "sk-ant-test-0123456789-SECRET"

    struct Setup {
        let tree: TestTree
        let site: LoopbackServer
        let provider: ProviderServer
    }

    /// A tree for the harbor-dental sample site running intake to icp (or to enrich), its model
    /// provider on its own 127.0.0.1 port that is NOT listed in fetch.allow_hosts.
    static func setup(
        _ kind: String = "anthropic", _ script: [ProviderServer.Answer], stages: Int = 4,
        endpoint extra: [String: JSONValue] = [:], settings changes: [String: JSONValue] = [:],
        prices: [String: JSONValue]? = nil
    ) throws -> Setup {
        let site = try ScrapeParseTests.serve(ScrapeParseTests.samples.appendingPathComponent("harbor-dental"))
        let provider = try ProviderServer(script)
        let defaults = try JSONValue.parse(Data(contentsOf: TestTree.packageRoot.appendingPathComponent("pipeline.json")))
        var fetch = defaults["fetch"]!.objectValue!
        fetch["allow_hosts"] = [.string("127.0.0.1:\(site.port)")]
        var providers = defaults["providers"]!.objectValue!
        providers["icp"] = .string(kind)
        var endpoint: [String: JSONValue] = [
            "base_url": .string(provider.server.baseURL + (kind == "openai" ? "/v1" : "")),
            "model": kind == "openai" ? "local-model" : "claude-sonnet-4-5",
        ]
        endpoint.merge(extra) { _, new in new }
        providers[kind] = .object(endpoint)
        if let prices { providers["prices"] = .object(prices) }
        var settings = defaults["settings"]!.objectValue!
        settings.merge(changes) { _, new in new }
        let tree = try TestTree(pipeline: [
            "fetch": .object(fetch), "providers": .object(providers), "settings": .object(settings),
            "stages": .array(Array(defaults["stages"]!.arrayValue!.prefix(stages))),
        ])
        var request = TestTree.sampleRequest()
        request["website_url"] = .string(site.baseURL + "/")
        try tree.request("a.json", request)
        return Setup(tree: tree, site: site, provider: provider)
    }

    static func environment(_ kind: String = "anthropic") -> [String: String] {
        [kind == "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY": key]
    }

    static func goodAnswer(_ request: ServerRequest) -> ServerResponse {
        ProviderServer.anthropicMessage(ProviderServer.harborICP(home: ProviderServer.homeURL(request)))
    }

    static func values(_ icp: JSONValue, _ field: String) -> [String] {
        (icp[field]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }
    }

    /// Every file of the tree and what the run printed, for looking for the key.
    static func everything(_ tree: TestTree, _ outputs: [TestTree.Output]) throws -> String {
        var text = outputs.map { $0.stdout + $0.stderr }.joined()
        let walker = FileManager.default.enumerator(atPath: tree.root.path)
        while let relative = walker?.nextObject() as? String {
            if let data = try? Data(contentsOf: tree.url(relative)) { text += String(decoding: data, as: UTF8.self) }
        }
        return text
    }

    // MARK: answers used

    @Test func aGoodAnthropicAnswerIsUsedWithItsEvidenceCheckedAndItsCostInTheStamp() throws {
        let setup = try Self.setup("anthropic", [Self.goodAnswer])
        let run = try setup.tree.onboard(["run"], environment: Self.environment())
        #expect(run.status == 0, "\(run.stderr)")
        let job = try #require(setup.tree.jobIDs().first)

        let allowed = try setup.tree.json("pipeline.json")["fetch"]?["allow_hosts"]?.arrayValue ?? []
        #expect(!allowed.contains(.string("127.0.0.1:\(setup.provider.server.port)")), "the provider's endpoint needs no allow_hosts entry")
        let sent = try #require(setup.provider.requests.first)
        #expect(setup.provider.count == 1)
        #expect(sent.path == "/v1/messages")
        #expect(sent.headers["x-api-key"] == Self.key)
        #expect(sent.headers["anthropic-version"] == "2023-06-01")
        let body = try JSONValue.parse(sent.body)
        #expect(body["model"] == "claude-sonnet-4-5")
        #expect(body["max_tokens"] == 4096)
        #expect(body["tool_choice"] == ["type": "tool", "name": "record_icp"])
        #expect(body["tools"]?.arrayValue?.first?["input_schema"]?["required"]?.arrayValue?.count == 8)

        let icp = try setup.tree.json("outbox/\(job)/icp/icp.json")
        #expect(Self.values(icp, "icp_industries") == ["Dental Offices"], "the model's answer, not the rules'")
        #expect(Self.values(icp, "icp_titles") == ["Practice Owner"])
        #expect(icp["icp_titles"]?.arrayValue?.first?["evidence"]?.arrayValue?.first?["inferred"] == true)
        #expect(Self.values(icp, "icp_locations") == ["Australia"], "Fiji's quote is on no page: dropped")

        let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
        #expect(stamp["provider"] == "anthropic")
        #expect(stamp["model"] == "claude-sonnet-4-5")
        #expect(stamp["tokens"] == 1500)
        let prompt = try Data(contentsOf: TestTree.packageRoot.appendingPathComponent("Sources/OnboardStages/Resources/prompts/icp-extract.txt"))
        #expect(stamp["data_sha256"]?["prompts/icp-extract.txt"] == .string(Digest.sha256(prompt)), "editing the prompt makes icp stale")
        #expect(stamp["data_sha256"]?["prompts/record_icp.schema.json"] != nil)
        // 1,200 input tokens at $3 and 300 output tokens at $15 per million.
        #expect(stamp["cost_usd"]?.doubleValue == 0.0081)
        let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("1 of the anthropic answer's 9 items were dropped") }, "\(warnings)")
        let ledger = try setup.tree.json("outbox/\(job)/icp/cost.json")
        #expect(ledger["total_usd"]?.doubleValue == 0.0081)
        #expect(ledger["calls"]?.arrayValue?.first?["outcome"] == "used")

        let hash = try #require(ledger["calls"]?.arrayValue?.first?["request_sha256"]?.stringValue)
        let recorded = "outbox/\(job)/icp/answers/\(hash.prefix(16))"
        #expect(setup.tree.exists(recorded + ".request.json") && setup.tree.exists(recorded + ".response.json"))
        #expect(!(try Self.everything(setup.tree, [run])).contains(Self.key), "the key is in no file and no output")
    }

    @Test func openAIToolArgumentsAreReadAsAJSONStringOrAsAnObject() throws {
        for asString in [true, false] {
            let answer: ProviderServer.Answer = { request in
                let icp = ProviderServer.harborICP(home: ProviderServer.homeURL(request))
                return ProviderServer.openAICompletion(arguments: asString ? .string(CanonicalJSON.compactString(icp)) : icp)
            }
            let setup = try Self.setup("openai", [answer], endpoint: ["structured_output": "tool"])
            let run = try setup.tree.onboard(["run"], environment: Self.environment("openai"))
            #expect(run.status == 0, "\(run.stderr)")
            let job = try #require(setup.tree.jobIDs().first)
            let sent = try #require(setup.provider.requests.first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.headers["authorization"] == "Bearer \(Self.key)")
            let body = try JSONValue.parse(sent.body)
            #expect(body["tool_choice"] == ["type": "function", "function": ["name": "record_icp"]])
            #expect(body["response_format"] == nil, "a schema and a tool's grammar together are refused by llama.cpp")
            #expect(Self.values(try setup.tree.json("outbox/\(job)/icp/icp.json"), "icp_industries") == ["Dental Offices"])
            let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
            #expect(stamp["provider"] == "openai")
            #expect(stamp["tokens"] == 2500)
            #expect(stamp["cost_usd"]?.doubleValue == 0, "the local model is priced at 0")
        }
    }

    @Test func openAIJSONSchemaModeReadsTheAnswerFromTheMessageContent() throws {
        let answer: ProviderServer.Answer = { request in
            let icp = ProviderServer.harborICP(home: ProviderServer.homeURL(request))
            return ProviderServer.openAICompletion(content: "```json\n" + CanonicalJSON.compactString(icp) + "\n```", finish: "stop")
        }
        let setup = try Self.setup("openai", [answer])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment("openai")).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        let body = try JSONValue.parse(try #require(setup.provider.requests.first).body)
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["response_format"]?["json_schema"]?["schema"]?["required"]?.arrayValue?.count == 8)
        #expect(body["tools"] == nil)
        #expect(try setup.tree.json("outbox/\(job)/icp/stamp.json")["provider"] == "openai")
    }

    // MARK: retries

    @Test func a429WithRetryAfterIsRetriedAndThenAnswered() throws {
        let limited: ProviderServer.Answer = { _ in
            ProviderServer.anthropicError(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", headers: ["retry-after": "0"])
        }
        let setup = try Self.setup("anthropic", [limited, Self.goodAnswer])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 2)
        #expect(try setup.tree.json("outbox/\(job)/icp/stamp.json")["provider"] == "anthropic")
    }

    @Test func aDroppedConnectionIsRetriedThenAnswered() throws {
        let setup = try Self.setup("anthropic", [{ _ in .drop }, Self.goodAnswer])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 2)
        #expect(try setup.tree.json("outbox/\(job)/icp/stamp.json")["provider"] == "anthropic")
    }

    @Test func aRetryAfterLongerThanAMinuteEndsTheRetriesAtOnce() throws {
        let limited: ProviderServer.Answer = { _ in
            ProviderServer.anthropicError(429, "rate_limit_error", "This request would exceed your organization's rate limit", headers: ["retry-after": "600"])
        }
        let setup = try Self.setup("anthropic", [limited, Self.goodAnswer])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 1, "no ten-minute wait inside a stage")
        let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
        #expect(stamp["provider"] == "rules")
        let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("429") && $0.contains("rate_limit_error") }, "\(warnings)")
    }

    @Test func anOverloadedAPIIsRetriedThenTheRulesTakeOverWithAWarning() throws {
        let overloaded: ProviderServer.Answer = { _ in ProviderServer.anthropicError(529, "overloaded_error", "Overloaded", headers: ["retry-after": "0"]) }
        let setup = try Self.setup("anthropic", [overloaded])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 3, "three attempts, as the official SDKs make")
        let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
        #expect(stamp["provider"] == "rules")
        let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("529") && $0.contains("overloaded_error") && $0.contains("rule-based ICP is used") }, "\(warnings)")
        #expect(!Self.values(try setup.tree.json("outbox/\(job)/icp/icp.json"), "icp_industries").isEmpty, "a whole ICP, from the rules")
        #expect(try setup.tree.json("outbox/\(job)/icp/cost.json")["calls"]?.arrayValue?.first?["outcome"] == "failed: HTTP 529")
    }

    /// The OpenAI-compatible format's failures, against a server that answers in that format.
    @Test func openAIOverloadMalformedTruncatedAndRefusedAnswersAreHandledAsTheContractSays() throws {
        let error: @Sendable (Int, String) -> ServerResponse = { status, type in
            ProviderServer.json(status, ["error": ["message": .string("\(type) happened"), "type": .string(type)]])
        }
        let overloaded: ProviderServer.Answer = { _ in error(503, "server_error") }
        let busy = try Self.setup("openai", [overloaded], endpoint: ["structured_output": "tool"])
        #expect(try busy.tree.onboard(["run"], environment: Self.environment("openai")).status == 0)
        #expect(busy.provider.count == 3, "a 503 is retried, then the rules answer")
        let busyJob = try #require(busy.tree.jobIDs().first)
        #expect(try busy.tree.json("outbox/\(busyJob)/icp/stamp.json")["provider"] == "rules")

        for (answer, expected) in [
            (ProviderServer.openAICompletion(arguments: .string("{not json")), "is not a JSON object"),
            (ProviderServer.openAICompletion(arguments: .string("{}"), finish: "length"), "cut off"),
        ] {
            let setup = try Self.setup("openai", [{ _ in answer }], endpoint: ["structured_output": "tool"])
            #expect(try setup.tree.onboard(["run"], environment: Self.environment("openai")).status == 0)
            let job = try #require(setup.tree.jobIDs().first)
            let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
            #expect(stamp["provider"] == "rules")
            let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(warnings.contains { $0.contains(expected) }, "\(expected): \(warnings)")
            #expect(!Self.values(try setup.tree.json("outbox/\(job)/icp/icp.json"), "icp_industries").isEmpty)
        }

        let refused = try Self.setup("openai", [{ _ in error(401, "invalid_request_error") }], endpoint: ["structured_output": "tool"])
        #expect(try refused.tree.onboard(["run"], environment: Self.environment("openai")).status == 1)
        #expect(refused.provider.count == 1, "a 401 is not retried")
        let refusedJob = try #require(refused.tree.jobIDs().first)
        let message = try refused.tree.json("outbox/\(refusedJob)/icp/error.json")["error"]?.stringValue ?? ""
        #expect(message.contains("OPENAI_API_KEY"), "\(message)")
    }

    // MARK: answers refused

    @Test func aRefusedKeyFailsTheStageNamingTheVariableWithoutShowingTheKey() throws {
        let refused: ProviderServer.Answer = { request in
            ProviderServer.anthropicError(401, "authentication_error", "invalid x-api-key \(request.headers["x-api-key"] ?? "")")
        }
        let setup = try Self.setup("anthropic", [refused])
        let run = try setup.tree.onboard(["run"], environment: Self.environment())
        #expect(run.status == 1)
        #expect(setup.provider.count == 1, "a 401 is not retried")
        let job = try #require(setup.tree.jobIDs().first)
        let error = try setup.tree.json("outbox/\(job)/icp/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("ANTHROPIC_API_KEY") && error.contains("401"), "\(error)")
        #expect(error.contains("[redacted]"), "the server echoed the key; the message hides it")
        #expect(error.contains("onboard rerun \(job) icp"), "\(error)")
        #expect(!setup.tree.exists("outbox/\(job)/icp/icp.json"))
        #expect(!(try Self.everything(setup.tree, [run])).contains(Self.key))
    }

    /// Answers that come back with 200 but cannot be used: each falls back to the rules, warned.
    @Test(arguments: [
        ("malformed", "is not JSON"),
        ("missing", "$.icp_titles is missing"),
        ("truncated", "cut off at max_tokens (4096)"),
        ("refusal", "refused to answer"),
        ("unquoted", "quote words that are not on the pages they name"),
    ])
    func anUnusableAnswerFallsBackToTheRulesWithAWarning(_ kind: String, _ expected: String) throws {
        let answer: ProviderServer.Answer = { request in
            let home = ProviderServer.homeURL(request)
            switch kind {
            case "malformed":
                return .full(status: 200, headers: ["Content-Type": "application/json"], body: Data(#"{"id":"msg_01","type":"message","content":[{"#.utf8))
            case "missing":
                return ProviderServer.anthropicMessage(ProviderServer.harborICP(home: home, dropping: "icp_titles"))
            case "truncated":
                return ProviderServer.anthropicMessage(["company_description": ["value": "Sydney"]], stop: "max_tokens", output: 4096)
            case "refusal":
                return ProviderServer.json(200, [
                    "id": "msg_01", "type": "message", "role": "assistant", "content": [], "stop_reason": "refusal",
                    "usage": ["input_tokens": 900, "output_tokens": 5],
                ])
            default:
                var icp = ProviderServer.harborICP(home: home).objectValue!
                icp["icp_industries"] = .array((0..<12).map { index in
                    ["value": .string("Veterinary \(index)"), "confidence": 90,
                     "evidence": [["url": .string(home), "quote": "we care for pets and their owners", "inferred": false]]]
                })
                return ProviderServer.anthropicMessage(.object(icp))
            }
        }
        let setup = try Self.setup("anthropic", [answer])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 1, "a 200 answer is not asked again")
        let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
        #expect(stamp["provider"] == "rules")
        let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains(expected) && $0.contains("rule-based ICP is used instead") }, "\(kind): \(warnings)")
        let icp = try setup.tree.json("outbox/\(job)/icp/icp.json")
        #expect(!Self.values(icp, "icp_industries").contains("Dental Offices") && !Self.values(icp, "icp_industries").isEmpty)
        #expect(icp["icp_titles"]?.arrayValue != nil && icp["company_description"] != nil, "never a half-filled ICP")
        if kind == "truncated" {
            // The tokens of a cut-off answer are paid for all the same.
            #expect(stamp["tokens"] == .int(1200 + 4096))
        }
    }

    // MARK: replay and refetch

    @Test func aRerunReplaysTheRecordedAnswerAndRefetchAsksAgain() throws {
        let setup = try Self.setup("anthropic", [Self.goodAnswer])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        let first = try #require(setup.tree.read("outbox/\(job)/icp/icp.json"))
        let firstLedger = setup.tree.read("outbox/\(job)/icp/cost.json")
        #expect(setup.provider.count == 1)

        // A different answer from now on: only a request that really reaches the server gets it.
        setup.provider.replace([{ request in
            let home = ProviderServer.homeURL(request)
            var icp = ProviderServer.harborICP(home: home).objectValue!
            icp["icp_locations"] = [
                ["value": "Oceania", "confidence": 70, "evidence": [["url": .string(home), "quote": "dental practices in Australia and New Zealand", "inferred": true]]],
            ]
            return ProviderServer.anthropicMessage(.object(icp))
        }])
        #expect(try setup.tree.onboard(["rerun", job, "icp"], environment: Self.environment()).status == 0)
        #expect(setup.provider.count == 1, "the rerun replayed the recorded answer")
        #expect(setup.tree.read("outbox/\(job)/icp/icp.json") == first, "byte for byte")
        #expect(setup.tree.read("outbox/\(job)/icp/cost.json") == firstLedger)
        let replayStamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
        #expect(replayStamp["provider"] == "anthropic")
        #expect(replayStamp["cost_usd"]?.doubleValue == 0, "a replay spends nothing")

        #expect(try setup.tree.onboard(["rerun", job, "icp", "--refetch"], environment: Self.environment()).status == 0)
        #expect(setup.provider.count == 2, "--refetch asks the provider again")
        #expect(Self.values(try setup.tree.json("outbox/\(job)/icp/icp.json"), "icp_locations") == ["Oceania"])
        #expect(try setup.tree.json("outbox/\(job)/icp/stamp.json")["cost_usd"]?.doubleValue == 0.0081)
    }

    // MARK: the cost cap

    @Test func theCostCapStopsACallWhoseProjectedCostIsOverIt() throws {
        let setup = try Self.setup("anthropic", [Self.goodAnswer], settings: ["enrichment_cost_cap_usd": .double(0.01)])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 0, "4,096 output tokens at $15 a million alone pass $0.01: no request")
        let stamp = try setup.tree.json("outbox/\(job)/icp/stamp.json")
        #expect(stamp["provider"] == "rules")
        let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("over the enrichment cost cap of $0.01") }, "\(warnings)")
    }

    @Test func theCapCoversIcpAndEnrichTogether() throws {
        // icp's call costs $1.488 (1,000 input and 99,000 output tokens): enrich's cannot fit under $1.50.
        let expensive: ProviderServer.Answer = { request in
            ProviderServer.anthropicMessage(ProviderServer.harborICP(home: ProviderServer.homeURL(request)), input: 1_000, output: 99_000)
        }
        let setup = try Self.setup("anthropic", [expensive], stages: 5)
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 1, "only icp's call was made")
        #expect(try setup.tree.json("outbox/\(job)/icp/stamp.json")["cost_usd"]?.doubleValue == 1.488)
        let stamp = try setup.tree.json("outbox/\(job)/enrich/stamp.json")
        let warnings = stamp["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("spent $1.488") && $0.contains("cost cap of $1.5") }, "\(warnings)")
        let ledger = try setup.tree.json("outbox/\(job)/enrich/cost.json")
        #expect(ledger["total_usd"]?.doubleValue == 1.488)
        #expect(ledger["calls"]?.arrayValue?.compactMap { $0["stage"]?.stringValue } == ["icp", "enrich"])
        #expect(setup.tree.read("outbox/\(job)/enrich/icp.json") == setup.tree.read("outbox/\(job)/icp/icp.json"), "passed on unchanged")
    }

    @Test func enrichAsksTheSameProviderWithTheDraftAndUsesItsCheckedAnswer() throws {
        let enrichAnswer: ProviderServer.Answer = { request in
            var icp = ProviderServer.harborICP(home: ProviderServer.homeURL(request)).objectValue!
            icp["icp_titles"] = [
                ["value": "Practice Manager", "confidence": 70, "evidence": [["url": .string(ProviderServer.homeURL(request)), "quote": "dental practices in Australia and New Zealand", "inferred": true]]],
            ]
            return ProviderServer.anthropicMessage(.object(icp), input: 2_000, output: 400)
        }
        let setup = try Self.setup("anthropic", [Self.goodAnswer, enrichAnswer], stages: 5)
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 2)
        let second = try JSONValue.parse(setup.provider.requests[1].body)
        #expect(second["messages"]?.arrayValue?.first?["content"]?.stringValue?.contains("# Draft profile to improve") == true)
        #expect(Self.values(try setup.tree.json("outbox/\(job)/enrich/icp.json"), "icp_titles") == ["Practice Manager"])
        let stamp = try setup.tree.json("outbox/\(job)/enrich/stamp.json")
        #expect(stamp["provider"] == "anthropic")
        #expect(stamp["data_sha256"]?["prompts/icp-enrich.txt"] != nil)
        #expect(stamp["cost_usd"]?.doubleValue == 0.012)
        let ledger = try setup.tree.json("outbox/\(job)/enrich/cost.json")
        #expect(ledger["total_usd"]?.doubleValue == 0.0201, "icp's $0.0081 and enrich's $0.012")
    }

    @Test func withoutSdkBrainEnrichMakesNoCall() throws {
        let setup = try Self.setup("anthropic", [Self.goodAnswer], stages: 5, settings: ["sdk_brain_enabled": false])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(setup.provider.count == 1, "icp's call only")
        #expect(try setup.tree.json("outbox/\(job)/enrich/stamp.json")["provider"] == "rules")
    }

    // MARK: keys, guard, limits

    @Test func aMissingKeyFailsValidateWithExitTwoAndTheStageNamingTheVariable() throws {
        let setup = try Self.setup("anthropic", [Self.goodAnswer])
        let validate = try setup.tree.onboard(["validate"], environment: ["ANTHROPIC_API_KEY": ""])
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("$.providers.icp") && validate.stderr.contains("ANTHROPIC_API_KEY"), "\(validate.stderr)")
        #expect(try setup.tree.onboard(["validate"], environment: Self.environment()).status == 0)

        #expect(try setup.tree.onboard(["run"], environment: ["ANTHROPIC_API_KEY": ""]).status == 1)
        let job = try #require(setup.tree.jobIDs().first)
        let error = try setup.tree.json("outbox/\(job)/icp/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("ANTHROPIC_API_KEY is not set"), "\(error)")
        #expect(setup.provider.count == 0)

        // A failure is final for its inputs: with the key set, the rerun it names makes the call.
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 1)
        #expect(setup.provider.count == 0)
        #expect(try setup.tree.onboard(["rerun", job, "icp"], environment: Self.environment()).status == 0)
        #expect(setup.provider.count == 1)
        #expect(try setup.tree.json("outbox/\(job)/icp/stamp.json")["provider"] == "anthropic")
    }

    @Test func aSlowProviderTimesOutAndTheRulesTakeOver() throws {
        let slow: ProviderServer.Answer = { _ in .raw([(Data("HTTP/1.1 200 OK\r\n".utf8), 3)]) }
        let setup = try Self.setup("anthropic", [slow], endpoint: ["timeout_seconds": 1])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 0)
        let job = try #require(setup.tree.jobIDs().first)
        let warnings = try setup.tree.json("outbox/\(job)/icp/stamp.json")["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("no answer from 127.0.0.1") && $0.contains("in time") }, "\(warnings)")
    }

    @Test func aRedirectIsNotFollowedSoTheKeyNeverTravelsToAnotherHost() throws {
        let other = try ProviderServer([Self.goodAnswer])
        let moved: ProviderServer.Answer = { _ in .redirect(307, to: other.server.baseURL + "/v1/messages") }
        let setup = try Self.setup("anthropic", [moved])
        #expect(try setup.tree.onboard(["run"], environment: Self.environment()).status == 1)
        let job = try #require(setup.tree.jobIDs().first)
        #expect(other.count == 0)
        let error = try setup.tree.json("outbox/\(job)/icp/error.json")["error"]?.stringValue ?? ""
        #expect(error.contains("redirect") && error.contains("base_url"), "\(error)")
    }

    @Test func providerOptionsAreValidatedByTheirPath() throws {
        let setup = try Self.setup("openai", [Self.goodAnswer], endpoint: ["max_tokens": 0, "structured_output": "grammar", "timeout_seconds": "long"])
        let output = try setup.tree.onboard(["validate", "--json"], environment: Self.environment("openai"))
        #expect(output.status == 2)
        let paths = Set((try JSONValue.parse(Data(output.stdout.utf8)))["problems"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? [])
        #expect(paths.isSuperset(of: ["$.providers.openai.max_tokens", "$.providers.openai.structured_output", "$.providers.openai.timeout_seconds"]), "\(paths)")
    }
}
