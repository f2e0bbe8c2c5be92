import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

/// Headless Chromium (Debian's `chromium`, installed by scripts/setup) opens the report of a
/// completed job from disk, takes a screenshot, and shows what the page logged to its console.
enum HeadlessChromium {
    static let path: String? = {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Shot {
        let png: Data
        /// Lines Chromium logged for the page's console (errors, CSP violations, uncaught exceptions).
        let console: [String]
    }

    static func screenshot(_ page: URL, width: Int = 1200, height: Int = 2400) throws -> Shot {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-chromium-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let png = scratch.appendingPathComponent("shot.png")
        let log = scratch.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--enable-logging=stderr", "--v=0",
            "--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(png.path)", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let finished = eventually(90) { !process.isRunning }
        if !finished {
            process.terminate()
            process.waitUntilExit()
        }
        let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard finished, let data = try? Data(contentsOf: png) else {
            throw Failure(description: "chromium made no screenshot (exit \(process.terminationStatus)): \(stderr.suffix(2000))")
        }
        let console = stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        return Shot(png: data, console: console)
    }

    /// Width and height from the PNG's IHDR chunk.
    static func dimensions(_ png: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](png.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else {
            return nil
        }
        func number(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    struct Failure: Error, CustomStringConvertible { let description: String }
}

@Suite(
    "report.html in a real browser",
    .enabled(if: HeadlessChromium.path != nil, "chromium is not installed (scripts/setup installs Debian's chromium package); the browser check is skipped"),
    .serialized)
struct ReportBrowserTests {
    static func write(_ html: String, named name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-page-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent(name)
        try Data(html.utf8).write(to: page)
        return page
    }

    @Test func theReportOfACompletedJobRendersWithContentAndNoConsoleErrors() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("onboard-browser-\(UUID().uuidString.prefix(8))")
        let job = base.appendingPathComponent(ReportFixture.job)
        try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try ReportFixture.writeCompleted(into: job)
        let report = try ReportPage.write(job: job)

        let shot = try HeadlessChromium.screenshot(report)
        #expect(shot.console.isEmpty, "the page logged: \(shot.console)")
        let size = try #require(HeadlessChromium.dimensions(shot.png))
        #expect(size.width == 1200 && size.height == 2400)
        // A page of one colour compresses to almost nothing; the report's text, bars and charts do not.
        let blank = try HeadlessChromium.screenshot(try Self.write("<!DOCTYPE html><html><body></body></html>", named: "blank.html"))
        #expect(shot.png.count > blank.png.count * 5, "report \(shot.png.count) bytes, blank page \(blank.png.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["ONBOARD_KEEP_SCREENSHOT"] {
            try shot.png.write(to: URL(fileURLWithPath: keep))
            try Data(contentsOf: report).write(to: URL(fileURLWithPath: keep).deletingPathExtension().appendingPathExtension("html"))
        }
    }

    @Test func aPageThatLogsAnErrorIsCaught() throws {
        let page = try Self.write(
            "<!DOCTYPE html><html><body><p>x</p><script>console.error('broken page'); undefinedFunction();</script></body></html>", named: "broken.html")
        let shot = try HeadlessChromium.screenshot(page, width: 400, height: 300)
        #expect(shot.console.contains { $0.contains("broken page") }, "the check sees console errors: \(shot.console)")
    }
}
