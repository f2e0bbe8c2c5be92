import Foundation
import LoopbackServer
import Testing

@testable import OnboardWeb

/// Maps invented names to addresses, so no test ever asks the system resolver.
struct FixedResolver: HostResolver {
    let table: [String: [IPAddress]]
    func resolve(_ host: String, port: Int) throws -> [IPAddress] {
        guard let addresses = table[host.lowercased()] else { throw GuardRefusal(url: host, reason: "resolve", detail: "unknown test name \(host)") }
        return addresses
    }
}

@Suite("The HTTP client against real servers on 127.0.0.1, hostile ones included")
struct HTTPClientTests {
    static func client(allowing server: LoopbackServer, maxRedirects: Int = 5, attempts: Int = 1) -> HTTPClient {
        HTTPClient(
            urlGuard: URLGuard(allowHosts: ["127.0.0.1:\(server.port)"], resolver: FixedResolver(table: [:])),
            maxRedirects: maxRedirects, attempts: attempts, backoffSeconds: 0.05)
    }

    static func get(_ url: String, maxBytes: Int = 1 << 20, timeout: Double = 10) -> HTTPRequest {
        HTTPRequest(url: URL(string: url)!, userAgent: "onboard-test", timeoutSeconds: timeout, maxBytes: maxBytes)
    }

    @Test func aPlainPageComesBackWithStatusHeadersAndTheAddressConnectedTo() async throws {
        let server = try LoopbackServer { request in
            .full(status: 200, headers: ["Content-Type": "text/html; charset=utf-8", "X-Seen-Agent": request.headers["user-agent"] ?? ""], body: Data("<h1>hello</h1>".utf8))
        }
        let response = try await Self.client(allowing: server).send(Self.get("\(server.baseURL)/"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "<h1>hello</h1>")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("x-seen-agent") == "onboard-test")
        #expect(response.address == "127.0.0.1")
    }

    @Test func redirectsAreFollowedHopByHopAndLoopsStop() async throws {
        let server = try LoopbackServer { request in
            switch request.path {
            case "/a": return .redirect(301, to: "/b")
            case "/b": return .redirect(302, to: "/c?x=1")
            case "/c": return .text(200, "done")
            case "/loop1": return .redirect(to: "/loop2")
            case "/loop2": return .redirect(to: "/loop1")
            default: return .redirect(to: "/deeper\(request.path)")
            }
        }
        let client = Self.client(allowing: server, maxRedirects: 3)
        let response = try await client.send(Self.get("\(server.baseURL)/a"))
        #expect(response.status == 200)
        #expect(response.url.absoluteString == "\(server.baseURL)/c?x=1")
        #expect(response.redirects.map(\.status) == [301, 302])

        await #expect(throws: HTTPError.self) { try await client.send(Self.get("\(server.baseURL)/loop1")) }
        do {
            _ = try await client.send(Self.get("\(server.baseURL)/loop1"))
        } catch {
            #expect(error.kind == .tooManyRedirects)
            #expect(error.message.contains("loop"))
        }
        do {
            _ = try await client.send(Self.get("\(server.baseURL)/x"))
            Issue.record("an endless chain of redirects must stop")
        } catch {
            #expect(error.kind == .tooManyRedirects)
        }
    }

    @Test(arguments: [
        ("http://10.0.0.7/admin", "private"), ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[::1]:9/", "loopback"), ("http://127.0.0.1:1/", "loopback"), ("file:///etc/passwd", "scheme"),
    ])
    func aRedirectToAForbiddenAddressIsRefusedBeforeAnyConnection(target: String, reason: String) async throws {
        let server = try LoopbackServer { _ in .redirect(to: target) }
        do {
            _ = try await Self.client(allowing: server).send(Self.get("\(server.baseURL)/"))
            Issue.record("the redirect to \(target) was followed")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.refusal?.reason == reason, "\(error)")
        }
    }

    @Test func aBodyOverTheCapIsCutOffWhetherAnnouncedOrNot() async throws {
        let big = Data(repeating: 0x61, count: 300_000)
        let server = try LoopbackServer { request in
            if request.path == "/announced" { return .full(status: 200, headers: [:], body: big) }
            // No length announced: the cap must still hold.
            var head = Data("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".utf8)
            head.append(big)
            return .raw([(head, 0)])
        }
        for path in ["/announced", "/streamed"] {
            do {
                _ = try await Self.client(allowing: server).send(Self.get("\(server.baseURL)\(path)", maxBytes: 100_000))
                Issue.record("\(path): a 300 kB body passed a 100 kB cap")
            } catch {
                #expect(error.kind == .tooLarge, "\(path): \(error)")
            }
        }
    }

    @Test func aGzipBombIsStoppedAtTheCapOnDecompressedBytes() async throws {
        let bomb = try Self.gzip(Data(repeating: 0, count: 20_000_000))
        #expect(bomb.count < 100_000, "the compressed body is small")
        let server = try LoopbackServer { _ in
            .full(status: 200, headers: ["Content-Type": "text/html", "Content-Encoding": "gzip"], body: bomb)
        }
        do {
            _ = try await Self.client(allowing: server).send(Self.get("\(server.baseURL)/", maxBytes: 1_000_000))
            Issue.record("20 MB of decompressed zeros passed a 1 MB cap")
        } catch {
            #expect(error.kind == .tooLarge)
        }
    }

    @Test func aServerThatTricklesBytesRunsIntoTheTimeout() async throws {
        let server = try LoopbackServer { _ in
            let head = Data("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n".utf8)
            return .raw([(head, 0)] + (0..<40).map { _ in (Data("x".utf8), 0.1) })
        }
        do {
            _ = try await Self.client(allowing: server).send(Self.get("\(server.baseURL)/", timeout: 1))
            Issue.record("a trickling server was waited for")
        } catch {
            // The server takes 4 s to send its 40 bytes: only the 1 s limit ends the transfer as a timeout.
            #expect(error.kind == .timeout)
        }
    }

    @Test func a429WithRetryAfterIsRetriedThenSucceeds() async throws {
        let calls = CallCounter()
        let server = try LoopbackServer { _ in
            calls.increment() == 1 ? .full(status: 429, headers: ["Retry-After": "0"], body: Data()) : .text(200, "ok")
        }
        let response = try await Self.client(allowing: server, attempts: 3).send(Self.get("\(server.baseURL)/"))
        #expect(response.status == 200)
        #expect(calls.value == 2)
    }

    @Test func errorStatusesAreAnswersNotFailures() async throws {
        let server = try LoopbackServer { request in request.path == "/missing" ? .text(404, "gone") : .text(500, "broken") }
        let client = Self.client(allowing: server)
        #expect(try await client.send(Self.get("\(server.baseURL)/missing")).status == 404)
        #expect(try await client.send(Self.get("\(server.baseURL)/broken")).status == 500)
    }

    @Test func aNameIsPinnedToTheAddressTheGuardChecked() async throws {
        let server = try LoopbackServer { request in .text(200, "host \(request.headers["host"] ?? "")") }
        // The name is unknown to any DNS: the only way to reach the server is the pinned address.
        let resolver = FixedResolver(table: ["client-site.example": [IPAddress.parse("127.0.0.1")!]])
        let client = HTTPClient(
            urlGuard: URLGuard(allowHosts: ["client-site.example:\(server.port)"], resolver: resolver), attempts: 1)
        let response = try await client.send(Self.get("http://client-site.example:\(server.port)/"))
        #expect(String(decoding: response.body, as: UTF8.self) == "host client-site.example:\(server.port)")
        #expect(response.address == "127.0.0.1")

        let unlisted = HTTPClient(urlGuard: URLGuard(allowHosts: [], resolver: resolver), attempts: 1)
        do {
            _ = try await unlisted.send(Self.get("http://client-site.example:\(server.port)/"))
            Issue.record("a name resolving to loopback was fetched without being allow-listed")
        } catch {
            #expect(error.refusal?.reason == "loopback")
        }
    }

    @Test func aDroppedConnectionIsATransportError() async throws {
        let server = try LoopbackServer { _ in .drop }
        do {
            _ = try await Self.client(allowing: server).send(Self.get("\(server.baseURL)/"))
            Issue.record("nothing came back, yet no error")
        } catch {
            #expect(error.kind == .transport)
            #expect(error.isTransient)
        }
    }

    static func gzip(_ data: Data) throws -> Data {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString)")
        try data.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-9", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return output
    }
}

final class CallCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
