import Foundation
import OnboardEngine
import OnboardStages

/// One HTTP request as the facade sees it, free of the server library's types so the routes can
/// be read (and reasoned about) on their own.
public struct FacadeRequest: Sendable {
    public var method: String
    /// The path without its query string.
    public var path: String
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method.uppercased()
        self.path = path
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What the facade answers: a status, JSON (or the OpenAPI document) and extra headers.
public struct FacadeAnswer: Sendable {
    public var status: Int
    public var body: Data
    public var headers: [String: String]

    public init(status: Int, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    static func json(_ status: Int, _ value: JSONValue, headers: [String: String] = [:]) -> FacadeAnswer {
        FacadeAnswer(status: status, body: CanonicalJSON.data(value), headers: headers)
    }

    /// A file of the tree, served byte for byte (it is already canonical JSON).
    static func file(_ status: Int, _ data: Data) -> FacadeAnswer { FacadeAnswer(status: status, body: data) }
}

/// A refusal that becomes `{"error": MESSAGE}` (with `field` when one field is to blame).
struct FacadeError: Error, CustomStringConvertible {
    let status: Int
    let message: String
    var field: String?
    var headers: [String: String] = [:]

    init(_ status: Int, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    var description: String { message }

    var answer: FacadeAnswer {
        var members: [String: JSONValue] = ["error": .string(message)]
        if let field { members["field"] = .string(field) }
        return .json(status, .object(members), headers: headers)
    }
}

/// The seed's REST endpoints over the files of one tree. Every route only reads or writes files
/// (and the client records in state); none runs a stage: `onboard run` and `watch` do that.
public struct Facade: Sendable {
    /// Largest body taken: a request file may be at most 1 MiB, and nothing else posted is larger.
    public static let maximumBodyBytes = 1 << 20

    let root: URL
    let profile: OnboardingProfile
    let clock: EngineClock
    let environment: [String: String]
    /// The tree as last loaded, with the signature pipeline.json had then.
    private let loaded = Locked<(signature: FileSignature, tree: Tree)?>(nil)

    public init(root: URL, clock: EngineClock, environment: [String: String]) {
        self.root = root
        self.profile = OnboardingProfile()
        self.clock = clock
        self.environment = environment
    }

    /// pipeline.json is checked for each request (a `stat`) and loaded again whenever it changed,
    /// so an operator's change of tiers is seen at once, as `onboard run` would see it.
    func loadTree() throws(FacadeError) -> Tree {
        let signature = FileSignature.of(Tree.pipelineFile(in: root).path)
        if let signature, let cached = loaded.current, cached.signature == signature { return cached.tree }
        do {
            let tree = try Engine(root: root, profile: profile, clock: clock).loadTree()
            if let signature { loaded.withValue { $0 = (signature, tree) } }
            return tree
        } catch {
            throw FacadeError(500, "the tree's pipeline.json cannot be used: \(error)")
        }
    }

    public func answer(_ request: FacadeRequest) -> FacadeAnswer {
        do {
            if request.body.count > Self.maximumBodyBytes { throw FacadeError.tooLarge }
            return try route(request)
        } catch let error as FacadeError {
            return error.answer
        } catch {
            return FacadeError(500, "\(error)").answer
        }
    }

    private func route(_ request: FacadeRequest) throws -> FacadeAnswer {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard let endpoint = Endpoint(segments: segments) else {
            throw FacadeError(404, "no such endpoint: \(request.path) (see /openapi.json)")
        }
        guard endpoint.methods.contains(request.method) else {
            var error = FacadeError(405, "\(request.method) is not allowed on \(request.path); allowed: \(endpoint.methods.joined(separator: ", "))")
            error.headers["allow"] = endpoint.methods.joined(separator: ", ")
            throw error
        }
        switch (endpoint, request.method) {
        case (.analyze, _): return try analyze(request.body)
        case (.status(let job), _): return try status(job)
        case (.result(let job), _): return try result(job)
        case (.confirm, _): return try confirm(request.body)
        case (.clientICP(let client), "GET"): return try clientICP(client)
        case (.clientICP(let client), _): return try putClientICP(client, request)
        case (.stripe, _): return try stripe(request)
        case (.openAPI, _): return try openAPI()
        }
    }

    private func openAPI() throws(FacadeError) -> FacadeAnswer {
        guard let data = OpenAPIDocument.data else {
            throw FacadeError(500, "the program's openapi.json is missing from its resource bundle; reinstall onboard")
        }
        return .file(200, data)
    }
}

extension FacadeError {
    static let tooLarge = FacadeError(413, "request body is larger than \(Facade.maximumBodyBytes) bytes (1 MiB)")
}

/// The endpoints, recognised from the path's segments; ids are checked here, so no id that
/// reaches a route can name anything outside the tree's folders.
enum Endpoint {
    case analyze, status(String), result(String), confirm, clientICP(String), stripe, openAPI

    init?(segments: [String]) {
        switch segments.count {
        case 1 where segments[0] == "openapi.json": self = .openAPI
        case 2 where segments == ["webhooks", "stripe"]: self = .stripe
        case 4 where segments[0...2] == ["api", "v1", "onboarding"] && segments[3] == "analyze": self = .analyze
        case 4 where segments[0...2] == ["api", "v1", "onboarding"] && segments[3] == "confirm": self = .confirm
        case 5 where segments[0...2] == ["api", "v1", "onboarding"] && segments[3] == "status": self = .status(segments[4])
        case 5 where segments[0...2] == ["api", "v1", "onboarding"] && segments[3] == "result": self = .result(segments[4])
        case 5 where segments[0...1] == ["api", "v1"] && segments[2] == "clients" && segments[4] == "icp":
            self = .clientICP(segments[3])
        default: return nil
        }
    }

    var methods: [String] {
        switch self {
        case .analyze, .confirm, .stripe: return ["POST"]
        case .status, .result, .openAPI: return ["GET"]
        case .clientICP: return ["GET", "PUT"]
        }
    }
}

/// Ids arrive in paths and bodies: the same alphabet the tree's folder names use.
enum Identifier {
    static func job(_ id: String) throws(FacadeError) -> String {
        guard JobID.isValid(id) else {
            throw FacadeError(400, "job_id \"\(id.prefix(80))\" is not a job id (lowercase letters, digits, - and _)", field: "job_id")
        }
        return id
    }

    static func client(_ id: String) throws(FacadeError) -> String {
        guard JobID.isValid(id), id.utf8.count <= 64 else {
            throw FacadeError(400, "client id \"\(id.prefix(80))\" must match [a-z0-9][a-z0-9_-]{0,63}", field: "client_id")
        }
        return id
    }
}

/// A body that must be one JSON object.
func parseObject(_ body: Data) throws(FacadeError) -> [String: JSONValue] {
    guard !body.isEmpty else { throw FacadeError(400, "request body is empty; a JSON object is expected") }
    let value: JSONValue
    do { value = try JSONValue.parse(body) } catch { throw FacadeError(400, "request body is not valid JSON") }
    guard let members = value.objectValue else { throw FacadeError(400, "request body must be a JSON object, not \(value.typeName)") }
    return members
}
