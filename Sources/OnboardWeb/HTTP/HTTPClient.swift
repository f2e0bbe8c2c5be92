import CCurl
import Foundation

/// The project's one HTTP client, over libcurl. Redirects are followed here, one hop at a time,
/// so the guard checks every hop; each connection is pinned to the address the guard checked,
/// and the address actually connected to is compared with it afterwards.
public struct HTTPClient: Sendable {
    /// Checks every URL before it is fetched; nil for calls to operator-configured API endpoints.
    public let urlGuard: URLGuard?
    public let maxRedirects: Int
    /// Attempts for a transient failure or a 429/503 answer (1 means no retry).
    public let attempts: Int
    /// First backoff; doubled on each retry, and replaced by Retry-After when the server sends one.
    public let backoffSeconds: Double
    public let maxRetryAfterSeconds: Double

    public init(
        urlGuard: URLGuard?, maxRedirects: Int = 5, attempts: Int = 3, backoffSeconds: Double = 0.5,
        maxRetryAfterSeconds: Double = 30
    ) {
        self.urlGuard = urlGuard
        self.maxRedirects = maxRedirects
        self.attempts = attempts
        self.backoffSeconds = backoffSeconds
        self.maxRetryAfterSeconds = maxRetryAfterSeconds
    }

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        var current = request.url
        var hops: [RedirectHop] = []
        var seen: Set<String> = []
        while true {
            var target: GuardedTarget?
            if let urlGuard {
                do { target = try urlGuard.check(current) } catch let refusal as GuardRefusal {
                    throw HTTPError(url: current.absoluteString, kind: .refused, message: refusal.description, refusal: refusal)
                } catch {
                    throw HTTPError(url: current.absoluteString, kind: .refused, message: "\(error)")
                }
            }
            var hopRequest = request
            hopRequest.url = current
            let response = try await sendWithRetries(hopRequest, pinnedTo: target)
            if let target, let address = response.address, !Self.sameAddress(address, target.address.description) {
                throw HTTPError(
                    url: current.absoluteString, kind: .refused,
                    message: "connected to \(address), not the checked address \(target.address)")
            }
            guard (300..<400).contains(response.status), response.status != 304, let location = response.header("location") else {
                return HTTPResponse(
                    url: current, status: response.status, headers: response.headers, body: response.body,
                    address: response.address, redirects: hops)
            }
            guard let next = URL(string: location.trimmingCharacters(in: .whitespaces), relativeTo: current)?.absoluteURL else {
                throw HTTPError(url: current.absoluteString, kind: .badRedirect, message: "redirect to an unreadable location \"\(location)\"")
            }
            hops.append(RedirectHop(url: current.absoluteString, status: response.status))
            seen.insert(current.absoluteString)
            if hops.count > maxRedirects || seen.contains(next.absoluteString) {
                throw HTTPError(
                    url: request.url.absoluteString, kind: .tooManyRedirects,
                    message: seen.contains(next.absoluteString)
                        ? "redirect loop through \(next.absoluteString)" : "more than \(maxRedirects) redirects")
            }
            current = next
        }
    }

    private func sendWithRetries(_ request: HTTPRequest, pinnedTo target: GuardedTarget?) async throws(HTTPError) -> HTTPResponse {
        var attempt = 1
        while true {
            let result = await Self.perform(request, pinnedTo: target)
            var wait: Double?
            switch result {
            case .success(let response):
                guard RetryAdvice.retryableForSite(response.status), attempt < attempts else { return response }
                // The site's own Date header is the reference for a date; the program's clock only without one.
                wait = RetryAdvice.seconds(response.headers, now: Date()) ?? backoffSeconds * pow(2, Double(attempt - 1))
            case .failure(let error):
                guard error.isTransient, attempt < attempts else { throw error }
                wait = backoffSeconds * pow(2, Double(attempt - 1))
            }
            try? await Task.sleep(nanoseconds: UInt64(min(wait ?? 0, maxRetryAfterSeconds) * 1e9))
            attempt += 1
        }
    }

    static func sameAddress(_ connected: String, _ checked: String) -> Bool {
        connected.lowercased() == checked.lowercased() || IPAddress.parse(connected) == IPAddress.parse(checked)
    }

    /// One transfer, no redirects followed, on a thread of its own (curl_easy_perform blocks).
    static func perform(_ request: HTTPRequest, pinnedTo target: GuardedTarget?) async -> Result<HTTPResponse, HTTPError> {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Transfer.run(request, pinnedTo: target))
            }
        }
    }
}

/// The buffers one transfer's callbacks fill.
private final class Transfer {
    var body = Data()
    var headerLines: [String] = []
    let maxBytes: Int
    var overflowed = false

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    static func run(_ request: HTTPRequest, pinnedTo target: GuardedTarget?) -> Result<HTTPResponse, HTTPError> {
        let url = request.url.absoluteString
        let curl: CurlHandle
        do { curl = try CurlHandle() } catch { return .failure(error) }
        let transfer = Transfer(maxBytes: request.maxBytes)
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }

        curl.set(CURLOPT_URL, url)
        curl.set(CURLOPT_NOSIGNAL, 1)
        curl.set(CURLOPT_FOLLOWLOCATION, 0)
        curl.set(CURLOPT_PROTOCOLS_STR, "http,https")
        curl.set(CURLOPT_ACCEPT_ENCODING, "")
        curl.set(CURLOPT_USERAGENT, request.userAgent)
        curl.set(CURLOPT_TIMEOUT_MS, Int(request.timeoutSeconds * 1000))
        curl.set(CURLOPT_CONNECTTIMEOUT_MS, Int(min(request.connectTimeoutSeconds, request.timeoutSeconds) * 1000))
        curl.set(CURLOPT_WRITEDATA, pointer: context.toOpaque())
        curl.set(CURLOPT_WRITEFUNCTION, callback: { data, size, count, user in
            let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            // Counted here, on decoded bytes: libcurl's own size limit only applies when the length is announced.
            if transfer.body.count + length > transfer.maxBytes {
                transfer.overflowed = true
                return 0
            }
            if let data { transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        })
        curl.set(CURLOPT_HEADERDATA, pointer: context.toOpaque())
        curl.set(CURLOPT_HEADERFUNCTION, callback: { data, size, count, user in
            let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            if let data {
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                if line.hasPrefix("HTTP/") { transfer.headerLines.removeAll() }
                transfer.headerLines.append(line.trimmingCharacters(in: .newlines))
            }
            return length
        })
        var headers = request.headers.map { "\($0.key): \($0.value)" }.sorted()
        if request.body != nil, request.headers["Content-Type"] == nil { headers.append("Content-Type: application/json") }
        headers.append("Expect:")
        curl.set(CURLOPT_HTTPHEADER, list: headers)
        if let target, IPAddress.parse(target.host) == nil {
            let address = target.address.isV6 ? "[\(target.address)]" : target.address.description
            curl.set(CURLOPT_RESOLVE, list: ["\(target.host):\(target.port):\(address)"])
        }
        var bodyBytes: UnsafeMutableRawPointer?
        if let body = request.body {
            bodyBytes = malloc(max(body.count, 1))
            body.copyBytes(to: bodyBytes!.assumingMemoryBound(to: UInt8.self), count: body.count)
            curl.set(CURLOPT_POSTFIELDSIZE, body.count)
            curl.set(CURLOPT_POSTFIELDS, pointer: bodyBytes)
        }
        defer { free(bodyBytes) }
        if request.method != "GET" && !(request.method == "POST" && request.body != nil) {
            curl.set(CURLOPT_CUSTOMREQUEST, request.method)
        }

        let code = curl.perform()
        if transfer.overflowed {
            return .failure(HTTPError(url: url, kind: .tooLarge, message: "body larger than \(request.maxBytes) bytes"))
        }
        guard code == CURLE_OK else {
            let message = CurlHandle.describe(code)
            switch code {
            case CURLE_OPERATION_TIMEDOUT:
                return .failure(HTTPError(url: url, kind: .timeout, message: "no complete answer within \(CanonicalSeconds.format(request.timeoutSeconds)) s"))
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
                CURLE_PARTIAL_FILE:
                return .failure(HTTPError(url: url, kind: .transport, message: message))
            default:
                return .failure(HTTPError(url: url, kind: .protocolError, message: message))
            }
        }
        var headerMap: [String: String] = [:]
        for line in transfer.headerLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headerMap[name] = headerMap[name].map { "\($0), \(value)" } ?? value
        }
        return .success(HTTPResponse(
            url: request.url, status: curl.info(long: CURLINFO_RESPONSE_CODE), headers: headerMap, body: transfer.body,
            address: curl.info(string: CURLINFO_PRIMARY_IP), redirects: []))
    }
}

enum CanonicalSeconds {
    static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    }
}
