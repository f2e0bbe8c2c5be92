import Foundation
import Hummingbird
import Logging
import OnboardEngine

/// The facade on a Hummingbird HTTP/1.1 server. This file is the only one that knows the
/// server library: it turns its requests into `FacadeRequest`s and the answers back.
public struct FacadeServer: Sendable {
    let facade: Facade
    let host: String
    let port: Int
    let logger: Logger

    public init(facade: Facade, host: String, port: Int) {
        self.facade = facade
        self.host = host
        self.port = port
        var logger = Logger(label: "onboard.serve", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .info
        self.logger = logger
    }

    /// Serves until SIGINT or SIGTERM, then stops taking connections, lets requests in flight
    /// finish and returns. `listening` gets the bound port (the real one when `port` is 0).
    public func run(listening: @escaping @Sendable (_ host: String, _ port: Int) -> Void) async throws {
        let host = self.host
        let requested = self.port
        let application = Application(
            responder: FacadeResponder(facade: facade, logger: logger),
            configuration: ApplicationConfiguration(address: .hostname(host, port: requested), serverName: "onboard"),
            onServerRunning: { channel in listening(host, channel.localAddress?.port ?? requested) },
            logger: logger)
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

struct FacadeResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let facade: Facade
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let answer: FacadeAnswer
        if let body = try await Self.collect(request, declaredLength: headers["content-length"]) {
            answer = facade.answer(FacadeRequest(method: request.method.rawValue, path: request.uri.path, headers: headers, body: body))
        } else {
            answer = FacadeError.tooLarge.answer
        }
        logger.info(
            "answered",
            metadata: ["http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)", "http.status": "\(answer.status)"])
        return Self.response(answer)
    }

    /// The body, or nil as soon as it is known to be over the limit (from Content-Length, or
    /// while it streams in), so a huge upload is never held in memory.
    private static func collect(_ request: Request, declaredLength: String?) async throws -> Data? {
        let limit = Facade.maximumBodyBytes
        if let declaredLength, let length = Int(declaredLength), length > limit { return nil }
        var body = Data()
        for try await chunk in request.body {
            guard body.count + chunk.readableBytes <= limit else { return nil }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return body
    }

    private static func response(_ answer: FacadeAnswer) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        for (name, value) in answer.headers {
            switch name {
            case "allow": fields[.allow] = value
            case "www-authenticate": fields[.wwwAuthenticate] = value
            default: continue
            }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
