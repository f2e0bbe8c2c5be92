import Foundation
import LoopbackServer
import OnboardEngine

/// A model API on 127.0.0.1 that answers from a script (the last answer repeats) and keeps every
/// request it received, so tests can count calls and read what was sent.
final class ProviderServer: @unchecked Sendable {
    typealias Answer = @Sendable (ServerRequest) -> ServerResponse
    private let lock = NSLock()
    private var script: [Answer]
    private var log: [ServerRequest] = []
    private(set) var server: LoopbackServer!

    init(_ script: [Answer]) throws {
        self.script = script
        server = try LoopbackServer { [weak self] request in self?.answer(request) ?? .drop }
    }

    private func answer(_ request: ServerRequest) -> ServerResponse {
        lock.lock()
        log.append(request)
        let index = min(log.count - 1, script.count - 1)
        let next = script[index]
        lock.unlock()
        return next(request)
    }

    func replace(_ script: [Answer]) {
        lock.lock()
        self.script = script
        lock.unlock()
    }

    var requests: [ServerRequest] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    var count: Int { requests.count }

    // MARK: answers in the providers' documented formats

    static func json(_ status: Int, _ value: JSONValue, headers: [String: String] = [:]) -> ServerResponse {
        var fields = headers
        fields["Content-Type"] = "application/json"
        fields["request-id"] = "req_test"
        return .full(status: status, headers: fields, body: CanonicalJSON.compact(value))
    }

    static func anthropicMessage(_ input: JSONValue, stop: String = "tool_use", input tokens: Int = 1_200, output: Int = 300) -> ServerResponse {
        json(200, [
            "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [["type": "tool_use", "id": "toolu_01", "name": "record_icp", "input": input]],
            "stop_reason": .string(stop), "stop_sequence": .null,
            "usage": ["input_tokens": .int(Int64(tokens)), "output_tokens": .int(Int64(output))],
        ])
    }

    static func anthropicError(_ status: Int, _ type: String, _ message: String, headers: [String: String] = [:]) -> ServerResponse {
        json(status, ["type": "error", "error": ["type": .string(type), "message": .string(message)], "request_id": "req_test"], headers: headers)
    }

    /// An OpenAI chat completion whose answer is a tool call (arguments as given: a JSON string or
    /// an object) or, with `content`, the message text.
    static func openAICompletion(arguments: JSONValue? = nil, content: String? = nil, finish: String = "tool_calls") -> ServerResponse {
        var message: [String: JSONValue] = ["role": "assistant", "content": content.map(JSONValue.string) ?? .null]
        if let arguments {
            message["tool_calls"] = [["id": "call_1", "type": "function", "function": ["name": "record_icp", "arguments": arguments]]]
        }
        return json(200, [
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1_764_000_000, "model": "local-model",
            "choices": [["index": 0, "message": .object(message), "finish_reason": .string(finish)]],
            "usage": ["prompt_tokens": 2_000, "completion_tokens": 500, "total_tokens": 2_500],
        ])
    }

    /// The home page's URL, as the request names it (the first "# Page" line of the site text).
    static func homeURL(_ request: ServerRequest) -> String {
        let text = String(decoding: request.body, as: UTF8.self)
        guard let body = try? JSONValue.parse(Data(text.utf8)),
            let messages = body["messages"]?.arrayValue,
            let user = messages.last?["content"]?.stringValue,
            let line = user.split(separator: "\n").first(where: { $0.hasPrefix("# Page ") })
        else { return "" }
        return String(line.dropFirst("# Page ".count))
    }

    /// An ICP for the harbor-dental sample site whose quotes are on its home page, plus one item
    /// whose quote is not on the site at all.
    static func harborICP(home: String, dropping field: String? = nil) -> JSONValue {
        func item(_ value: String, _ quote: String, confidence: Int64 = 80, inferred: Bool = false) -> JSONValue {
            ["value": .string(value), "confidence": .int(confidence), "evidence": [["url": .string(home), "quote": .string(quote), "inferred": .bool(inferred)]]]
        }
        var icp: [String: JSONValue] = [
            "company_description": item("Sydney marketing agency for dental practices", "marketing agency that works with one kind of client only"),
            "value_proposition": item("More new patients for dental practices", "More patients in the chair"),
            "services_offered": [item("Local SEO", "local SEO, Google Ads, recall campaigns"), item("Recall campaigns", "recall campaigns and reputation management")],
            "icp_industries": [item("Dental Offices", "dental practices in Australia and New Zealand", confidence: 95)],
            "icp_titles": [item("Practice Owner", "dental practices in Australia and New Zealand", confidence: 60, inferred: true)],
            "icp_company_sizes": [item("11-50", "50-staff dental groups")],
            "icp_locations": [item("Australia", "dental practices in Australia and New Zealand"), item("Fiji", "proudly serving every clinic in Fiji")],
            "icp_pain_points": [],
        ]
        if let field { icp[field] = nil }
        return .object(icp)
    }
}
