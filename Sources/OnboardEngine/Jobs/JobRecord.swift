import Foundation

/// The states a job can be in, as job.json and `status` show them.
public enum JobStatus: String, Codable, Sendable {
    case pending, running, waiting, completed, failed
}

/// `job.json`: the job record a person or a script reads to follow a job.
public struct JobRecord: Sendable, Equatable {
    public var jobID: String
    public var status: JobStatus
    public var currentStep: String?
    public var completedSteps: Int
    public var totalSteps: Int
    public var errorMessage: String?
    public var createdAt: String
    public var startedAt: String?
    public var completedAt: String?
    /// Fields the application adds from the request (client_id, website_url).
    public var fields: [String: JSONValue]

    public var json: JSONValue {
        var members = fields
        members["job_id"] = .string(jobID)
        members["status"] = .string(status.rawValue)
        members["current_step"] = currentStep.map(JSONValue.string) ?? .null
        members["completed_steps"] = .int(Int64(completedSteps))
        members["total_steps"] = .int(Int64(totalSteps))
        members["error_message"] = errorMessage.map(JSONValue.string) ?? .null
        members["created_at"] = .string(createdAt)
        members["started_at"] = startedAt.map(JSONValue.string) ?? .null
        members["completed_at"] = completedAt.map(JSONValue.string) ?? .null
        return .object(members)
    }

    static let ownKeys: Set<String> = [
        "job_id", "status", "current_step", "completed_steps", "total_steps", "error_message",
        "created_at", "started_at", "completed_at",
    ]

    public init(
        jobID: String, status: JobStatus, totalSteps: Int, createdAt: String, fields: [String: JSONValue]
    ) {
        self.jobID = jobID
        self.status = status
        self.currentStep = nil
        self.completedSteps = 0
        self.totalSteps = totalSteps
        self.errorMessage = nil
        self.createdAt = createdAt
        self.startedAt = nil
        self.completedAt = nil
        self.fields = fields
    }

    public init?(json: JSONValue) {
        guard let members = json.objectValue, let id = members["job_id"]?.stringValue,
            let status = members["status"]?.stringValue.flatMap(JobStatus.init(rawValue:))
        else { return nil }
        jobID = id
        self.status = status
        currentStep = members["current_step"]?.stringValue
        completedSteps = Int(members["completed_steps"]?.intValue ?? 0)
        totalSteps = Int(members["total_steps"]?.intValue ?? 0)
        errorMessage = members["error_message"]?.stringValue
        createdAt = members["created_at"]?.stringValue ?? ""
        startedAt = members["started_at"]?.stringValue
        completedAt = members["completed_at"]?.stringValue
        fields = members.filter { !Self.ownKeys.contains($0.key) }
    }

    public static func read(_ folder: JobFolder) -> JobRecord? {
        guard let data = try? Data(contentsOf: folder.record), let json = try? JSONValue.parse(data) else { return nil }
        return JobRecord(json: json)
    }

    public func write(to folder: JobFolder) throws {
        try AtomicFile.write(CanonicalJSON.data(json), to: folder.record)
    }
}
