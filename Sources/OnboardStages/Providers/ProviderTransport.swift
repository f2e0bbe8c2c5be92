import Foundation
import OnboardEngine
import OnboardWeb

/// POSTs one JSON request to a provider's API (the model APIs, Apollo) over the project's libcurl
/// client, retrying what the providers document as passing (408, 409, 429, 5xx, Anthropic's 529
/// overloaded) with backoff, or after the Retry-After the answer asks for.
///
/// The guard: the endpoint named by the configured `base_url` is what the operator chose, so its
/// host:port is allowed even on a loopback or private address (a local llama.cpp or Ollama
/// server, a gateway inside the network) without listing it in `fetch.allow_hosts`, which is for
/// client sites. The connection is still pinned to the address checked, a metadata address is
/// refused, and no redirect is followed: the key travels in a header, and a redirect would carry
/// it to a host nobody configured.
struct ProviderTransport: Sendable {
    /// Attempts in all: the official SDKs retry twice.
    var attempts = 3
    var initialBackoffSeconds = 0.5
    var maxBackoffSeconds = 8.0
    /// A longer Retry-After than this ends the retries: the stage falls back instead of stalling.
    var maxRetryAfterSeconds = 60.0
    let redactor: SecretRedactor
    /// How a wait between attempts is spent.
    var sleep: @Sendable (Double) async -> Void = { seconds in try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }

    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        let attempts: Int
    }

    func post(
        _ url: URL, headers: [String: String], body: Data, timeoutSeconds: Double, clock: EngineClock, deadline: Double?
    ) async throws(ProviderProblem) -> Answer {
        let client = HTTPClient(urlGuard: try Self.guardFor(url), maxRedirects: 0, attempts: 1)
        var attempt = 1
        while true {
            let left = deadline.map { $0 - clock.monotonicSeconds() }
            if let left, left < 1 {
                throw ProviderProblem(.outOfTime, "no time left in this stage's phase for a call to \(url.host ?? "the API")")
            }
            var request = HTTPRequest(
                url: url, method: "POST", headers: headers, body: body, userAgent: "onboard",
                timeoutSeconds: min(timeoutSeconds, left ?? timeoutSeconds), connectTimeoutSeconds: 10, maxBytes: 16 << 20)
            request.headers["Content-Type"] = "application/json"
            var wait: Double
            do {
                let response = try await client.send(request)
                guard RetryAdvice.retryableForAPI(response.status), attempt < attempts else {
                    return Answer(status: response.status, headers: response.headers, body: response.body, attempts: attempt)
                }
                let backoff = min(maxBackoffSeconds, initialBackoffSeconds * pow(2, Double(attempt - 1)))
                if let asked = RetryAdvice.seconds(response.headers, now: clock.now()) {
                    guard asked <= maxRetryAfterSeconds else {
                        return Answer(status: response.status, headers: response.headers, body: response.body, attempts: attempt)
                    }
                    wait = asked
                } else {
                    wait = backoff
                }
            } catch {
                // A dropped or refused connection may pass; a timeout has already spent its time.
                guard error.kind == .transport, attempt < attempts else {
                    throw Self.problem(error, url: url, attempt: attempt, redactor: redactor)
                }
                wait = min(maxBackoffSeconds, initialBackoffSeconds * pow(2, Double(attempt - 1)))
            }
            if let deadline, clock.monotonicSeconds() + wait + 1 >= deadline {
                throw ProviderProblem(.outOfTime, "\(url.host ?? "the API") asked to wait \(String(format: "%.1f", wait)) s, past the phase's time limit")
            }
            await sleep(wait)
            attempt += 1
        }
    }

    /// What a transport failure tells the operator.
    private static func problem(_ error: HTTPError, url: URL, attempt: Int, redactor: SecretRedactor) -> ProviderProblem {
        let where_ = url.host.map { "\($0):\(url.port ?? (url.scheme == "https" ? 443 : 80))" } ?? url.absoluteString
        switch error.kind {
        case .refused:
            return ProviderProblem(.configuration, redactor.redact("the provider's base_url is refused: \(error.message)"))
        case .tooManyRedirects, .badRedirect:
            return ProviderProblem(
                .configuration, "\(where_) answered with a redirect; set base_url to the address the API really answers on")
        case .tooLarge:
            return ProviderProblem(.unusable, "the answer from \(where_) is larger than 16 MiB")
        case .timeout:
            return ProviderProblem(.unavailable, "no answer from \(where_) in time (\(error.message))")
        case .transport, .protocolError:
            return ProviderProblem(.unavailable, redactor.redact("cannot reach \(where_) after \(attempt) attempt(s): \(error.message)"))
        }
    }

    /// The guard for one API URL: its own endpoint allowed (see the type's comment), metadata refused.
    static func guardFor(_ url: URL) throws(ProviderProblem) -> URLGuard {
        guard let host = url.host, !host.isEmpty else {
            throw ProviderProblem(.configuration, "base_url \(url.absoluteString) has no host")
        }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let entry = bare.contains(":") ? "[\(bare)]:\(port)" : "\(bare):\(port)"
        if let address = IPAddress.parse(bare), address.addressClass == .metadata {
            throw ProviderProblem(.configuration, "base_url \(url.absoluteString) is a cloud metadata address")
        }
        // A name resolving to a metadata address is refused by the guard itself at each send, on
        // the very address the connection is then pinned to.
        return URLGuard(allowHosts: [entry])
    }
}
