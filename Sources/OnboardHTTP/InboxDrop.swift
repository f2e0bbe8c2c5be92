import Foundation
import OnboardEngine

#if canImport(Glibc)
import Glibc
#endif

/// A request posted over HTTP, handed to the inbox the way the contract asks of any writer:
/// written in full under a `.part` name intake ignores, then given its `.json` name in one step.
struct InboxDrop {
    let inbox: URL
    let jobID: String

    var name: String { "api-\(jobID).json" }
    var target: URL { inbox.appendingPathComponent(name) }

    enum Outcome: Equatable {
        case placed
        /// A file of that name was there first: its bytes, for the caller to compare.
        case alreadyThere(Data)
    }

    /// `link` rather than `rename` gives the name only if nobody holds it yet, so two different
    /// requests racing for one request_id can never replace each other's file.
    func place(_ body: Data) throws -> Outcome {
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let part = inbox.appendingPathComponent(".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).part")
        try AtomicFile.write(body, to: part)
        defer { unlink(part.path) }
        if link(part.path, target.path) == 0 {
            AtomicFile.syncDirectory(inbox)
            return .placed
        }
        let code = errno
        guard code == EEXIST else { throw FileError.posix("link \(part.lastPathComponent) to", target.path, code) }
        return .alreadyThere((try? Data(contentsOf: target)) ?? Data())
    }
}
