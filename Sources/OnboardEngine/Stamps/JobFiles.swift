import Foundation

/// The files of one job as the engine sees them during one pass: every stat and hash goes
/// through here, so hashes of unchanged files are reused from the index and the signatures
/// seen become the job's next index entry.
final class JobFiles {
    let folder: JobFolder
    private let previous: [String: JobIndexEntry.File]
    private(set) var seen: [String: JobIndexEntry.File] = [:]

    init(folder: JobFolder, previous: [String: JobIndexEntry.File]) {
        self.folder = folder
        self.previous = previous
    }

    /// The file's SHA-256, or nil when it does not exist.
    func sha256(_ relative: String) throws -> String? {
        if let known = seen[relative], known.signature != "-", let sha = known.sha256 { return sha }
        let path = folder.path + "/" + relative
        guard let before = FileSignature.of(path), !before.isSymbolicLink else {
            seen[relative] = .init(signature: "-", sha256: nil)
            return nil
        }
        if let old = previous[relative], old.signature == before.description, let sha = old.sha256 {
            seen[relative] = old
            return sha
        }
        let sha = try Digest.sha256(fileAt: path)
        // A file changing while it is hashed must not be remembered under its new signature.
        let after = FileSignature.of(path)
        seen[relative] = .init(signature: after == before ? before.description : "?", sha256: sha)
        return sha
    }

    /// Reads a control file the engine writes (stamp, error record). What is remembered is the
    /// signature of the stage folder holding it, taken first: a new stamp arrives with a new folder
    /// (committed by rename), and an error record appearing or deleted changes the folder's times.
    func readControl(_ relative: String) -> Data? {
        let folderName = relative.split(separator: "/").first.map(String.init) ?? relative
        if seen[folderName + "/"] == nil { watch(folderName + "/") }
        let path = folder.path + "/" + relative
        guard let signature = FileSignature.of(path), signature.isRegularFile else { return nil }
        return FileManager.default.contents(atPath: path)
    }

    /// Regular files under a folder of the job, sorted; the folder's own signature is remembered so
    /// a file added to it is noticed.
    func filesUnder(_ relative: String) throws -> [String] {
        let base = relative.hasSuffix("/") ? relative : relative + "/"
        watch(base)
        let root = folder.path + "/" + base
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let name = walker.nextObject() as? String {
            guard let signature = FileSignature.of(root + name) else { continue }
            if signature.isRegularFile, !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                found.append(base + name)
            } else if !signature.isRegularFile, !signature.isSymbolicLink {
                watch(base + name + "/")
            }
        }
        return found.sorted()
    }

    /// Notes whether a file exists, for files whose appearance must wake the job up.
    func watch(_ relative: String) {
        let path = folder.path + "/" + (relative.hasSuffix("/") ? String(relative.dropLast()) : relative)
        seen[relative] = .init(signature: FileSignature.of(path)?.description ?? "-", sha256: nil)
    }

    /// After a commit: forget what was seen under a folder, and learn the hashes just written.
    func replace(prefix: String, with written: [String: String]) {
        for key in seen.keys where key.hasPrefix(prefix) { seen[key] = nil }
        for (relative, sha) in written {
            let signature = FileSignature.of(folder.path + "/" + relative)?.description ?? "?"
            seen[relative] = .init(signature: signature, sha256: sha)
        }
    }
}
