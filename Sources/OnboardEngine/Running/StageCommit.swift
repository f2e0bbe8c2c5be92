import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Puts a stage's staged outputs in place as one step that a crash cannot leave half-done.
///
/// The staged folder (outputs and stamp, all fsynced) is complete before anything moves. The
/// intent is written next; then the old stage folder is moved aside (to history, or to be
/// discarded) and the staged folder renamed into place. `recover` replays the same steps after a
/// crash, so the next run always ends with either the old outputs or the new ones, never a mix.
struct StageCommit: Codable, Equatable {
    var stage: String
    /// The staged folder, relative to the job folder.
    var staged: String
    /// Where the previous outputs go (`history/<stage>/<n>`), or nil when they are only an old error.
    var history: String?

    /// A new staging folder for one attempt. The name is unique to this process and attempt, so a
    /// stage program left running by a killed process can never write into a later attempt's outputs.
    static func newStaging(_ folder: JobFolder, _ stage: String, attempt: Int) -> URL {
        folder.staging.appendingPathComponent("\(stage)-\(getpid())-\(attempt)")
    }

    static func discarded(_ folder: JobFolder, _ stage: String) -> URL {
        folder.staging.appendingPathComponent("\(stage).discard")
    }

    /// Commits the staged folder of `stage`, keeping the previous outputs when they hold a stamp.
    static func commit(_ stage: String, staged: URL, in folder: JobFolder) throws {
        let current = folder.stage(stage)
        if !FileManager.default.fileExists(atPath: current.path) {
            // Nothing to move aside: one rename is atomic by itself and needs no intent.
            try AtomicFile.move(staged, to: current)
            dropRecording(stage, in: folder)
            return
        }
        var intent = StageCommit(stage: stage, staged: ".staging/\(staged.lastPathComponent)", history: nil)
        if FileManager.default.fileExists(atPath: current.appendingPathComponent("stamp.json").path) {
            intent.history = "history/\(stage)/\(nextHistoryNumber(stage, in: folder))"
        }
        try AtomicFile.write(try JSONEncoder().encode(intent), to: folder.commitIntent)
        try intent.apply(in: folder)
    }

    /// Finishes an interrupted commit, if there is one.
    static func recover(in folder: JobFolder) throws {
        guard let data = FileManager.default.contents(atPath: folder.commitIntent.path) else { return }
        guard let intent = try? JSONDecoder().decode(StageCommit.self, from: data) else {
            // The intent is written atomically, so an unreadable one was never acted upon.
            try FileManager.default.removeItem(at: folder.commitIntent)
            return
        }
        try intent.apply(in: folder)
    }

    private func apply(in folder: JobFolder) throws {
        let manager = FileManager.default
        let staged = folder.file(self.staged)
        let current = folder.stage(stage)
        if manager.fileExists(atPath: staged.path) {
            if manager.fileExists(atPath: current.path) {
                let aside = history.map { folder.file($0) } ?? Self.discarded(folder, stage)
                if manager.fileExists(atPath: aside.path) { try manager.removeItem(at: aside) }
                try AtomicFile.move(current, to: aside)
            }
            try AtomicFile.move(staged, to: current)
        }
        Self.dropRecording(stage, in: folder)
        let discarded = Self.discarded(folder, stage)
        if manager.fileExists(atPath: discarded.path) { try manager.removeItem(at: discarded) }
        try manager.removeItem(at: folder.commitIntent)
        AtomicFile.syncDirectory(folder.url)
    }

    /// The committed outputs now hold what the stage kept of its recorded answers. Left behind by
    /// a crash right before this, the recording is harmless: it holds the same answers.
    private static func dropRecording(_ stage: String, in folder: JobFolder) {
        let recording = folder.recording(stage)
        guard FileManager.default.fileExists(atPath: recording.path) else { return }
        try? FileManager.default.removeItem(at: recording)
    }

    private static func nextHistoryNumber(_ stage: String, in folder: JobFolder) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.history.appendingPathComponent(stage).path)) ?? []
        return (names.compactMap(Int.init).max() ?? 0) + 1
    }
}

/// Removes what a killed process left behind in a job folder: staged outputs never committed,
/// temporary files of atomic writes.
enum JobSweeper {
    static func sweep(_ folder: JobFolder, stages: [String]) {
        let manager = FileManager.default
        try? manager.removeItem(at: folder.staging)
        for directory in [folder.url, folder.inputs] + stages.map(folder.stage) {
            guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where name.hasPrefix(AtomicFile.temporaryMarker) {
                try? manager.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
