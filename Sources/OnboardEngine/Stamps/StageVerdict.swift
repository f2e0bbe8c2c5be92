import Foundation

/// The state of one stage of one job, as `status --json` prints it.
public enum StageState: String, Codable, Sendable, CaseIterable {
    case pending, waiting, ready, running, done, stale, modified, failed

    /// States after which a downstream stage may use this stage's outputs.
    var providesOutputs: Bool { self == .done || self == .modified }
}

/// What the engine concluded about a stage, and why.
struct StageVerdict {
    var state: StageState
    var reason: String
    var waitingFor: String?
    var stamp: Stamp?
    var error: StageErrorRecord?
    /// The stage's inputs now (path → SHA-256), when all of them are available.
    var currentInputs: [String: String] = [:]
    var settingsSHA256: String = ""
    /// True when every need is done and every input file is there.
    var inputsAvailable: Bool = false
}

/// Decides each stage's state from its stamp and the files on disk (rules 1 and 2 of the contract).
struct StageEvaluator {
    let pipeline: PipelineDefinition
    let profile: any PipelineProfile
    /// Per stage name, worked out once per pass (StageFacts.all).
    let facts: [String: StageFacts]
    let files: JobFiles

    func facts(_ definition: StageDefinition) -> StageFacts {
        facts[definition.name] ?? StageFacts(definition, profile: profile, document: pipeline.document)
    }

    func evaluate(_ definition: StageDefinition, upstream: [String: StageVerdict]) throws -> StageVerdict {
        let name = definition.name
        let stamp = files.readControl("\(name)/stamp.json").flatMap(Stamp.read)
        let error = files.readControl("\(name)/error.json").flatMap { try? JSONDecoder().decode(StageErrorRecord.self, from: $0) }
        var verdict = StageVerdict(state: .pending, reason: "", stamp: stamp, error: error)
        let facts = facts(definition)
        verdict.settingsSHA256 = facts.settingsSHA256

        var inputPaths: [String] = definition.needs.isEmpty ? ["request.json"] : []
        for need in definition.needs {
            guard let needVerdict = upstream[need], needVerdict.state.providesOutputs, let needStamp = needVerdict.stamp else {
                verdict.state = .pending
                verdict.reason = "waiting for \(need) (\(upstream[need]?.state.rawValue ?? "pending"))"
                return verdict
            }
            inputPaths.append(contentsOf: needStamp.outputs.keys)
        }
        var current: [String: String] = [:]
        for path in inputPaths {
            guard let sha = try files.sha256(path) else {
                verdict.state = .pending
                verdict.reason = "input \(path) is missing"
                return verdict
            }
            current[path] = sha
        }
        if definition.command == nil, let implementation = profile.implementation(of: name) {
            for folder in implementation.optionalInputFolders {
                for path in try files.filesUnder(folder) {
                    if let sha = try files.sha256(path) { current[path] = sha }
                }
            }
        }
        var missing: [String] = []
        for input in definition.inputs {
            if let sha = try files.sha256("inputs/\(input)") { current["inputs/\(input)"] = sha } else { missing.append(input) }
        }
        verdict.currentInputs = current
        verdict.inputsAvailable = missing.isEmpty
        let logic = (version: facts.logicVersion, data: facts.dataSHA256)

        if let stamp {
            var edited: [String] = []
            var deleted: [String] = []
            for (path, sha) in stamp.outputs.sorted(by: { $0.key < $1.key }) {
                switch try files.sha256(path) {
                case nil: deleted.append(path)
                case let now? where now != sha: edited.append(path)
                default: break
                }
            }
            if !edited.isEmpty {
                verdict.state = .modified
                verdict.reason = "edited by hand: \(edited.joined(separator: ", "))"
                return verdict
            }
            var reasons: [String] = []
            if !deleted.isEmpty { reasons.append("output missing: \(deleted.joined(separator: ", "))") }
            let changed = Set(stamp.inputs.keys).union(current.keys).filter { stamp.inputs[$0] != current[$0] }.sorted()
            if !changed.isEmpty { reasons.append("inputs changed: \(changed.joined(separator: ", "))") }
            if stamp.settingsSHA256 != verdict.settingsSHA256 { reasons.append("settings changed") }
            if stamp.logicVersion != logic.version { reasons.append("logic version \(stamp.logicVersion) → \(logic.version)") }
            if stamp.dataSHA256 != logic.data { reasons.append("data files changed") }
            if reasons.isEmpty && !failedOnSameInputs(error, verdict, logic.version) {
                verdict.state = .done
                verdict.reason = "up to date"
                return verdict
            }
            verdict.reason = reasons.joined(separator: "; ")
            verdict.state = .stale
        } else {
            verdict.state = .ready
            verdict.reason = "never run"
        }
        if failedOnSameInputs(error, verdict, logic.version), let error {
            verdict.state = error.waiting == true ? .waiting : .failed
            verdict.reason = error.error
            if error.waiting == true { verdict.waitingFor = error.error }
        } else if !missing.isEmpty {
            verdict.state = .waiting
            verdict.waitingFor = missing.map { "inputs/\($0)" }.joined(separator: ", ")
            verdict.reason = "waiting for " + missing.map { profile.waitingHint(stage: name, input: $0, job: files.folder.id) }
                .joined(separator: "; ")
        }
        return verdict
    }

    /// A failure is final for the inputs it failed on; any change of inputs, settings or logic retries it.
    private func failedOnSameInputs(_ error: StageErrorRecord?, _ verdict: StageVerdict, _ logicVersion: Int) -> Bool {
        guard let error else { return false }
        return error.inputs == verdict.currentInputs && error.settingsSHA256 == verdict.settingsSHA256
            && error.logicVersion == logicVersion
    }
}
