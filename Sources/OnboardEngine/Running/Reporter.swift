import Foundation

/// Progress and problems on stderr, one line per finished stage or problem, so a log file or a
/// cron mail reads well; `quiet` keeps only problems.
public final class Reporter: Sendable {
    private let quiet: Bool
    private let lock = Locked<Void>(())

    public init(quiet: Bool = false) { self.quiet = quiet }

    public func line(_ text: String) {
        lock.withValue { _ in FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }

    func stageFinished(job: String, stage: String, seconds: Double, warnings: [String]) {
        guard !quiet else { return }
        var text = "\(job) \(stage): done in \(String(format: "%.2f", seconds)) s"
        if !warnings.isEmpty { text += " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s"))" }
        line(text)
    }

    func problem(job: String, stage: String?, _ message: String) {
        line("\(job)\(stage.map { " \($0)" } ?? ""): \(message)")
    }

    func note(_ text: String) {
        guard !quiet else { return }
        line(text)
    }
}
