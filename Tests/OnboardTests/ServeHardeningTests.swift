import Foundation
import OnboardEngine
import Testing

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
