import Foundation
import OnboardEngine

/// A tree in a temporary folder, and the built `onboard` binary run against it as a child process.
final class TestTree {
    let root: URL

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let debug = packageRoot.appendingPathComponent(".build/debug/onboard")
        return debug
    }

    /// A tree whose pipeline.json is the default one with `changes` applied on top, key by key
    /// at the top level (e.g. a `stages` array of command stages for the engine tests).
    init(pipeline changes: [String: JSONValue] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let defaults = try JSONValue.parse(Data(contentsOf: Self.packageRoot.appendingPathComponent("pipeline.json")))
        var document = defaults.objectValue!
        for (key, value) in changes { document[key] = value }
        try writePipeline(.object(document))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func writePipeline(_ document: JSONValue) throws {
        try CanonicalJSON.data(document).write(to: root.appendingPathComponent("pipeline.json"))
    }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    func write(_ relative: String, _ text: String) throws {
        let target = url(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
    }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: url(relative))).map { String(decoding: $0, as: UTF8.self) }
    }

    func json(_ relative: String) throws -> JSONValue {
        try JSONValue.parse(Data(contentsOf: url(relative)))
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url(relative).path) }

    /// Drops a request into the inbox.
    func request(_ name: String, _ fields: [String: JSONValue]) throws {
        try write("inbox/\(name)", String(decoding: CanonicalJSON.data(.object(fields)), as: UTF8.self))
    }

    static func sampleRequest(client: String = "harbor-dental", tier: String = "velocity") -> [String: JSONValue] {
        [
            "company_name": "Harbor Dental Growth", "website_url": "https://harbordental.example",
            "tier": .string(tier), "client_id": .string(client),
        ]
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `onboard ARGS --root <tree>` and waits for it.
    @discardableResult
    func onboard(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = try start(arguments, environment: environment)
        return process.finish()
    }

    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningOnboard {
        try RunningOnboard(arguments: arguments + ["--root", root.path], environment: environment)
    }

    /// Every file under the tree with its bytes' hash and mtime: equal snapshots mean nothing was touched.
    func snapshot(excluding prefixes: [String] = ["state/"]) throws -> [String: String] {
        var result: [String: String] = [:]
        let base = root.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [:] }
        while let relative = walker.nextObject() as? String {
            if prefixes.contains(where: relative.hasPrefix) { continue }
            let path = base + relative
            guard let signature = FileSignature.of(path), signature.isRegularFile else { continue }
            result[relative] = "\(try Digest.sha256(fileAt: path))@\(signature.modified)"
        }
        return result
    }

    /// Paths of files a crashed writer could leave behind.
    func leftovers() -> [String] {
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(AtomicFile.temporaryMarker) || name == ".staging" || name == ".commit.json"
                || name.hasPrefix(".incoming-") || name == ".running"
            {
                found.append(relative)
            }
        }
        return found
    }

    func statusJSON() throws -> JSONValue {
        let output = try onboard(["status", "--json"])
        return try JSONValue.parse(Data(output.stdout.utf8))
    }

    /// The state of each stage of one job, from `status --json`.
    func stages(_ job: String) throws -> [String: String] {
        let jobs = try statusJSON()["jobs"]?.arrayValue ?? []
        let entry = jobs.first { $0["id"]?.stringValue == job }
        return (entry?["stages"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    func jobIDs() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url("outbox").path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// A running `onboard` child process with its output collected in files (no pipe can fill up).
final class RunningOnboard {
    let process = Process()
    private let stdoutURL: URL
    private let stderrURL: URL

    init(arguments: [String], environment: [String: String]) throws {
        let scratch = FileManager.default.temporaryDirectory
        stdoutURL = scratch.appendingPathComponent("onboard-out-\(UUID().uuidString)")
        stderrURL = scratch.appendingPathComponent("onboard-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = TestTree.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ONBOARD_ROOT"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    func finish() -> TestTree.Output {
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }
        return TestTree.Output(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }
}

/// Polls until `condition` holds or `seconds` pass (for waiting on a child process's progress).
func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

