import Foundation
import LoopbackServer
import OnboardWeb

// Micro-benchmarks behind `scripts/bench parse`: how many pages a second the parser reads, and
// how fast the HTTP client fetches from a server on 127.0.0.1.

func htmlFiles(under folders: [String]) -> [URL] {
    var files: [URL] = []
    for folder in folders {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
        while let name = walker.nextObject() as? String {
            if name.hasSuffix(".html") { files.append(URL(fileURLWithPath: folder).appendingPathComponent(name)) }
        }
    }
    return files.sorted { $0.path < $1.path }
}

func parse(_ folders: [String], pages target: Int) {
    let files = htmlFiles(under: folders)
    guard !files.isEmpty else {
        print("parse: no .html files under \(folders)")
        exit(1)
    }
    let corpus = (0..<max(target, files.count)).map { files[$0 % files.count] }
    let bodies = corpus.map { (try? Data(contentsOf: $0)) ?? Data() }
    let bytes = bodies.reduce(0) { $0 + $1.count }
    let start = Date()
    var words = 0
    for (index, body) in bodies.enumerated() {
        let encoding = CharsetSniffer.sniff(body, contentType: nil)
        let url = "http://127.0.0.1/\(corpus[index].lastPathComponent)"
        let page = PageExtractor.extract(HTMLDocument.parse(utf8: CharsetSniffer.decode(body, as: encoding), url: url), url: url)
        words += page.mainText.split(separator: " ").count
    }
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "parse: %d pages (%d distinct files, %.1f MB) in %.2f s: %.0f pages/s, %.1f MB/s (%d words of main text)",
                 bodies.count, files.count, Double(bytes) / 1e6, seconds, Double(bodies.count) / seconds,
                 Double(bytes) / 1e6 / seconds, words))
}

func fetch(_ folder: String, requests: Int, concurrency: Int) async throws {
    let site = StaticSite(root: URL(fileURLWithPath: folder))
    let server = try LoopbackServer { site.respond($0) }
    let paths = htmlFiles(under: [folder]).map { "/" + $0.path.dropFirst(folder.count).drop { $0 == "/" } }
    let client = HTTPClient(urlGuard: URLGuard(allowHosts: ["127.0.0.1:\(server.port)"]), attempts: 1)
    let start = Date()
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        var next = 0
        var bytes = 0
        func add() {
            let path = paths[next % paths.count]
            next += 1
            group.addTask {
                let request = HTTPRequest(url: URL(string: server.baseURL + path)!, userAgent: "onboard-bench")
                return try await client.send(request).body.count
            }
        }
        for _ in 0..<min(concurrency, requests) { add() }
        while let count = try await group.next() {
            bytes += count
            if next < requests { add() }
        }
        return bytes
    }
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "fetch: %d requests (%d in flight) from 127.0.0.1 in %.2f s: %.0f requests/s, %.1f MB/s",
                 requests, concurrency, seconds, Double(requests) / seconds, Double(total) / 1e6 / seconds))
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
    parse(Array(arguments.dropFirst()), pages: 400)
case "fetch":
    guard arguments.count == 2 else { print("usage: onboard-bench fetch FOLDER"); exit(2) }
    try await fetch(arguments[1], requests: 1000, concurrency: 4)
default:
    print("usage: onboard-bench parse FOLDER... | fetch FOLDER")
    exit(2)
}
