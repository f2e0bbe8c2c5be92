import Foundation

/// The single clock of the program. Tests (and child processes they start) fix it with
/// `ONBOARD_NOW=<RFC 3339>`; every timestamp written then comes from that instant.
public struct EngineClock: Sendable {
    private let fixed: Date?

    public init(fixed: Date? = nil) { self.fixed = fixed }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> EngineClock {
        if let text = environment["ONBOARD_NOW"], let date = RFC3339.parse(text) {
            return EngineClock(fixed: date)
        }
        return EngineClock()
    }

    public func now() -> Date { fixed ?? Date() }

    /// Elapsed running time is measured on the monotonic clock, unaffected by the fixed wall time.
    public func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// RFC 3339 UTC strings, `2026-11-25T09:30:00Z`, the only time format of artifacts and records.
public enum RFC3339 {
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
