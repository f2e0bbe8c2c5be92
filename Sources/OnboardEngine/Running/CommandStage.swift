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
        guard let program = Self.resolve(arguments[0]) else {
            throw StageFailure("command \"\(arguments[0])\" not found (looked in PATH)")
        }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = context.job.url
        var environment = ProcessInfo.processInfo.environment
        environment["ONBOARD_INPUTS"] = context.inputs.map { context.input($0).path }.joined(separator: "\n")
        environment["ONBOARD_OUT"] = context.outputDirectory.path
        environment["ONBOARD_JOB"] = context.jobID
        environment["ONBOARD_JOB_DIR"] = context.job.path
        environment["ONBOARD_STAGE"] = context.stage
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice

        let status = try await Self.launchAndWait(process, deadline: context.deadline, clock: context.clock)
        if process.terminationReason == .uncaughtSignal {
            if let deadline = context.deadline, context.clock.monotonicSeconds() >= deadline {
                throw StageFailure("stopped at the time limit of its phase")
            }
            throw StageFailure("command was killed by signal \(status)\(Self.tail(log))")
        }
        if status == Self.transientExitStatus {
            throw StageFailure("command reported a transient failure (exit 75)\(Self.tail(log))", transient: true)
        }
        if status != 0 { throw StageFailure("command exited with status \(status)\(Self.tail(log))") }
        return StageReport(provider: "command")
    }

    /// Starts the process and waits for it without blocking a thread; past the deadline it is
    /// asked to stop (SIGTERM), then forced (SIGKILL) two seconds later if still there.
    private static func launchAndWait(_ process: Process, deadline: Double?, clock: EngineClock) async throws -> Int32 {
        let child = Locked<(pid: Int32, finished: Bool)>((0, false))
        let watchdog: Task<Void, Never>? = deadline.map { deadline in
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, deadline - clock.monotonicSeconds()) * 1e9))
                guard !Task.isCancelled else { return }
                Self.stop(child)
            }
        }
        defer { watchdog?.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                child.withValue { $0.finished = true }
                continuation.resume(returning: finished.terminationStatus)
            }
            do {
                try process.run()
                child.withValue { $0.pid = process.processIdentifier }
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: StageFailure("cannot start \(process.executableURL?.path ?? "command"): \(error.localizedDescription)"))
            }
        }
    }

    /// Signals the command's whole process group (Process makes the child a group leader), so a
    /// shell's own children stop with it.
    private static func stop(_ child: Locked<(pid: Int32, finished: Bool)>) {
        let (pid, finished) = child.current
        guard pid > 0, !finished else { return }
        signalGroup(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
            let (pid, finished) = child.current
            if !finished { signalGroup(pid, SIGKILL) }
        }
    }

    private static func signalGroup(_ pid: Int32, _ number: Int32) {
        if kill(-pid, number) != 0 { kill(pid, number) }
    }

    private static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The last lines the command wrote, for the error message.
    private static func tail(_ log: URL) -> String {
        guard let data = FileManager.default.contents(atPath: log.path), !data.isEmpty else { return "" }
        let text = String(decoding: data.suffix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": \(text)"
    }
}

