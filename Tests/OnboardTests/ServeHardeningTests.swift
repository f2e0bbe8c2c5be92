import Foundation
import OnboardEngine
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `onboard serve` against racing and malformed clients.
@Suite("onboard serve under nasty input")
struct ServeHardeningTests {
    @Test func racingRequestsForOneRequestIDLeaveExactlyOneFile() async throws {
        let tree = try ServeTests.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                var request = TestTree.sampleRequest()
                request["request_id"] = "contested"
                request["company_name"] = .string("Company \(index)")
                let body = request.asObject
                group.addTask { try await server.call("POST", "/api/v1/onboarding/analyze", json: body).status }
            }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all.sorted()
        }
        #expect(statuses == [202] + Array(repeating: 409, count: 7), "one request wins the id, the others are refused")
        #expect(ServeTests.inboxFiles(tree) == ["api-contested.json"], "no .part file left, nothing overwritten")
        let kept = try tree.json("inbox/api-contested.json")["company_name"]?.stringValue ?? ""
        #expect(kept.hasPrefix("Company "))
    }

    @Test func malformedBodiesAre400sAndTheServerKeepsServing() async throws {
        let tree = try ServeTests.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let bodies: [Data] = [
            Data(String(repeating: "[", count: 100_000).utf8),
            Data([0xFF, 0xFE, 0x00, 0x7B]),
            Data("null".utf8), Data("\"text\"".utf8), Data("[1, 2]".utf8),
            Data(#"{"company_name": "A", "website_url": "https://a.example", "tier": "velocity", "linkedin_seats": 1e400}"#.utf8),
            Data(#"{"company_name": "\u0000", "website_url": "https://a.example", "tier": "velocity"}"#.utf8),
        ]
        for body in bodies {
            let answer = try await server.call("POST", "/api/v1/onboarding/analyze", raw: body)
            #expect(answer.status == 400, "\(String(decoding: body.prefix(40), as: UTF8.self))")
        }
        for body in bodies {
            let answer = try await server.call("POST", "/api/v1/onboarding/confirm", raw: body)
            #expect(answer.status == 400)
        }
        #expect(ServeTests.inboxFiles(tree).isEmpty)
        #expect(try await server.call("GET", "/openapi.json").status == 200, "still serving")
    }

    @Test func queriesTrailingSlashesAndOtherMethodsAreNotEndpoints() async throws {
        let tree = try ServeTests.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        #expect(try await server.call("GET", "/openapi.json?format=yaml", operation: "/openapi.json").status == 200, "a query does not change the path")
        #expect(try await server.call("POST", "/api/v1/onboarding/analyze/", json: [:]).status == 404)
        #expect(try await server.call("GET", "//api/v1/onboarding/status/x").status == 404)
        let head = try await server.call("PATCH", "/api/v1/onboarding/confirm", json: [:])
        #expect(head.status == 405)
        #expect(head.headers["allow"] == "POST")
    }
}

/// A bare HTTP/1.1 connection, for what a ready-made client cannot do: stop halfway through a body.
final class RawConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard socket >= 0, connected == 0 else { throw FacadeProcess.Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the server sends until it closes the connection (or 30 s pass).
    func readAll() -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }
}

extension ServeHardeningTests {
    @Test func aRequestInFlightWhenSIGTERMArrivesIsAnsweredBeforeTheServerExits() throws {
        let tree = try ServeTests.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let body = String(decoding: CanonicalJSON.compact(TestTree.sampleRequest().asObject), as: UTF8.self)
        let connection = try RawConnection(port: server.port)
        let split = body.index(body.startIndex, offsetBy: body.count / 2)
        connection.send(
            "POST /api/v1/onboarding/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                + body[..<split])
        // The pauses only let each part arrive before the next step: what is checked is the order
        // (head, signal, rest of the body, answer), not how long anything takes.
        usleep(300_000)
        kill(server.process.processIdentifier, SIGTERM)
        usleep(300_000)
        connection.send(String(body[split...]))
        let answer = connection.readAll()
        #expect(answer.hasPrefix("HTTP/1.1 202"), "\(answer)")
        #expect(answer.contains("\"job_id\""))
        let (status, stderr) = server.waitForExit()
        #expect(status == 0, "\(stderr)")
        #expect(ServeTests.inboxFiles(tree).count == 1, "the request in flight was written")
    }
}

extension ServeHardeningTests {
    @Test func aChangeOfPipelineJSONIsSeenByTheRunningServer() async throws {
        let tree = try ServeTests.intakeOnlyTree()
        let server = try FacadeProcess(tree: tree)
        let platinum = TestTree.sampleRequest(client: "harbor-dental", tier: "platinum").asObject
        #expect(try await server.call("POST", "/api/v1/onboarding/analyze", json: platinum).status == 400)
        var document = try tree.json("pipeline.json").objectValue ?? [:]
        var tiers = document["tiers"]?.objectValue ?? [:]
        tiers["platinum"] = tiers["dominance"]
        document["tiers"] = .object(tiers)
        try tree.writePipeline(.object(document))
        #expect(try await server.call("POST", "/api/v1/onboarding/analyze", json: platinum).status == 202, "the new tier is known at once")
        try Data("{broken".utf8).write(to: tree.url("pipeline.json"))
        let broken = try await server.call("GET", "/api/v1/onboarding/status/anything", operation: ServeTests.statusPath)
        #expect(broken.status == 500)
        #expect(broken.error?.contains("pipeline.json") == true)
    }
}
