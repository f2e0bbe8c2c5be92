import Foundation

/// A request the application accepted: the job it belongs to and what job.json shows of it.
public struct AdmittedRequest: Sendable, Equatable {
    public let jobID: String
    /// True when the request named its own job id (a request_id), which must then stay unique.
    public let explicitID: Bool
    /// SHA-256 of the normalised request: two requests with the same value are the same request.
    public let normalizedSHA256: String
    /// Fields job.json carries (client_id, website_url).
    public let recordFields: [String: JSONValue]

    public init(jobID: String, explicitID: Bool, normalizedSHA256: String, recordFields: [String: JSONValue]) {
        self.jobID = jobID
        self.explicitID = explicitID
        self.normalizedSHA256 = normalizedSHA256
        self.recordFields = recordFields
    }
}

/// Why a request was refused: the JSON path of the field (nil when the file as a whole is bad).
public struct RequestRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String?
    public let message: String

    public init(field: String?, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
