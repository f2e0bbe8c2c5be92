import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes that never leave a half-written file behind: temp file in the same folder, fsync,
/// rename over the target, fsync of the folder so the rename itself survives a power cut.
public enum AtomicFile {
    /// Temporary names carry this marker so a crashed writer's leftovers can be recognised and swept.
    public static let temporaryMarker = ".onboard-tmp-"

    public static func write(_ data: Data, to url: URL, durable: Bool = true) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(
            "\(temporaryMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(url.lastPathComponent)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.posix("create", temporary.path, errno) }
        var failure: FileError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = .posix("write", temporary.path, errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, durable, fsync(fd) != 0 { failure = .posix("fsync", temporary.path, errno) }
        close(fd)
        if let failure {
            unlink(temporary.path)
            throw failure
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw FileError.posix("rename", url.path, code)
        }
        if durable { syncDirectory(directory) }
    }

    /// Renames a file or folder into place and makes the rename durable.
    public static func move(_ source: URL, to target: URL) throws {
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard rename(source.path, target.path) == 0 else {
            throw FileError.posix("rename \(source.lastPathComponent) to", target.path, errno)
        }
        // The target's folder is what must survive a power cut; a source entry that reappears
        // after one is a leftover the next run sweeps.
        syncDirectory(target.deletingLastPathComponent())
    }

    public static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Flushes every regular file under a folder (a stage's staged outputs) before it is renamed into place.
    public static func syncTree(_ directory: URL) throws {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return }
        for case let url as URL in walker {
            let fd = open(url.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            fsync(fd)
            close(fd)
        }
        syncDirectory(directory)
    }
}

public enum FileError: Error, CustomStringConvertible, Equatable {
    case posix(String, String, Int32)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .posix(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case .unreadable(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
