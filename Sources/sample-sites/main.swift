import Foundation
import LoopbackServer

// Serves every sub-folder of a folder as its own site on 127.0.0.1, one port each, counting up
// from a first port; prints "name URL" per site, then serves until stopped.
let arguments = CommandLine.arguments
guard arguments.count == 3, let firstPort = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: sample-sites FOLDER FIRST-PORT\n".utf8))
    exit(2)
}
let folder = URL(fileURLWithPath: arguments[1], isDirectory: true)
let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    .filter { !$0.hasPrefix(".") }.sorted()
var servers: [LoopbackServer] = []
for (offset, name) in names.enumerated() {
    let site = StaticSite(root: folder.appendingPathComponent(name, isDirectory: true))
    do {
        let server = try LoopbackServer(port: firstPort + offset) { site.respond($0) }
        servers.append(server)
        FileHandle.standardOutput.write(Data("\(name) \(server.baseURL)/\n".utf8))
    } catch {
        FileHandle.standardError.write(Data("sample-sites: \(name): \(error)\n".utf8))
        exit(1)
    }
}
while true { sleep(3600) }
