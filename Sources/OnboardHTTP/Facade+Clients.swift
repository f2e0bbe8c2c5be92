import Foundation
import OnboardEngine
import OnboardStages

/// The client record: anyone may read it; only an administrator may replace its ICP.
extension Facade {
    func clientICP(_ id: String) throws -> FacadeAnswer {
        let client = try Identifier.client(id)
        guard let record = try Confirmation.client(client, in: try loadTree()) else {
            throw FacadeError(404, "no record for client \"\(client)\"")
        }
        return .json(200, record)
    }

    /// Replaces the fields the body names, as `onboard icp set` does; the result is not confirmed.
    func putClientICP(_ id: String, _ request: FacadeRequest) throws -> FacadeAnswer {
        try AdminToken(configured: environment["ONBOARD_ADMIN_TOKEN"]).authorize(request.header("authorization"))
        let client = try Identifier.client(id)
        let fields = try parseObject(request.body)
        let tree = try loadTree()
        do {
            try Confirmation.setICP(client: client, in: tree, fields: .object(fields), source: "body", clock: clock)
        } catch let refusal as Confirmation.Refusal {
            throw FacadeError(400, refusal.description)
        }
        return try clientICP(client)
    }
}

/// `Authorization: Bearer $ONBOARD_ADMIN_TOKEN`. Without a configured token nobody is an
/// administrator, so the route is closed rather than open.
struct AdminToken {
    let configured: String?

    func authorize(_ header: String?) throws(FacadeError) {
        guard let configured, !configured.isEmpty else {
            throw FacadeError(403, "replacing a client's ICP is disabled: ONBOARD_ADMIN_TOKEN is not set for `onboard serve`")
        }
        guard let header, !header.isEmpty else {
            var error = FacadeError(401, "Authorization: Bearer TOKEN is required")
            error.headers["www-authenticate"] = "Bearer"
            throw error
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            var error = FacadeError(401, "Authorization must be of the form: Bearer TOKEN")
            error.headers["www-authenticate"] = "Bearer"
            throw error
        }
        guard Self.constantTimeEqual(String(parts[1]).trimmingCharacters(in: .whitespaces), configured) else {
            throw FacadeError(403, "the bearer token is not the administrator's")
        }
    }

    /// Compares digests of both, the same length whatever was sent, so not even the token's length shows.
    static func constantTimeEqual(_ given: String, _ expected: String) -> Bool {
        Digest.constantTimeEqual(Array(Digest.sha256(given).utf8), Array(Digest.sha256(expected).utf8))
    }
}
