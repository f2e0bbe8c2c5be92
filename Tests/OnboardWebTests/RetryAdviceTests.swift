import Foundation
import LoopbackServer
import Testing

@testable import OnboardWeb

@Suite("Retry-After and retryable statuses, read once for every client")
struct RetryAdviceTests {
    static let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func secondsMillisecondsAndTheirBadForms() {
        #expect(RetryAdvice.seconds(["retry-after": "120"], now: Self.now) == 120)
        #expect(RetryAdvice.seconds(["retry-after": " 1.5 "], now: Self.now) == 1.5)
        #expect(RetryAdvice.seconds(["retry-after-ms": "250", "retry-after": "9"], now: Self.now) == 0.25)
        #expect(RetryAdvice.seconds(["retry-after-ms": "-1", "retry-after": "9"], now: Self.now) == 9, "a bad -ms falls back")
        for bad in ["", "soon", "-3", "nan", "inf", "1e400"] {
            #expect(RetryAdvice.seconds(["retry-after": bad], now: Self.now) == nil, "\(bad)")
        }
        #expect(RetryAdvice.seconds([:], now: Self.now) == nil)
    }

    @Test func anHTTPDateInEachOfItsThreeFormsIsMeasuredAgainstTheAnswersDate() {
        for date in ["Sun, 06 Nov 1994 08:51:37 GMT", "Sunday, 06-Nov-94 08:51:37 GMT", "Sun Nov  6 08:51:37 1994"] {
            #expect(RetryAdvice.seconds(["retry-after": date], now: Self.now) == 120, "\(date)")
        }
        // The server's clock, not ours: it says it is 08:50:37, so the wait is one minute.
        #expect(RetryAdvice.seconds(
            ["retry-after": "Sun, 06 Nov 1994 08:51:37 GMT", "date": "Sun, 06 Nov 1994 08:50:37 GMT"], now: .distantPast) == 60)
        #expect(RetryAdvice.seconds(["retry-after": "Sun, 06 Nov 1994 08:00:00 GMT"], now: Self.now) == 0, "a past date: no wait")
        #expect(RetryAdvice.seconds(["retry-after": "Sun, 06 Nov 1994 08:51:37 CET"], now: Self.now) == nil, "HTTP dates are GMT")
    }

    @Test func retryableStatuses() {
        #expect([408, 409, 429, 500, 502, 503, 529].allSatisfy(RetryAdvice.retryableForAPI))
        #expect(![200, 301, 400, 401, 403, 404, 422].contains(where: RetryAdvice.retryableForAPI))
        #expect([429, 503].allSatisfy(RetryAdvice.retryableForSite))
        #expect(![500, 404, 408].contains(where: RetryAdvice.retryableForSite))
    }

    @Test func aSiteFetchWaitsForAnHTTPDateRetryAfterByTheServersClock() async throws {
        let arrivals = Shared<[Date]>([])
        let server = try LoopbackServer { _ in
            let now = Date()
            let first = arrivals.withValue { all -> Bool in
                all.append(now)
                return all.count == 1
            }
            guard first else { return .text(200, "ok") }
            // A server clock an hour behind: against our clock the date is past (no wait); against the
            // server's own Date header it is 2 s away.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let serverNow = now.addingTimeInterval(-3600).timeIntervalSince1970.rounded(.down)
            return .full(status: 503, headers: [
                "Date": formatter.string(from: Date(timeIntervalSince1970: serverNow)),
                "Retry-After": formatter.string(from: Date(timeIntervalSince1970: serverNow + 2)),
            ], body: Data())
        }
        let client = HTTPClient(
            urlGuard: URLGuard(allowHosts: ["127.0.0.1:\(server.port)"], resolver: FixedResolver(table: [:])), attempts: 2,
            backoffSeconds: 0.1)
        let response = try await client.send(HTTPRequest(url: URL(string: "\(server.baseURL)/")!))
        #expect(response.status == 200)
        let times = arrivals.current
        try #require(times.count == 2)
        #expect(times[1].timeIntervalSince(times[0]) >= 1.5, "the retry came \(times[1].timeIntervalSince(times[0])) s later")
    }
}

/// A value behind a lock, for a server handler's thread to share with the test.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    var current: Value { lock.withLock { value } }
    func withValue<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
