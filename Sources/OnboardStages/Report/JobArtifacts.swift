import Foundation
import OnboardEngine

/// The files of one job folder, read leniently: a missing artifact is "not yet", an unreadable
/// one is noted and shown as such, and neither stops the page.
struct JobArtifacts {
    let folder: URL
    private(set) var problems: [String] = []

    init(folder: URL) { self.folder = folder }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(relative).path)
    }

    func data(_ relative: String) -> Data? { try? Data(contentsOf: folder.appendingPathComponent(relative)) }

    mutating func json(_ relative: String) -> JSONValue? {
        guard let data = data(relative) else { return nil }
        guard let value = try? JSONValue.parse(data) else {
            problems.append("\(relative) is not valid JSON")
            return nil
        }
        return value
    }

    mutating func csv(_ relative: String) -> CSVTable? {
        data(relative).map(CSVTable.init)
    }

    /// Other stage folders the job has (a user's command stages), in name order.
    func extraStageFolders(known: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            !known.contains(name) && !name.hasPrefix(".") && !["inputs", "history"].contains(name)
                && (exists("\(name)/stamp.json") || exists("\(name)/error.json"))
        }.sorted()
    }
}
