#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file: enough to notice any change without reading it.
/// ctime is included because a person can set mtime back, but not ctime.
public struct FileSignature: Sendable, Hashable, CustomStringConvertible {
    public let inode: UInt64
    public let size: Int64
    public let modified: Int64
    public let changed: Int64
    public let isRegularFile: Bool
    public let isSymbolicLink: Bool

    /// lstat of a path; nil when nothing is there.
    public static func of(_ path: String) -> FileSignature? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        return FileSignature(
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            changed: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec),
            isRegularFile: kind == S_IFREG,
            isSymbolicLink: kind == S_IFLNK)
    }

    /// A compact text form for the index kept in state.
    public var description: String { "\(inode):\(size):\(modified):\(changed)" }
}
