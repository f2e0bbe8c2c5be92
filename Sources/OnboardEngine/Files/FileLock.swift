#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (flock) on a file, held until `unlock` or deinit. The kernel drops it when the
/// process dies, so a crashed run never leaves a job locked.
public final class FileLock {
    private var descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock if it is free; nil when another process (or another open of the file) holds it.
    public static func tryLock(_ path: String) throws -> FileLock? {
        try acquire(path, blocking: false)
    }

    /// Waits for the lock.
    public static func lock(_ path: String) throws -> FileLock {
        try acquire(path, blocking: true)!
    }

    private static func acquire(_ path: String, blocking: Bool) throws -> FileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.posix("open lock", path, errno) }
        while flock(fd, LOCK_EX | (blocking ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw FileError.posix("lock", path, code)
        }
        return FileLock(descriptor: fd)
    }

    /// Replaces the lock file's content: a holder says what it is doing without creating a file.
    public func describe(_ text: String) {
        guard descriptor >= 0 else { return }
        ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    public func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}
