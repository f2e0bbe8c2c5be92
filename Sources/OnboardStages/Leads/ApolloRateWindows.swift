import Foundation

/// Apollo's fixed-window rate limits, per endpoint, as its successful answers report them
/// (docs.apollo.io/reference/rate-limits): `x-minute-requests-left`, `x-hourly-requests-left`,
/// `x-daily-requests-left`, with the limits in `x-rate-limit-minute|hourly|daily`. Every window
/// must hold: once one has no request left, the next request waits for it to reset.
///
/// Apollo does not say when a window resets, so the reset is taken at the latest it can be: one
/// window length after the first answer seen in that window. The window began before that
/// request arrived, so waiting so long is never early. A new window shows as more requests left
/// than the previous answer reported, or as an answer coming after the old window must have ended.
struct ApolloRateWindows: Sendable {
    struct Window: Sendable, Equatable {
        /// As the headers name it: `minute`, `hourly`, `daily`.
        let name: String
        let seconds: Double

        var leftHeader: String { "x-\(name)-requests-left" }
        var limitHeader: String { "x-rate-limit-\(name)" }
    }

    /// The windows Apollo documents; their lengths follow from their names.
    static let documented = [
        Window(name: "minute", seconds: 60), Window(name: "hourly", seconds: 3600), Window(name: "daily", seconds: 86400),
    ]

    /// Where one endpoint stands in one window.
    struct Standing: Sendable, Equatable {
        var left: Int
        var limit: Int?
        /// Monotonic time of the first answer seen in this window.
        var since: Double
    }

    /// Why the next request to an endpoint must wait, and until when (monotonic seconds).
    struct Hold: Sendable, Equatable {
        let until: Double
        let window: Window
        let limit: Int?
    }

    let windows: [Window]
    private var standings: [String: [String: Standing]] = [:]

    init(windows: [Window] = ApolloRateWindows.documented) { self.windows = windows }

    /// Takes in the headers of an answer from `endpoint` received at monotonic time `time`.
    mutating func observe(_ headers: [String: String], endpoint: String, at time: Double) {
        for window in windows {
            guard let text = headers[window.leftHeader], let left = Int(text.trimmingCharacters(in: .whitespaces)) else { continue }
            let limit = headers[window.limitHeader].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            var standing = standings[endpoint]?[window.name] ?? Standing(left: left, limit: limit, since: time)
            // More requests left, or an answer after the old window must have ended: a new window.
            if left > standing.left || time >= standing.since + window.seconds { standing.since = time }
            standing.left = left
            standing.limit = limit ?? standing.limit
            standings[endpoint, default: [:]][window.name] = standing
        }
    }

    /// The latest reset among the windows of `endpoint` that have no request left, if any.
    func hold(_ endpoint: String) -> Hold? {
        var latest: Hold?
        for window in windows {
            guard let standing = standings[endpoint]?[window.name], standing.left <= 0 else { continue }
            let until = standing.since + window.seconds
            if latest.map({ until > $0.until }) ?? true { latest = Hold(until: until, window: window, limit: standing.limit) }
        }
        return latest
    }
}
