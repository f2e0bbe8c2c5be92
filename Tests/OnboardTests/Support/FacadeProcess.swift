import Foundation
import OnboardEngine
import OnboardWeb
import Testing

/// `onboard serve --port 0` on 127.0.0.1 as a real child process, and a client that checks every
/// answer against the OpenAPI document kept in the repository.
/// Immutable once started (the port, the process handle), so tests may share it across tasks.
final class FacadeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stdoutURL: URL
    private let stderrURL: URL

    init(tree: TestTree, environment: [String: String] = [:]) throws {
        let scratch = FileManager.default.temporaryDirectory
        stdoutURL = scratch.appendingPathComponent("onboard-serve-out-\(UUID().uuidString)")
        stderrURL = scratch.appendingPathComponent("onboard-serve-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = TestTree.binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--root", tree.root.path]
        var env = ProcessInfo.processInfo.environment
        for key in ["ONBOARD_ROOT", "ONBOARD_ADMIN_TOKEN", "STRIPE_WEBHOOK_SECRET"] { env[key] = nil }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        var bound: Int?
        let stdoutURL = self.stdoutURL
        let process = self.process
        _ = eventually(30) {
            let text = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://127.0.0.1:") }) {
                bound = Int(line.split(separator: ":").last ?? "")
            }
            return bound != nil || !process.isRunning
        }
        guard let bound else {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "onboard serve did not start: \((try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")")
        }
        port = bound
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: JSONValue? { try? JSONValue.parse(body) }
        var error: String? { json?["error"]?.stringValue }
    }

    /// Sends a request and checks the answer against the OpenAPI document: its status must be one
    /// the operation documents, and a JSON body must carry the documented schema's required keys.
    func call(
        _ method: String, _ path: String, operation template: String? = nil, json body: JSONValue? = nil, raw: Data? = nil,
        headers: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Answer {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let payload = raw ?? body.map { CanonicalJSON.data($0) }
        let request = HTTPRequest(url: url, method: method, headers: headers, body: payload, timeoutSeconds: 20, maxBytes: 8 << 20)
        let response = try await HTTPClient(urlGuard: nil, attempts: 1).send(request)
        let answer = Answer(status: response.status, headers: response.headers, body: response.body)
        let operation = template ?? path
        if let documented = OpenAPIContract.shared.statuses(operation, method) {
            #expect(documented.contains(answer.status), "\(method) \(path) answered \(answer.status); documented: \(documented.sorted())", sourceLocation: sourceLocation)
        } else if answer.status != 404 {
            Issue.record("\(method) \(operation) is not in openapi.json but answered \(answer.status)", sourceLocation: sourceLocation)
        }
        #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        if answer.status >= 400 {
            #expect(answer.error?.isEmpty == false, "an error answer is {\"error\": …}: \(String(decoding: answer.body, as: UTF8.self))", sourceLocation: sourceLocation)
        } else if let missing = OpenAPIContract.shared.missingKeys(operation, method, answer.status, answer.json) , !missing.isEmpty {
            Issue.record("\(method) \(path) \(answer.status) lacks documented keys \(missing)", sourceLocation: sourceLocation)
        }
        return answer
    }

    /// Sends SIGTERM (or another signal) and waits for the exit.
    func stop(_ signal: Int32 = SIGTERM) -> (status: Int32, stderr: String) {
        kill(process.processIdentifier, signal)
        return waitForExit()
    }

    func waitForExit() -> (status: Int32, stderr: String) {
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }
}

/// The repository's openapi.json, read the way a client would read it.
struct OpenAPIContract {
    static let file = TestTree.packageRoot.appendingPathComponent("Sources/OnboardHTTP/Resources/openapi.json")
    nonisolated(unsafe) static let shared = OpenAPIContract()

    let document: JSONValue

    init() {
        document = (try? JSONValue.parse(Data(contentsOf: Self.file))) ?? .null
    }

    func operation(_ template: String, _ method: String) -> JSONValue? {
        document["paths"]?[template]?[method.lowercased()]
    }

    func statuses(_ template: String, _ method: String) -> Set<Int>? {
        guard let responses = operation(template, method)?["responses"]?.objectValue else {
            // A path the document has, with a method it lacks: 405 is the only right answer.
            return document["paths"]?[template] != nil ? [405] : nil
        }
        return Set(responses.keys.compactMap { Int($0) })
    }

    /// Required keys of the documented schema that the body lacks.
    func missingKeys(_ template: String, _ method: String, _ status: Int, _ body: JSONValue?) -> [String]? {
        guard var schema = operation(template, method)?["responses"]?[String(status)]?["content"]?["application/json"]?["schema"] else {
            return nil
        }
        if let reference = schema["$ref"]?.stringValue, let name = reference.split(separator: "/").last {
            schema = document["components"]?["schemas"]?[String(name)] ?? .null
        }
        let required = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return required.filter { body?[$0] == nil }
    }
}
