import Foundation
import OnboardEngine

/// The one place `complete` rebuilds the job's `report.html` (a view beside the stage folders,
/// with no stamp of its own).
enum CompletionReport {
    static func rebuild(job: JobFolder) throws {
        // The report page renderer (ReportPage.render(job:)) is built on its own; once it is part
        // of this build this becomes:
        // try AtomicFile.write(ReportPage.render(job: job.url), to: job.file("report.html"))
    }
}
