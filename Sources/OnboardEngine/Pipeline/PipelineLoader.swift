import Foundation

/// Reads and checks pipeline.json. The engine checks what it owns (version, paths, stages);
/// the application's profile checks its own sections.
public struct PipelineLoader: Sendable {
    public static let stageNamePattern = "^[a-z][a-z0-9_-]{0,39}$"
    /// Folder names inside a job that a stage may not take.
    static let reservedStageNames: Set<String> = ["inputs", "history"]
    static let engineKeys: Set<String> = ["$schema", "version", "paths", "stages"]
    static let stageKeys: Set<String> = ["name", "needs", "inputs", "command", "description"]

    public let profile: any PipelineProfile

    public init(profile: any PipelineProfile) { self.profile = profile }

    public func load(fileAt url: URL) throws -> PipelineDefinition {
        guard FileManager.default.fileExists(atPath: url.path) else { throw PipelineError.missing(url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PipelineError.unreadable(url.path, "cannot be read: \(error.localizedDescription)")
        }
        return try load(data: data, name: url.path)
    }

    public func load(data: Data, name: String = "pipeline.json") throws -> PipelineDefinition {
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(data) } catch {
            throw PipelineError.invalid(name, [ConfigProblem(path: "$", message: "not valid JSON (\(Self.reason(error)))")])
        }
        var checker = ConfigChecker()
        guard let userMembers = checker.expectObject(
            parsed, at: "$", allowed: Self.engineKeys.union(profile.sections), required: ["version"])
        else { throw PipelineError.invalid(name, checker.problems) }

        let document = merge(user: userMembers)
        if let schema = userMembers["$schema"] { checker.expectString(schema, at: "$.$schema") }
        if let version = userMembers["version"], let number = version.intValue, number != 1 {
            checker.report("$.version", "must be 1 (the only format this program reads), not \(number)")
        } else if let version = userMembers["version"], version.intValue == nil {
            checker.report("$.version", "must be the number 1, not \(version.typeName)")
        }
        let paths = checkPaths(document["paths"], &checker)
        let stages = checkStages(document["stages"], &checker)
        profile.check(document, into: &checker)
        let order = checker.problems.isEmpty ? Self.orderStages(stages, &checker) : []
        guard checker.problems.isEmpty, let paths else { throw PipelineError.invalid(name, checker.problems) }
        return PipelineDefinition(
            document: document, stages: stages, order: order, paths: paths, fileSHA256: Digest.sha256(data))
    }

    /// Keys the user left out take the profile's defaults; sections the profile names as merged
    /// are filled key by key, the others are replaced whole when given.
    private func merge(user: [String: JSONValue]) -> JSONValue {
        var result = profile.defaults.objectValue ?? [:]
        for (key, value) in user {
            if profile.mergedSections.contains(key), let given = value.objectValue,
                let base = result[key]?.objectValue
            {
                result[key] = .object(base.merging(given) { _, new in new })
            } else {
                result[key] = value
            }
        }
        return .object(result)
    }

    private func checkPaths(_ value: JSONValue?, _ checker: inout ConfigChecker) -> TreePaths? {
        let keys: Set<String> = ["inbox", "outbox", "state"]
        guard let members = checker.expectObject(value, at: "$.paths", allowed: keys, required: keys) else { return nil }
        var resolved: [String: String] = [:]
        for key in keys.sorted() {
            let path = "$.paths.\(key)"
            guard let text = checker.expectString(members[key], at: path) else { continue }
            let parts = text.split(separator: "/", omittingEmptySubsequences: true)
            if text.hasPrefix("/") || parts.contains("..") || parts.isEmpty || parts.contains(".") {
                checker.report(path, "must be a folder inside the tree (relative, without \"..\"), not \"\(text)\"")
                continue
            }
            resolved[key] = parts.joined(separator: "/")
        }
        guard let inbox = resolved["inbox"], let outbox = resolved["outbox"], let state = resolved["state"] else {
            return nil
        }
        if Set([inbox, outbox, state]).count < 3 {
            checker.report("$.paths", "inbox, outbox and state must be three different folders")
        }
        return TreePaths(inbox: inbox, outbox: outbox, state: state)
    }

    private func checkStages(_ value: JSONValue?, _ checker: inout ConfigChecker) -> [StageDefinition] {
        guard let value else { checker.report("$.stages", "is missing"); return [] }
        guard let entries = value.arrayValue else {
            checker.report("$.stages", "must be an array of stages, not \(value.typeName)")
            return []
        }
        if entries.isEmpty { checker.report("$.stages", "must list at least one stage") }
        var stages: [StageDefinition] = []
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "$.stages[\(index)]"
            guard let members = checker.expectObject(entry, at: path, allowed: Self.stageKeys, required: ["name"]),
                let name = checker.expectString(members["name"], at: "\(path).name")
            else { continue }
            if name.range(of: Self.stageNamePattern, options: .regularExpression) == nil {
                checker.report("\(path).name", "\"\(name)\" is not a stage name (lowercase letters, digits, - and _, starting with a letter)")
            } else if Self.reservedStageNames.contains(name) {
                checker.report("\(path).name", "\"\(name)\" is a folder the engine uses; choose another name")
            }
            if let first = seen[name] {
                checker.report("\(path).name", "duplicate stage \"\(name)\" (also $.stages[\(first)])")
            }
            seen[name] = seen[name] ?? index
            let needs = members["needs"].map { checker.expectStringArray($0, at: "\(path).needs") ?? [] } ?? []
            let inputs = members["inputs"].map { checker.expectStringArray($0, at: "\(path).inputs") ?? [] } ?? []
            for (inputIndex, input) in inputs.enumerated()
            where input.range(of: "^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$", options: .regularExpression) == nil {
                checker.report("\(path).inputs[\(inputIndex)]", "\"\(input)\" is not a plain file name")
            }
            if let description = members["description"] { checker.expectString(description, at: "\(path).description", nonEmpty: false) }
            var command: [String]?
            if let commandValue = members["command"] {
                if commandValue.stringValue != nil {
                    checker.report("\(path).command", "must be an argument array such as [\"python3\", \"step.py\"]: it is run without a shell, so a string is refused")
                } else if let arguments = checker.expectStringArray(commandValue, at: "\(path).command") {
                    if arguments.isEmpty || arguments[0].isEmpty {
                        checker.report("\(path).command", "must name a program as its first element")
                    } else {
                        command = arguments
                    }
                }
            } else if !profile.builtinStages.contains(name) {
                checker.report("\(path)", "no built-in stage is named \"\(name)\" (built-in: \(profile.builtinStages.sorted().joined(separator: ", "))); give it a \"command\"")
            }
            stages.append(StageDefinition(name: name, needs: needs, inputs: inputs, command: command, entry: entry))
        }
        let names = Set(stages.map(\.name))
        for (index, stage) in stages.enumerated() {
            var seenNeeds: Set<String> = []
            for (needIndex, need) in stage.needs.enumerated() {
                let path = "$.stages[\(index)].needs[\(needIndex)]"
                if need == stage.name {
                    checker.report(path, "stage \"\(stage.name)\" cannot need itself")
                } else if !names.contains(need) {
                    checker.report(path, "unknown stage \"\(need)\"")
                } else if !seenNeeds.insert(need).inserted {
                    checker.report(path, "\"\(need)\" is listed twice")
                }
            }
        }
        return stages
    }

    /// Topological order, keeping declaration order among independent stages; a cycle is named by its stages.
    static func orderStages(_ stages: [StageDefinition], _ checker: inout ConfigChecker) -> [String] {
        let byName = Dictionary(stages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var order: [String] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var trail: [String] = []
        var cycle: [String]?

        func visit(_ name: String) {
            guard cycle == nil else { return }
            if state[name] == 2 { return }
            if state[name] == 1 {
                let start = trail.firstIndex(of: name) ?? 0
                cycle = Array(trail[start...]) + [name]
                return
            }
            state[name] = 1
            trail.append(name)
            for need in byName[name]?.needs ?? [] { visit(need) }
            trail.removeLast()
            state[name] = 2
            if cycle == nil { order.append(name) }
        }
        for stage in stages { visit(stage.name) }
        if let cycle {
            // Found along "needs" edges; printed in the direction data flows, as `graph` draws it.
            checker.report("$.stages", "cycle: \(cycle.reversed().joined(separator: " → "))")
            return []
        }
        return order
    }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
