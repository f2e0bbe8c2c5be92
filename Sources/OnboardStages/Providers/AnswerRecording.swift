import Foundation
import OnboardEngine

/// The answers a stage fetched from an API, one file each in the job's recording folder
/// (`StageContext.recordingDirectory`), each written atomically and durably the moment it arrives.
/// An attempt that fails later leaves them there, and the next attempt replays them instead of
/// paying for them again; the engine removes the folder once the stage's outputs are committed.
///
/// The folder holds one series of attempts. `rerun --refetch` begins a new one that replays
/// nothing from the last committed outputs; the attempts after it (the engine's retries, a later
/// `rerun`) resume that series rather than asking a third time.
struct AnswerRecording: Sendable {
    let folder: URL
    /// The series asks again for everything: the last committed answers are not to be replayed.
    let refetching: Bool

    static let seriesFile = "series.json"

    init(folder: URL, refetch: Bool) throws {
        self.folder = folder
        let marker = folder.appendingPathComponent(Self.seriesFile)
        let series = (try? Data(contentsOf: marker)).flatMap { try? JSONValue.parse($0) }
        if let wasRefetching = series?["refetch"]?.boolValue, wasRefetching || !refetch {
            refetching = wasRefetching
            Self.sweep(folder)
            return
        }
        refetching = refetch
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.path) {
            do { try manager.removeItem(at: folder) } catch {
                throw StageFailure("cannot clear the recorded answers in \(folder.path): \(error.localizedDescription)")
            }
        }
        let marking: JSONValue = ["refetch": .bool(refetch)]
        do { try AtomicFile.write(CanonicalJSON.data(marking), to: marker) } catch {
            throw StageFailure("cannot start recording answers in \(folder.path): \(error)")
        }
    }

    /// The answer recorded for `request` (anything identifying the call: endpoint and body), if any.
    func answer(for request: JSONValue) -> JSONValue? {
        guard let data = try? Data(contentsOf: file(for: request)), let entry = try? JSONValue.parse(data),
            let stored = entry["request"], CanonicalJSON.compact(stored) == CanonicalJSON.compact(request)
        else { return nil }
        return entry["answer"]
    }

    func record(_ answer: JSONValue, for request: JSONValue) throws {
        let target = file(for: request)
        let entry: JSONValue = ["request": request, "answer": answer]
        do { try AtomicFile.write(CanonicalJSON.data(entry), to: target) } catch {
            throw StageFailure("cannot record an answer in \(target.path): \(error)")
        }
    }

    private func file(for request: JSONValue) -> URL {
        folder.appendingPathComponent(String(Digest.sha256(CanonicalJSON.compact(request)).prefix(32)) + ".json")
    }

    /// A writer killed mid-write leaves a temporary file; the answer it held is simply asked again.
    private static func sweep(_ folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(AtomicFile.temporaryMarker) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
