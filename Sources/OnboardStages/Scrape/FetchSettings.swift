import Foundation
import OnboardEngine

/// The `fetch` section of pipeline.json and the politeness delay, as the scrape stage uses them.
struct FetchSettings: Sendable {
    let userAgent: String
    let maxPages: Int
    let maxBytes: Int
    let timeoutSeconds: Double
    let maxRedirects: Int
    let allowHosts: [String]
    let browserCommand: [String]?
    let antibotCommand: [String]?
    let politenessDelayMilliseconds: Int

    init(_ document: JSONValue) {
        let fetch = document["fetch"]
        userAgent = fetch?["user_agent"]?.stringValue ?? "onboard"
        maxPages = Int(fetch?["max_pages"]?.intValue ?? 8)
        maxBytes = Int(fetch?["max_bytes"]?.intValue ?? 5_242_880)
        timeoutSeconds = fetch?["timeout_seconds"]?.doubleValue ?? 30
        maxRedirects = Int(fetch?["max_redirects"]?.intValue ?? 5)
        allowHosts = fetch?["allow_hosts"]?.arrayValue?.compactMap(\.stringValue) ?? []
        browserCommand = fetch?["browser_command"]?.arrayValue?.compactMap(\.stringValue)
        antibotCommand = fetch?["antibot_command"]?.arrayValue?.compactMap(\.stringValue)
        politenessDelayMilliseconds = Int(document.value(at: "settings.politeness_delay_ms")?.intValue ?? 1000)
    }

    /// The slice of pipeline.json whose change makes scrape stale.
    static func slice(_ document: JSONValue) -> JSONValue {
        .object([
            "fetch": document["fetch"] ?? .null,
            "politeness_delay_ms": document.value(at: "settings.politeness_delay_ms") ?? .null,
        ])
    }
}
