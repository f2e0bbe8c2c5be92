import Foundation

/// Serves a folder as a web site: `/` is index.html, `/about` finds about.html or about/index.html,
/// robots.txt is served when the folder has one. Nothing outside the folder is ever read.
public struct StaticSite: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public func respond(_ request: ServerRequest) -> ServerResponse {
        let path = request.path.removingPercentEncoding ?? request.path
        guard !path.split(separator: "/").contains(".."), !path.contains("\0") else { return .text(400, "bad path") }
        var candidates: [String] = []
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        if trimmed.isEmpty {
            candidates = ["index.html"]
        } else {
            let relative = String(trimmed.dropFirst())
            candidates = [relative, relative + ".html", relative + "/index.html"]
        }
        for candidate in candidates {
            let file = root.appendingPathComponent(candidate)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = try? Data(contentsOf: file)
            else { continue }
            return .full(status: 200, headers: ["Content-Type": Self.contentType(candidate)], body: data)
        }
        return .text(404, "<html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>")
    }

    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        // No charset: like most static servers, leave the page's own declaration to decide.
        case "html", "htm": return "text/html"
        case "txt": return "text/plain; charset=utf-8"
        case "css": return "text/css"
        case "js": return "application/javascript"
        case "json": return "application/json"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }
}
