import CSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program started with posix_spawn in its own process group, output to a log file, waited for
/// on a thread of its own so no task blocks. (Foundation's Process costs several milliseconds a
/// spawn here, which a pass over thousands of command stages feels.)
public enum ChildProcess {
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Runs `program` (an absolute path) with its output in `log` (and its errors too, unless
    /// `errorLog` names another file); past `deadline` (monotonic seconds) it is stopped.
    public static func run(
        program: String, arguments: [String], environment: [String: String], directory: String, log: String,
        errorLog: String? = nil, deadline: Double?, clock: EngineClock
    ) async throws -> Termination {
        let pid = try spawn(
            program: program, arguments: arguments, environment: environment, directory: directory, log: log,
            errorLog: errorLog)
        let finished = Locked(false)
        let watchdog: Task<Void, Never>? = deadline.map { deadline in
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, deadline - clock.monotonicSeconds()) * 1e9))
                guard !Task.isCancelled, !finished.current else { return }
                signalGroup(pid, SIGTERM)
                try? await Task.sleep(nanoseconds: 2_000_000_000)
                if !finished.current { signalGroup(pid, SIGKILL) }
            }
        }
        defer { watchdog?.cancel() }
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                finished.withValue { $0 = true }
                continuation.resume(returning: status)
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    private static func spawn(
        program: String, arguments: [String], environment: [String: String], directory: String, log: String,
        errorLog: String?
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errorLog {
            posix_spawn_file_actions_addopen(&actions, 2, errorLog, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        onboard_spawn_addchdir(&actions, directory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (so a deadline can stop a shell and its children together); signals
        // this process ignores (watch ignores SIGINT/SIGTERM) back to their defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, number) }
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard code == 0 else { throw StageFailure("cannot start \(program): \(String(cString: strerror(code)))") }
        return pid
    }

    /// The absolute path of a program named on PATH (or given as a path).
    public static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func signalGroup(_ pid: pid_t, _ number: Int32) {
        if kill(-pid, number) != 0 { kill(pid, number) }
    }
}
