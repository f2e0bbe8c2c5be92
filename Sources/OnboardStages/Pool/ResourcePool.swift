import Foundation
import OnboardEngine

/// What `onboard pool import|status|release` do, for the command line and the HTTP facade alike.
public enum ResourcePool {
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Imports a pool file whole, or nothing of it: the first bad row is named by its line.
    public static func importFile(_ file: URL, kind: PoolKind, in tree: Tree, clock: EngineClock) throws -> PoolImportReport {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw Refusal(description: "\(file.path): cannot be read") }
        let rows: PoolFile.Rows
        do { rows = try PoolFile.read(data, kind: kind) } catch { throw Refusal(description: "\(file.path): \(error.description); nothing imported") }
        return try PoolStore(stateDirectory: tree.state).importRows(rows, at: RFC3339.format(clock.now()))
    }

    /// `{"domains": {...}, "phones": {...}, "alerts": [...]}`.
    public static func status(in tree: Tree) throws -> JSONValue {
        let store = try PoolStore(stateDirectory: tree.state)
        return PoolReading(levels: try store.levels(), threshold: PoolReading.threshold(tree.pipeline.document)).statusJSON
    }

    /// Hands every resource a client holds back to the pool (as `warming`); returns what it held.
    public static func release(client: String, in tree: Tree, clock: EngineClock) throws -> (domains: [String], phones: [String]) {
        try PoolStore(stateDirectory: tree.state).release(client: client, at: RFC3339.format(clock.now()))
    }
}
