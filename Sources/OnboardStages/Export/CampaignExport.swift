import Foundation
import OnboardEngine

/// The import shapes `onboard export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case csv, instantly, smartlead, apollo
}

/// `onboard export JOB --format F`: a job's campaigns, their sequences and their assigned leads in
/// the shape each sequencing tool imports, variables renamed to the tool's names and the
/// steps' delays counted the tool's way.
public enum CampaignExport {
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
        /// The command was asked for something that is not there (an unknown job): bad usage.
        public var isUsage = false
    }

    public static func render(job: String, in tree: Tree, format: ExportFormat) throws -> Data {
        guard tree.hasJob(job) else {
            throw Refusal(description: "no job \"\(job)\" in the outbox", isUsage: true)
        }
        let exported = try ExportedJob.load(tree.job(job))
        switch format {
        case .csv: return Data(ToolShapes.csv(exported).utf8)
        case .instantly: return CanonicalJSON.data(ToolShapes.instantly(exported))
        case .smartlead: return CanonicalJSON.data(ToolShapes.smartlead(exported))
        case .apollo: return CanonicalJSON.data(ToolShapes.apollo(exported))
        }
    }
}
