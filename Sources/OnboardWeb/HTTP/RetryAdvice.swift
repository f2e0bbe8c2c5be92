import Foundation

/// What an answer says about trying again: whether its status may pass, and how long it asks to
/// wait. One reading for every client of the program (site fetches and provider APIs).
public enum RetryAdvice {
    /// Statuses that may pass on a later attempt for an API: request timeout, conflict (Anthropic
    /// documents 409 as retryable), rate limited, and every server error (Anthropic's 529 overloaded too).
    public static func retryableForAPI(_ status: Int) -> Bool {
        status == 408 || status == 409 || status == 429 || status >= 500
    }

    /// Statuses a site fetch retries: the server says it is busy, not that the page is bad.
    public static func retryableForSite(_ status: Int) -> Bool { status == 429 || status == 503 }

    /// Seconds to wait, from `retry-after-ms` (Anthropic, OpenAI) or `retry-after`, which is
    /// seconds or an HTTP date (RFC 9110 §10.2.3). A date is measured against the answer's own
    /// `Date` header when it has one, so neither clock skew nor a fixed program clock distorts it;
    /// else against `now`. A date in the past means no wait. Header names are lowercase.
    public static func seconds(_ headers: [String: String], now: Date) -> Double? {
        if let text = headers["retry-after-ms"]?.trimmingCharacters(in: .whitespaces), let milliseconds = Double(text),
            milliseconds.isFinite, milliseconds >= 0
        {
            return milliseconds / 1000
        }
        guard let text = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        guard let until = httpDate(text) else { return nil }
        let reference = headers["date"].flatMap(httpDate) ?? now
        return max(0, until.timeIntervalSince(reference))
    }

    /// An HTTP date in the preferred IMF-fixdate form or the two obsolete ones receivers must accept.
    static func httpDate(_ text: String) -> Date? {
        // asctime pads a one-digit day with a second space.
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: collapsed) { return date }
        }
        return nil
    }
}
