import Foundation
import OnboardEngine

/// How many leads of the lead database fit each segment: the campaigns' weights. `nil` when
/// there is no lead database to read, and the split is then even.
enum SegmentLeadCounts {
    static func count(_ segments: [Segment], icp: ConfirmedICP, stateDirectory: URL) throws -> [Int]? {
        // The lead database (state/leads.sqlite) and its fit check are built beside this stage;
        // until they are part of this build there is nothing to count.
        nil
    }
}
