import Foundation

/// Progress and problems on stderr, one line per finished stage or problem, so a log file or a
/// cron mail reads well; `quiet` keeps only problems.
/// On a terminal a progress line is kept at the bottom and redrawn; a log never sees it.
public final class Reporter: Sendable {
    private let quiet: Bool
    private let terminal: Bool
    /// The progress line on screen, if any.
    private let progressLine = Locked<String?>(nil)

    public init(quiet: Bool = false, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.quiet = quiet
        self.terminal = terminal && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    public func line(_ text: String) {
        progressLine.withValue { shown in
            let clear = shown == nil ? "" : "\r\u{1B}[K"
            let redraw = shown ?? ""
            FileHandle.standardError.write(Data((clear + text + "\n" + redraw).utf8))
        }
    }

    /// Jobs looked at so far in this pass, out of how many.
    func progress(done: Int, total: Int) {
        guard terminal, !quiet, total > 1 else { return }
        progressLine.withValue { shown in
            let text = done < total ? "[\(done)/\(total) jobs]" : nil
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text ?? "")).utf8))
            shown = text
        }
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
