import Foundation

/// What a pass over one job should do.
public struct JobPassOptions: Sendable {
    /// Stages to run even when up to date (`rerun`).
    public var forced: [String] = []
    /// Run only the forced stages (a rerun leaves the rest for the next `run`).
    public var onlyForced = false
    public var refetch = false
    public var dryRun = false

    public init(forced: [String] = [], onlyForced: Bool = false, refetch: Bool = false, dryRun: Bool = false) {
        self.forced = forced
        self.onlyForced = onlyForced
        self.refetch = refetch
        self.dryRun = dryRun
    }
}

/// What happened to one job in one pass.
public struct JobOutcome: Sendable {
    public enum Kind: Sendable { case processed, skippedUnchanged, busy }
    public let jobID: String
    public let kind: Kind
    public let summary: JobSummary?
    public let stagesRun: [String]
    public let stagesFailed: [String]
    /// The index entry to remember for the job (nil: keep the old one).
    let index: JobIndexEntry?
}

/// One job's state as `status` prints it.
public struct JobSummary: Codable, Sendable, Equatable {
    public var id: String
    public var clientID: String?
    public var status: JobStatus
    public var stages: [String: StageState]
    public var waitingFor: [String: String]
    public var error: String?
    /// Why each stage is in its state, for `status JOB` and `run --dry-run`.
    public var reasons: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, status, stages, error, reasons
        case clientID = "client_id"
        case waitingFor = "waiting_for"
    }
}

/// Advances one job as far as its inputs allow: evaluates each stage in order, runs what is
/// ready or stale, commits outputs atomically, records failures, and updates job.json.
struct JobProcessor {
    let tree: Tree
    let profile: any PipelineProfile
    let clock: EngineClock
    let fingerprint: String
    let facts: [String: StageFacts]
    let reporter: Reporter
    let retry: RetryPolicy
    let stopRequested: @Sendable () -> Bool

    func process(_ id: String, previous: JobIndexEntry?, options: JobPassOptions) async -> JobOutcome {
        let folder = tree.job(id)
        var lock: FileLock?
        if !options.dryRun {
            do { lock = try FileLock.tryLock(folder.lock.path) } catch {
                reporter.problem(job: id, stage: nil, "cannot lock the job: \(error)")
                return JobOutcome(jobID: id, kind: .busy, summary: nil, stagesRun: [], stagesFailed: [], index: nil)
            }
            guard lock != nil else {
                return JobOutcome(jobID: id, kind: .busy, summary: nil, stagesRun: [], stagesFailed: [], index: nil)
            }
            do { try StageCommit.recover(in: folder) } catch {
                reporter.problem(job: id, stage: nil, "cannot finish an interrupted commit: \(error)")
            }
            JobSweeper.sweep(folder, stages: tree.pipeline.order)
        }
        defer { lock?.unlock() }

        // A file's hash depends on its bytes only, so the hashes of an entry taken under another
        // fingerprint (pipeline.json edited, a stage's logic changed) still serve: after such a
        // change every job is evaluated again, but an unchanged file is not read again.
        let files = JobFiles(folder: folder, previous: previous?.files ?? [:])
        let evaluator = StageEvaluator(pipeline: tree.pipeline, profile: profile, facts: facts, files: files)
        var verdicts: [String: StageVerdict] = [:]
        var ran: [String] = []
        var failed: [String] = []
        var wouldRun: Set<String> = []
        let forced = Set(options.forced)

        for name in tree.pipeline.order {
            guard let definition = tree.pipeline.stage(name) else { continue }
            var verdict: StageVerdict
            do { verdict = try evaluator.evaluate(definition, upstream: verdicts) } catch {
                verdict = StageVerdict(state: .failed, reason: "cannot read its files: \(error)")
            }
            if options.dryRun, let blocker = definition.needs.first(where: wouldRun.contains) {
                verdict.state = .pending
                verdict.reason = "runs after \(blocker)"
            }
            let wanted = forced.contains(name) || (!options.onlyForced && (verdict.state == .ready || verdict.state == .stale))
            let runnable = verdict.inputsAvailable && verdict.state != .pending && verdict.state != .waiting
            if wanted, runnable, !stopRequested() {
                if options.dryRun {
                    reporter.line("\(id) \(name): would run (\(forced.contains(name) ? "rerun requested" : verdict.reason))")
                    wouldRun.insert(name)
                } else {
                    verdict = await run(
                        definition, verdict: verdict, folder: folder, files: files, verdicts: verdicts, options: options,
                        lock: lock, firstOfPass: ran.isEmpty)
                    ran.append(name)
                    if verdict.state == .failed { failed.append(name) }
                }
            } else if wanted, forced.contains(name) {
                reporter.problem(job: id, stage: name, "cannot run: \(verdict.reason)")
                failed.append(name)
            }
            verdicts[name] = verdict
        }

        let summary = summarize(id, verdicts: verdicts)
        if !options.dryRun {
            // Staged attempts are only ever used within one pass under the job lock.
            try? FileManager.default.removeItem(at: folder.staging)
            updateRecord(folder, summary: summary, verdicts: verdicts)
        }
        files.watch(".commit.json")
        let settled = !tree.pipeline.order.contains { [.ready, .stale, .running].contains(summary.stages[$0]) }
        let summaryText = (try? String(decoding: CanonicalJSON.compact(JSONValue.from(summary)), as: UTF8.self)) ?? nil
        let index = options.dryRun
            ? nil
            : JobIndexEntry(
                fingerprint: fingerprint, settled: settled && !stopRequested(), files: files.seen, summary: summaryText,
                failed: summary.status == .failed)
        return JobOutcome(jobID: id, kind: .processed, summary: summary, stagesRun: ran, stagesFailed: failed, index: index)
    }

    // MARK: running one stage

    private func run(
        _ definition: StageDefinition, verdict: StageVerdict, folder: JobFolder, files: JobFiles,
        verdicts: [String: StageVerdict], options: JobPassOptions, lock: FileLock?, firstOfPass: Bool
    ) async -> StageVerdict {
        let name = definition.name
        let startedAt = clock.now()
        let start = clock.monotonicSeconds()
        let stageFacts = StageEvaluator(pipeline: tree.pipeline, profile: profile, facts: facts, files: files).facts(definition)
        let logic = (version: stageFacts.logicVersion, data: stageFacts.dataSHA256)
        var result = verdict
        lock?.describe(RunningMarker.text(stage: name, startedAt: startedAt))
        defer { lock?.describe("") }
        if firstOfPass { markRunning(folder, stage: name, at: startedAt) }

        let outcome: Result<(StageReport, [String: String], URL), StageFailure>
        var attempts = 0
        var deadline: Double?
        if let budget = phaseBudget(for: name, verdicts: verdicts) {
            deadline = start + budget.remaining
            if budget.remaining <= 0 {
                outcome = .failure(StageFailure("\(budget.phase.name) timed out: its \(Int(budget.phase.seconds)) s of running time were used up before \(name)"))
                return record(outcome, definition, result, folder, files, logic, startedAt, start, attempts: 0)
            }
        }
        while true {
            attempts += 1
            let staged = StageCommit.newStaging(folder, name, attempt: attempts)
            let attempt = await attemptOnce(definition, verdict: verdict, folder: folder, staged: staged, deadline: deadline, options: options)
            if case .failure(let failure) = attempt, failure.transient, attempts < retry.attempts, !stopRequested() {
                let delay = retry.delay(afterAttempt: attempts, retryAfter: failure.retryAfter)
                if deadline == nil || clock.monotonicSeconds() + delay < deadline! {
                    reporter.problem(job: folder.id, stage: name, "\(failure.message); retrying in \(CanonicalJSON.format(delay)) s")
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                    continue
                }
            }
            outcome = attempt.map { ($0.0, $0.1, staged) }
            break
        }
        result = record(outcome, definition, result, folder, files, logic, startedAt, start, attempts: attempts)
        return result
    }

    private func attemptOnce(
        _ definition: StageDefinition, verdict: StageVerdict, folder: JobFolder, staged: URL, deadline: Double?,
        options: JobPassOptions
    ) async -> Result<(StageReport, [String: String]), StageFailure> {
        let manager = FileManager.default
        do {
            try? manager.removeItem(at: staged)
            try manager.createDirectory(at: staged, withIntermediateDirectories: true)
        } catch {
            return .failure(StageFailure("cannot create \(staged.path): \(error)"))
        }
        let context = StageContext(
            jobID: folder.id, stage: definition.name, job: folder, inputs: verdict.currentInputs.keys.sorted(),
            outputDirectory: staged, pipeline: tree.pipeline, stateDirectory: tree.state, clock: clock,
            deadline: deadline, refetch: options.refetch)
        do {
            let report: StageReport
            if let command = definition.command {
                let log = staged.appendingPathExtension("log")
                report = try await CommandStage(arguments: command).run(context, log: log)
            } else if let implementation = profile.implementation(of: definition.name) {
                report = try await Self.withDeadline(deadline, clock: clock) { try await implementation.run(context) }
            } else {
                throw StageFailure("stage \(definition.name) has no implementation in this version of onboard")
            }
            return .success((report, try Self.hashOutputs(staged, stage: definition.name)))
        } catch let failure as StageFailure {
            return .failure(failure)
        } catch let waiting as StageWaiting {
            return .failure(StageFailure(waiting.message, waiting: true))
        } catch {
            return .failure(StageFailure("\(error)"))
        }
    }

    /// Writes the stamp and commits, or records the failure; returns the stage's new verdict.
    private func record(
        _ outcome: Result<(StageReport, [String: String], URL), StageFailure>, _ definition: StageDefinition,
        _ verdict: StageVerdict, _ folder: JobFolder, _ files: JobFiles, _ logic: (version: Int, data: [String: String]),
        _ startedAt: Date, _ start: Double, attempts: Int
    ) -> StageVerdict {
        let name = definition.name
        var result = verdict
        let seconds = (clock.monotonicSeconds() - start) * 1000
        switch outcome {
        case .success(let (report, outputs, staged)):
            let stamp = Stamp(
                stage: name, logicVersion: logic.version, inputs: verdict.currentInputs,
                settingsSHA256: verdict.settingsSHA256, dataSHA256: logic.data, outputs: outputs,
                sharedStateRead: report.sharedStateRead, provider: report.provider ?? (definition.command == nil ? "builtin" : "command"),
                model: report.model, tokens: report.tokens, costUSD: report.costUSD,
                startedAt: RFC3339.format(startedAt), finishedAt: RFC3339.format(clock.now()),
                seconds: (seconds.rounded() / 1000), warnings: report.warnings, toolVersion: EngineVersion.tool)
            do {
                // Inside the staged folder a plain write is enough: the folder is synced and renamed as a whole.
                try CanonicalJSON.data(stamp).write(to: staged.appendingPathComponent("stamp.json"))
                try AtomicFile.syncTree(staged)
                try StageCommit.commit(name, staged: staged, in: folder)
                files.replace(prefix: "\(name)/", with: outputs)
                files.watch("\(name)/")
                result.state = .done
                result.reason = "up to date"
                result.stamp = stamp
                result.error = nil
                reporter.stageFinished(job: folder.id, stage: name, seconds: stamp.seconds, warnings: report.warnings)
                return result
            } catch {
                return record(.failure(StageFailure("cannot commit outputs: \(error)")), definition, verdict, folder, files, logic, startedAt, start, attempts: attempts)
            }
        case .failure(let failure):
            let errorRecord = StageErrorRecord(
                stage: name, error: failure.message, transient: failure.transient, attempts: attempts,
                inputs: verdict.currentInputs, settingsSHA256: verdict.settingsSHA256, logicVersion: logic.version,
                failedAt: RFC3339.format(clock.now()), waiting: failure.waiting ? true : nil)
            try? AtomicFile.write(CanonicalJSON.data(errorRecord), to: folder.error(name))
            files.watch("\(name)/")
            result.error = errorRecord
            result.reason = failure.message
            if failure.waiting {
                result.state = .waiting
                result.waitingFor = failure.message
                reporter.problem(job: folder.id, stage: name, "waiting: \(failure.message)")
            } else {
                result.state = .failed
                reporter.problem(job: folder.id, stage: name, "failed: \(failure.message)")
            }
            return result
        }
    }

    static func hashOutputs(_ staged: URL, stage: String) throws -> [String: String] {
        var outputs: [String: String] = [:]
        let base = staged.path.hasSuffix("/") ? staged.path : staged.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: staged.path) else { return [:] }
        while let relative = walker.nextObject() as? String {
            let path = base + relative
            guard let signature = FileSignature.of(path) else { continue }
            if signature.isSymbolicLink { throw StageFailure("output \(stage)/\(relative) is a symbolic link") }
            guard signature.isRegularFile else { continue }
            if relative == "stamp.json" || relative == "error.json" {
                throw StageFailure("a stage may not write \(stage)/\(relative): the engine writes it")
            }
            outputs["\(stage)/\(relative)"] = try Digest.sha256(fileAt: path)
        }
        return outputs
    }

    /// Runs a built-in stage, failing it when its phase's time runs out.
    static func withDeadline(
        _ deadline: Double?, clock: EngineClock, _ body: @escaping @Sendable () async throws -> StageReport
    ) async throws -> StageReport {
        guard let deadline else { return try await body() }
        return try await withThrowingTaskGroup(of: StageReport?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(0, deadline - clock.monotonicSeconds()) * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let report = first else {
                throw StageFailure("stopped at the time limit of its phase")
            }
            return report
        }
    }

    // MARK: phases, records

    private func phaseBudget(for stage: String, verdicts: [String: StageVerdict]) -> (phase: PhaseBudget, remaining: Double)? {
        guard let phase = profile.phases(tree.pipeline).first(where: { $0.stages.contains(stage) }) else { return nil }
        let used = phase.stages.filter { $0 != stage }.compactMap { verdicts[$0]?.stamp?.seconds }.reduce(0, +)
        return (phase, phase.seconds - used)
    }

    private func markRunning(_ folder: JobFolder, stage: String, at time: Date) {
        guard var record = JobRecord.read(folder) else { return }
        let before = record.status
        record.status = .running
        record.currentStep = stage
        if record.startedAt == nil { record.startedAt = RFC3339.format(time) }
        // A progress view, rewritten at the end of the pass: no need to wait for the disk here.
        try? AtomicFile.write(CanonicalJSON.data(record.json), to: folder.record, durable: false)
        if before != .running { profile.jobStatusChanged(record, job: folder, tree: tree, at: clock.now()) }
    }

    func summarize(_ id: String, verdicts: [String: StageVerdict]) -> JobSummary {
        let order = tree.pipeline.order
        var stages: [String: StageState] = [:]
        var waiting: [String: String] = [:]
        var reasons: [String: String] = [:]
        for name in order {
            let verdict = verdicts[name] ?? StageVerdict(state: .pending, reason: "")
            stages[name] = verdict.state
            reasons[name] = verdict.reason
            if verdict.state == .waiting { waiting[name] = verdict.reason }
        }
        let states = order.map { stages[$0]! }
        let status: JobStatus
        if states.contains(.failed) {
            status = .failed
        } else if states.allSatisfy({ $0.providesOutputs }) {
            status = .completed
        } else if states.contains(.running) {
            status = .running
        } else if states.contains(.waiting) && !states.contains(.ready) && !states.contains(.stale) {
            status = .waiting
        } else {
            status = .pending
        }
        let firstFailure = order.first { stages[$0] == .failed }
        let client = JobRecord.read(tree.job(id))?.fields["client_id"]?.stringValue
        return JobSummary(
            id: id, clientID: client, status: status, stages: stages, waitingFor: waiting,
            error: firstFailure.map { "\($0): \(reasons[$0] ?? "")" }, reasons: reasons)
    }

    private func updateRecord(_ folder: JobFolder, summary: JobSummary, verdicts: [String: StageVerdict]) {
        guard var record = JobRecord.read(folder) else { return }
        let before = record
        let order = tree.pipeline.order
        record.status = summary.status
        record.completedSteps = order.filter { summary.stages[$0]?.providesOutputs == true }.count
        record.totalSteps = order.count
        record.currentStep = order.first { summary.stages[$0]?.providesOutputs != true }
        record.errorMessage = summary.error
        if summary.status == .completed {
            if record.completedAt == nil {
                let finished = order.compactMap { verdicts[$0]?.stamp?.finishedAt }.max()
                record.completedAt = finished ?? RFC3339.format(clock.now())
            }
        } else {
            record.completedAt = nil
        }
        guard record != before else { return }
        try? record.write(to: folder)
        if record.status != before.status { profile.jobStatusChanged(record, job: folder, tree: tree, at: clock.now()) }
    }
}

/// How often and how long to retry a transient failure.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(attempts: Int = 3, baseDelay: Double = 1, maxDelay: Double = 30) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), 60) }
        return min(baseDelay * pow(2, Double(attempt - 1)), maxDelay)
    }
}

extension JobProcessor {
    /// The job's state from its files, changing nothing (for `status`).
    func evaluateOnly(_ id: String, previous: JobIndexEntry?) -> JobSummary {
        let folder = tree.job(id)
        let files = JobFiles(folder: folder, previous: previous?.files ?? [:])
        let evaluator = StageEvaluator(pipeline: tree.pipeline, profile: profile, facts: facts, files: files)
        var verdicts: [String: StageVerdict] = [:]
        for name in tree.pipeline.order {
            guard let definition = tree.pipeline.stage(name) else { continue }
            verdicts[name] = (try? evaluator.evaluate(definition, upstream: verdicts))
                ?? StageVerdict(state: .failed, reason: "cannot read its files")
        }
        return summarize(id, verdicts: verdicts)
    }
}
