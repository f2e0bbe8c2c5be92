import Foundation
import OnboardEngine

/// How many leads of the lead database fit each segment (its industries and the ICP's places, and
/// a title that stands for one of its buyer titles) and are still open to the client (not claimed
/// by another client when leads are exclusive): the campaigns' weights. `nil` when the tree has no
/// lead database, and the split is then even.
enum SegmentLeadCounts {
    static func count(
        _ segments: [Segment], confirmedICP: ConfirmedICP, client: String, exclusive: Bool, stateDirectory: URL
    ) throws -> [Int]? {
        // Only read: opening would create an empty database in a tree that never imported leads.
        guard FileManager.default.fileExists(atPath: stateDirectory.appendingPathComponent(LeadDatabase.fileName).path) else {
            return nil
        }
        let database = try LeadDatabase(stateDirectory: stateDirectory)
        let fit = LeadFit(confirmedICP)
        return try database.countAvailable(
            segments.map { fit.narrowed(toIndustries: $0.industries, titles: $0.titles) }, client: client, exclusive: exclusive)
    }
}
