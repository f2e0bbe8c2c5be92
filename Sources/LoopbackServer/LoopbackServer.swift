import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1, for the demo's sample sites and for tests that need a
/// real server, hostile ones included (slow, oversized, redirecting, dropping). One thread per
/// connection, `Connection: close` on every answer: simple, and real sockets all the way.
public final class LoopbackServer: Sendable {
    public let port: Int
    private let listener: Int32
    private let stopped = LockedFlag()

    public init(port: Int = 0, handler: @escaping @Sendable (ServerRequest) -> ServerResponse) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ServerError("cannot listen on 127.0.0.1:\(port): \(message)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = fd
        let stopped = self.stopped
        Thread.detachNewThread {
            while !stopped.isSet {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return
                }
                Thread.detachNewThread { Connection(fd: client).serve(handler) }
            }
        }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        guard stopped.set() else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }
}

/// What the handler sees of a request.
public struct ServerRequest: Sendable {
    public let method: String
    /// Path and query, as sent.
    public let target: String
    /// Lowercased names.
    public let headers: [String: String]
    public let body: Data

    public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
}

public enum ServerResponse: Sendable {
    case full(status: Int, headers: [String: String], body: Data)
    /// Raw bytes written as given (status line and headers included), each piece after its delay.
    case raw([(Data, Double)])
    /// Close the connection without a word.
    case drop

    public static func text(_ status: Int, _ body: String, type: String = "text/html; charset=utf-8") -> ServerResponse {
        .full(status: status, headers: ["Content-Type": type], body: Data(body.utf8))
    }

    public static func redirect(_ status: Int = 302, to location: String) -> ServerResponse {
        .full(status: status, headers: ["Location": location], body: Data())
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

private struct Connection {
    let fd: Int32

    func serve(_ handler: @Sendable (ServerRequest) -> ServerResponse) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest() else { return }
        switch handler(request) {
        case .drop:
            return
        case .raw(let pieces):
            for (bytes, delay) in pieces {
                if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
                guard send(bytes) else { return }
            }
        case .full(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            var fields = headers
            if fields.keys.first(where: { $0.lowercased() == "content-length" }) == nil { fields["Content-Length"] = String(body.count) }
            fields["Connection"] = "close"
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            guard send(Data(head.utf8)) else { return }
            if request.method != "HEAD" { _ = send(body) }
        }
        shutdown(fd, Int32(SHUT_WR))
    }

    private func readRequest() -> ServerRequest? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            headerEnd = buffer.range(of: separator)
            if buffer.count > 1 << 20 { return nil }
        }
        let head = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[headerEnd!.upperBound...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            body.append(contentsOf: chunk[0..<count])
        }
        return ServerRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 202: return "Accepted"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// A flag set once, from any thread.
final class LockedFlag: @unchecked Sendable {
    private var value = false
    private let lock = NSLock()

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// Sets the flag; false when it was already set.
    func set() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if value { return false }
        value = true
        return true
    }
}
