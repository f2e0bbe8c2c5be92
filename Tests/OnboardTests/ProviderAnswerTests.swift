import Foundation
import OnboardEngine
import OnboardWeb
import Testing

@testable import OnboardStages

/// The pieces of the provider code that need no server: reading answers, the schema check,
/// costs, Retry-After, the guard of a base URL and keeping keys out of messages.
@Suite("model answers, costs and keys")
struct ProviderAnswerTests {
    static let home = "http://127.0.0.1:9/"

    static func item(_ value: JSONValue = "Dentists", confidence: JSONValue = 80, evidence: JSONValue? = nil) -> JSONValue {
        [
            "value": value, "confidence": confidence,
            "evidence": evidence ?? [["url": .string(home), "quote": "dental practices in Australia", "inferred": false]],
        ]
    }

    static func answer(_ changes: [String: JSONValue?] = [:]) -> JSONValue {
        var icp: [String: JSONValue] = [
            "company_description": item("A dental marketing agency"), "value_proposition": .null,
            "services_offered": [], "icp_industries": [item()], "icp_titles": [], "icp_company_sizes": [],
            "icp_locations": [], "icp_pain_points": [],
        ]
        for (key, value) in changes { icp[key] = value }
        return .object(icp)
    }

    static var site: SiteRecord {
        let page = SiteRecord.Page(
            url: home, title: "Harbor Dental Growth", description: "", lang: "en", openGraph: [:], headings: [],
            mainText: "We work with dental practices in Australia and New Zealand.", lists: [], links: [])
        return SiteRecord(
            pages: [page], socialProfiles: [], emails: [], phones: [], addresses: [], organization: nil, testimonials: [],
            proofPoints: [])
    }

    static func problem(_ answer: JSONValue) -> String {
        do {
            _ = try ICPAnswer.check(answer, site: site)
            return ""
        } catch {
            return error.message
        }
    }

    @Test func aWellFormedAnswerBecomesAnICPWithNullSinglesAndMergedDuplicates() throws {
        let checked = try ICPAnswer.check(Self.answer(["icp_industries": [Self.item(), Self.item("dentists"), Self.item("  Medical   Practice ")]]), site: Self.site)
        #expect(checked.document.icpIndustries.map(\.value) == ["Dentists", "Medical Practice"])
        #expect(checked.document.valueProposition == nil)
        #expect(checked.dropped == 0)
    }

    @Test(arguments: [
        (["icp_titles": nil], "$.icp_titles is missing"),
        (["budget": 5], "$.budget is not an ICP field"),
        (["services_offered": .array(Array(repeating: ProviderAnswerTests.item(), count: 26))], "$.services_offered has 26 items, more than 25"),
        (["icp_locations": ["Australia"]], "$.icp_locations[0] must be an item object, not a string"),
        (["icp_titles": "CEO"], "$.icp_titles must be a list"),
        (["icp_industries": [ProviderAnswerTests.item(confidence: 120)]], "$.icp_industries[0].confidence must be a whole number"),
        (["icp_industries": [ProviderAnswerTests.item(confidence: .double(0.85))]], "$.icp_industries[0].confidence must be a whole number"),
        (["icp_industries": [ProviderAnswerTests.item(evidence: [])]], "$.icp_industries[0].evidence must be a non-empty list"),
        (["icp_industries": [ProviderAnswerTests.item(.string(String(repeating: "x", count: 301)))]], "$.icp_industries[0].value must be 1 to 300"),
        (["icp_industries": [ProviderAnswerTests.item(evidence: [["url": .string(ProviderAnswerTests.home), "quote": "dental practices in Australia", "inferred": "yes"]])]], "inferred must be true or false"),
        (["icp_industries": [ProviderAnswerTests.item(evidence: [["quote": "dental practices in Australia"]])]], "must have a url and a quote"),
        (["company_description": ["value": "x", "confidence": 1, "evidence": [], "why": "because"]], "$.company_description.why is not a key"),
    ] as [([String: JSONValue?], String)])
    func anAnswerOffTheSchemaIsRejectedNamingWhere(_ changes: [String: JSONValue?], _ expected: String) {
        let message = Self.problem(Self.answer(changes))
        #expect(message.contains(expected), "\(message)")
    }

    @Test func itemsWhoseQuotesAreNotOnThePageAreDroppedAndAMostlyInventedAnswerIsRejected() throws {
        let elsewhere: JSONValue = [["url": "http://127.0.0.1:9/other", "quote": "dental practices in Australia", "inferred": false]]
        let invented: JSONValue = [["url": .string(Self.home), "quote": "clinics across Fiji and Samoa", "inferred": false]]
        let one = try ICPAnswer.check(Self.answer(["icp_locations": [Self.item("Fiji", evidence: invented)]]), site: Self.site)
        #expect(one.dropped == 1 && one.document.icpLocations.isEmpty && one.total == 3)
        let half = Self.problem(Self.answer([
            "icp_locations": [Self.item("Fiji", evidence: invented), Self.item("Samoa", evidence: elsewhere)],
        ]))
        #expect(half == "", "two dropped of four is not more than half")
        #expect(Self.problem(Self.answer(["icp_locations": [Self.item("Fiji", evidence: invented), Self.item("Samoa", evidence: elsewhere), Self.item("Tonga", evidence: invented)]]))
            .contains("3 of the answer's 5 items quote words that are not on the pages they name"))
        #expect(Self.problem(Self.answer(["company_description": .null, "icp_industries": []])).contains("no ICP item at all"))
    }

    @Test func evidenceNamingAPageTheWayPeopleWriteItPointsAtThatPage() throws {
        let loose: JSONValue = [["url": "HTTP://127.0.0.1:9#top", "quote": "dental practices in Australia", "inferred": false]]
        let checked = try ICPAnswer.check(Self.answer(["icp_locations": [Self.item("Australia", evidence: loose)]]), site: Self.site)
        #expect(checked.dropped == 0)
        #expect(checked.document.icpLocations.first?.evidence.first?.url == Self.home, "the page as parse recorded it")
    }

    @Test func anthropicStopReasonsDecideWhatAnAnswerIs() throws {
        let api = AnthropicMessages()
        func message(_ stop: String, _ content: JSONValue) -> JSONValue {
            ["type": "message", "content": content, "stop_reason": .string(stop), "usage": ["input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 7]]
        }
        let call: JSONValue = [["type": "text", "text": "Here it is"], ["type": "tool_use", "id": "t", "name": "record_icp", "input": Self.answer()]]
        #expect(try api.structuredAnswer(message("tool_use", call), maxTokens: 9) == Self.answer())
        #expect(api.usage(message("tool_use", call)) == TokenUsage(input: 17, output: 5), "cache reads are input tokens")
        for (stop, expected) in [("max_tokens", "cut off at max_tokens (9)"), ("refusal", "refused"), ("end_turn", "no tool_use block")] {
            let content: JSONValue = stop == "end_turn" ? [["type": "text", "text": "I cannot"]] : call
            #expect(throws: ProviderProblem.self) { try api.structuredAnswer(message(stop, content), maxTokens: 9) }
            do { _ = try api.structuredAnswer(message(stop, content), maxTokens: 9) } catch {
                #expect(error.message.contains(expected), "\(stop): \(error.message)")
            }
        }
    }

    @Test func errorStatusesAreSortedIntoWhatFailsTheStageAndWhatFallsBack() {
        let body = Data(#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#.utf8)
        let api = AnthropicMessages()
        #expect(api.problem(status: 401, body: body, keyVariable: "ANTHROPIC_API_KEY", attempts: 1).kind == .configuration)
        #expect(api.problem(status: 404, body: body, keyVariable: "ANTHROPIC_API_KEY", attempts: 1).kind == .configuration)
        #expect(api.problem(status: 529, body: body, keyVariable: "ANTHROPIC_API_KEY", attempts: 3).message.contains("after 3 attempts"))
        #expect(api.problem(status: 400, body: Data("<html>".utf8), keyVariable: "K", attempts: 1).kind == .unusable)
        let plain = OpenAIChatCompletions().problem(status: 500, body: Data(#"{"error":"model not loaded"}"#.utf8), keyVariable: "OPENAI_API_KEY", attempts: 3)
        #expect(plain.kind == .unavailable && plain.message.contains("model not loaded"))
    }

    @Test func openAIAnswersComeFromToolArgumentsOrContentInEitherForm() throws {
        let api = OpenAIChatCompletions()
        let icp = Self.answer()
        func completion(_ message: JSONValue, finish: String = "stop") -> JSONValue {
            ["choices": [["message": message, "finish_reason": .string(finish)]]]
        }
        let asText = CanonicalJSON.compactString(icp)
        #expect(try api.structuredAnswer(completion(["tool_calls": [["function": ["name": "record_icp", "arguments": .string(asText)]]]]), maxTokens: 1) == icp)
        #expect(try api.structuredAnswer(completion(["tool_calls": [["function": ["name": "record_icp", "arguments": icp]]]]), maxTokens: 1) == icp)
        #expect(try api.structuredAnswer(completion(["content": .string("```json\n\(asText)\n```")]), maxTokens: 1) == icp)
        #expect(throws: ProviderProblem.self) { try api.structuredAnswer(completion(["content": "Sure! Here is the profile."]), maxTokens: 1) }
        #expect(throws: ProviderProblem.self) { try api.structuredAnswer(completion(["content": .string(asText)], finish: "length"), maxTokens: 1) }
        #expect(throws: ProviderProblem.self) { try api.structuredAnswer(completion(["content": .null, "refusal": "I can't help with that"]), maxTokens: 1) }
        #expect(throws: ProviderProblem.self) { try api.structuredAnswer(["choices": []], maxTokens: 1) }
    }

    @Test func costsAreTokensTimesPricesAndTheProjectionCountsEveryOutputToken() {
        let sonnet = ProviderSettings.Price(inputPerMTok: 3, outputPerMTok: 15)
        #expect(CostLedger.cost(TokenUsage(input: 30_000, output: 2_000), sonnet) == 0.12, "the reference's typical extraction")
        #expect(CostLedger.cost(TokenUsage(input: 30_000, output: 2_000), nil) == 0)
        #expect(CostLedger.projected(requestBytes: 90_000, maxTokens: 4_096, sonnet) == CostLedger.round(0.09 + 0.06144))
        #expect(CostLedger.dollars(1.5) == "$1.5" && CostLedger.dollars(0.0081) == "$0.0081" && CostLedger.dollars(2) == "$2")
    }

    @Test func retryAfterIsReadInMillisecondsOrSeconds() {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(RetryAdvice.seconds(["retry-after-ms": "250", "retry-after": "9"], now: now) == 0.25)
        #expect(RetryAdvice.seconds(["retry-after": "2"], now: now) == 2)
        #expect(RetryAdvice.seconds(["retry-after": "soon"], now: now) == nil)
        #expect(RetryAdvice.seconds([:], now: now) == nil)
        #expect([408, 409, 429, 500, 503, 529].allSatisfy(RetryAdvice.retryableForAPI))
        #expect(![400, 401, 403, 404, 413].contains(where: RetryAdvice.retryableForAPI))
    }

    @Test func aBaseURLOnAMetadataAddressIsRefusedAndALocalOneAllowed() throws {
        #expect(throws: ProviderProblem.self) { try ProviderTransport.guardFor(URL(string: "http://169.254.169.254/v1")!) }
        let local = try ProviderTransport.guardFor(URL(string: "http://127.0.0.1:8080/v1")!)
        #expect(try local.check(URL(string: "http://127.0.0.1:8080/v1/chat/completions")!).allowListed)
        #expect(throws: (any Error).self, "only the configured endpoint") { try local.check(URL(string: "http://127.0.0.1:8081/v1")!) }
        let ipv6 = try ProviderTransport.guardFor(URL(string: "http://[::1]:8080/v1")!)
        #expect(try ipv6.check(URL(string: "http://[::1]:8080/v1/chat/completions")!).allowListed)
    }

    @Test func aKeyIsRedactedFromMessagesAndBodies() {
        let redactor = SecretRedactor(secrets: ["sk-abc-123456"])
        #expect(redactor.redact("invalid x-api-key sk-abc-123456 given") == "invalid x-api-key [redacted] given")
        #expect(redactor.redact(Data(#"{"echo":"sk-abc-123456"}"#.utf8)) == Data(#"{"echo":"[redacted]"}"#.utf8))
        let untouched = Data([0xFF, 0xFE, 0x00])
        #expect(redactor.redact(untouched) == untouched, "bytes without the key stay as received")
    }

    @Test func theSettingsSliceHoldsOnlyTheChosenProvider() throws {
        let defaults = try JSONValue.parse(BundledData.defaultPipeline)
        #expect(ProviderSettings(defaults) == nil, "rules by default")
        var document = defaults.objectValue!
        var providers = document["providers"]!.objectValue!
        providers["icp"] = "openai"
        document["providers"] = .object(providers)
        let slice = ProviderSettings.slice(.object(document))
        #expect(slice["providers.openai"]?["model"] == "local-model")
        #expect(slice["providers.anthropic"] == nil)
        #expect(slice["providers.prices.model"] == ["input_per_mtok": 0, "output_per_mtok": 0])
        let settings = try #require(ProviderSettings(.object(document)))
        #expect(settings.maxTokens == 4096 && settings.timeoutSeconds == 120 && settings.structuredOutput == .jsonSchema)
        #expect(OpenAIChatCompletions().url(settings).absoluteString == "http://127.0.0.1:8000/v1/chat/completions")
    }
}
