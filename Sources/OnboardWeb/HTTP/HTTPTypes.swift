import Foundation

/// One HTTP request, as the client sends it.
public struct HTTPRequest: Sendable {
    public var url: URL
    public var method: String
    public var headers: [String: String]
    public var body: Data?
    public var userAgent: String
    /// Whole transfer, connection included.
    public var timeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    /// Largest body accepted, counted on decompressed bytes as they arrive.
    public var maxBytes: Int

    public init(
        url: URL, method: String = "GET", headers: [String: String] = [:], body: Data? = nil,
        userAgent: String = "onboard", timeoutSeconds: Double = 30, connectTimeoutSeconds: Double = 10,
        maxBytes: Int = 5 << 20
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.userAgent = userAgent
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.maxBytes = maxBytes
    }
}

/// A redirect that was followed: where it came from and what it answered.
public struct RedirectHop: Sendable, Equatable, Codable {
    public let url: String
    public let status: Int
}

public struct HTTPResponse: Sendable {
    /// The URL that answered, after redirects.
    public let url: URL
    public let status: Int
    /// Header names lowercased; repeated headers joined with ", ".
    public let headers: [String: String]
    /// The body, decompressed.
    public let body: Data
    /// The address the connection was made to.
    public let address: String?
    public let redirects: [RedirectHop]

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case refused, tooLarge = "too-large", timeout, transport, protocolError = "protocol"
        case tooManyRedirects = "too-many-redirects", badRedirect = "bad-redirect"
    }

    public let url: String
    public let kind: Kind
    public let message: String
    /// Set when the guard refused the URL: the class users see (loopback, private, ...).
    public let refusal: GuardRefusal?

    public init(url: String, kind: Kind, message: String, refusal: GuardRefusal? = nil) {
        self.url = url
        self.kind = kind
        self.message = message
        self.refusal = refusal
    }

    /// Worth another attempt after a pause.
    public var isTransient: Bool { kind == .timeout || kind == .transport }

    public var description: String { "\(url): \(message)" }
}
