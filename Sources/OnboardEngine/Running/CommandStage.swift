import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a user's own stage program: no shell, inputs named in `ONBOARD_INPUTS` (absolute paths,
/// one per line), outputs written into `ONBOARD_OUT`. Exit status 75 (EX_TEMPFAIL) marks a
/// transient failure worth retrying.
struct CommandStage {
    static let transientExitStatus: Int32 = 75

    let arguments: [String]

    func run(_ context: StageContext, log: URL) async throws -> StageReport {
        guard let program = ChildProcess.resolve(arguments[0]) else {
            throw StageFailure("command \"\(arguments[0])\" not found (looked in PATH)")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["ONBOARD_INPUTS"] = context.inputs.map { context.input($0).path }.joined(separator: "\n")
        environment["ONBOARD_OUT"] = context.outputDirectory.path
        environment["ONBOARD_JOB"] = context.jobID
        environment["ONBOARD_JOB_DIR"] = context.job.path
        environment["ONBOARD_STAGE"] = context.stage

        let termination = try await ChildProcess.run(
            program: program, arguments: Array(arguments.dropFirst()), environment: environment,
            directory: context.job.path, log: log.path, deadline: context.deadline, clock: context.clock)
        switch termination {
        case .exited(0):
            return StageReport(provider: "command")
        case .exited(Self.transientExitStatus):
            throw StageFailure("command reported a transient failure (exit 75)\(Self.tail(log))", transient: true)
        case .exited(let status):
            throw StageFailure("command exited with status \(status)\(Self.tail(log))")
        case .signalled(let signal):
            if let deadline = context.deadline, context.clock.monotonicSeconds() >= deadline {
                throw StageFailure("stopped at the time limit of its phase")
            }
            throw StageFailure("command was killed by signal \(signal)\(Self.tail(log))")
        }
    }

    /// The last lines the command wrote, for the error message.
    private static func tail(_ log: URL) -> String {
        guard let data = FileManager.default.contents(atPath: log.path), !data.isEmpty else { return "" }
        let text = String(decoding: data.suffix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": \(text)"
    }
}

