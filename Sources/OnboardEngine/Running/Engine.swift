import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one pass did, for the command line's summary and exit code.
public struct PassResult: Sendable {
    public var created: [String] = []
    public var rejected: [String] = []
    public var stagesRun = 0
    public var failedJobs: [String] = []
    public var busyJobs: [String] = []
    public var unchangedJobs = 0
    public var summaries: [JobSummary] = []
}

/// The engine's entry points: one pass over a tree (`run`), a rerun of one stage, the state of
/// jobs (`status`), and the loop of `watch`.
public struct Engine: Sendable {
    public let root: URL
    public let profile: any PipelineProfile
    public let clock: EngineClock
    public let reporter: Reporter
    public var retry = RetryPolicy()
    /// Set from a signal handler: finish the stage in hand, start nothing new.
    public let stop = Locked(false)

    public init(root: URL, profile: any PipelineProfile, clock: EngineClock = .fromEnvironment(), reporter: Reporter = Reporter()) {
        self.root = root
        self.profile = profile
        self.clock = clock
        self.reporter = reporter
    }

    public func loadTree() throws -> Tree {
        let pipeline = try PipelineLoader(profile: profile).load(fileAt: Tree.pipelineFile(in: root))
        return Tree(root: root, pipeline: pipeline)
    }

    /// Changes when pipeline.json or any built-in stage's logic or data changes: every index entry
    /// taken under another fingerprint is ignored.
    func fingerprint(_ tree: Tree) -> String {
        var text = tree.pipeline.fileSHA256
        for name in tree.pipeline.order {
            // A stage given as a command is not the built-in stage of that name: its logic does not count.
            guard tree.pipeline.stage(name)?.command == nil, let implementation = profile.implementation(of: name) else { continue }
            text += "|\(name):\(implementation.logicVersion)"
            for key in implementation.dataSHA256.keys.sorted() { text += ",\(key)=\(implementation.dataSHA256[key]!)" }
        }
        return Digest.sha256(text)
    }

    // MARK: run

    /// Reads the inbox, then advances every job (or one) as far as its inputs allow.
    public func run(job: String? = nil, workers: Int = 1, dryRun: Bool = false) async throws -> PassResult {
        let tree = try loadTree()
        var seen: [String: FileSignature] = [:]
        return try await pass(tree, job: job, workers: workers, dryRun: dryRun, stableSince: nil, seen: &seen)
    }

    func pass(
        _ tree: Tree, job: String?, workers: Int, dryRun: Bool, stableSince: [String: FileSignature]?,
        seen: inout [String: FileSignature]
    ) async throws -> PassResult {
        var result = PassResult()
        try tree.createFolders()
        let state = try EngineState(path: tree.engineDatabase)
        if dryRun {
            reportInboxForDryRun(tree, state: state)
        } else {
            let intake = try Inbox(tree: tree, profile: profile, state: state, clock: clock, reporter: reporter)
                .scan(stableSince: stableSince, seen: &seen)
            result.created = intake.created
            result.rejected = intake.rejected
        }
        if let job, !tree.hasJob(job) {
            throw EngineError.unknownJob(job)
        }
        let index = try state.jobIndex()
        let fingerprint = fingerprint(tree)
        let ids = tree.jobIDs().filter { job == nil || job == $0 }
        let unchanged = dryRun ? [Bool](repeating: false, count: ids.count) : Self.unchanged(ids, tree: tree, index: index, fingerprint: fingerprint)
        var pending: [String] = []
        for (position, id) in ids.enumerated() {
            guard unchanged[position], let entry = index[id] else {
                pending.append(id)
                continue
            }
            result.unchangedJobs += 1
            if entry.failed { result.failedJobs.append(id) }
        }
        let outcomes = await process(pending, tree: tree, index: index, fingerprint: fingerprint, workers: workers,
                                     options: JobPassOptions(dryRun: dryRun))
        try absorb(outcomes, into: &result, state: state)
        return result
    }

    // MARK: rerun

    /// Runs one stage of one job again even if up to date (and, with `downstream`, every stage after it).
    public func rerun(job: String, stage: String, downstream: Bool, refetch: Bool) async throws -> PassResult {
        let tree = try loadTree()
        guard tree.hasJob(job) else {
            throw EngineError.unknownJob(job)
        }
        guard tree.pipeline.stage(stage) != nil else {
            throw EngineError.unknownStage(stage, tree.pipeline.order)
        }
        let state = try EngineState(path: tree.engineDatabase)
        try state.forgetJobIndex(job)
        let forced = [stage] + (downstream ? tree.pipeline.downstream(of: stage) : [])
        let options = JobPassOptions(forced: forced, onlyForced: true, refetch: refetch)
        let outcomes = await process([job], tree: tree, index: [:], fingerprint: fingerprint(tree), workers: 1, options: options)
        if outcomes.first?.kind == .busy { throw EngineError.busy(job) }
        var result = PassResult()
        try absorb(outcomes, into: &result, state: state)
        return result
    }

    // MARK: status

    /// The state of every job (or one), without running anything and without taking locks.
    public func status(job: String? = nil) throws -> [JobSummary] {
        let tree = try loadTree()
        try tree.createFolders()
        let state = try EngineState(path: tree.engineDatabase)
        let index = try state.jobIndex()
        let fingerprint = fingerprint(tree)
        let processor = processor(tree, fingerprint: fingerprint, quiet: true)
        if let job, !tree.hasJob(job) {
            throw EngineError.unknownJob(job)
        }
        let ids = tree.jobIDs().filter { job == nil || job == $0 }
        let unchanged = Self.unchanged(ids, tree: tree, index: index, fingerprint: fingerprint)
        // Settled jobs are read from the index, many at a time; the others are evaluated from their files.
        let summaries = Locked([JobSummary?](repeating: nil, count: ids.count))
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, ids.count / 256))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, JobSummary)] = []
            for position in stride(from: worker, to: ids.count, by: workers) where unchanged[position] {
                if let summary = index[ids[position]]?.summary.flatMap(Self.decodeSummary) { local.append((position, summary)) }
            }
            summaries.withValue { all in for (position, summary) in local { all[position] = summary } }
        }
        let decoded = summaries.current
        var result: [JobSummary] = []
        for (position, id) in ids.enumerated() {
            let folder = tree.job(id)
            if let running = RunningMarker.read(folder) {
                var summary = processor.evaluateOnly(id, previous: index[id])
                summary.stages[running.stage] = .running
                summary.reasons[running.stage] = "running since \(running.startedAt) (pid \(running.pid))"
                if summary.status != .failed { summary.status = .running }
                result.append(summary)
            } else if let summary = decoded[position] {
                result.append(summary)
            } else {
                result.append(processor.evaluateOnly(id, previous: index[id]))
            }
        }
        return result
    }

    // MARK: watch

    /// Polls the inbox and the jobs until `stop` is set; a file is taken once its size and times
    /// held still for one poll interval.
    public func watch(workers: Int = 1, onPass: @Sendable (PassResult) -> Void = { _ in }) async throws {
        var previous: [String: FileSignature] = [:]
        while !stop.current {
            let tree = try loadTree()
            var seen: [String: FileSignature] = [:]
            let result = try await pass(tree, job: nil, workers: workers, dryRun: false, stableSince: previous, seen: &seen)
            previous = seen
            onPass(result)
            let interval = profile.pollInterval(tree.pipeline)
            let until = clock.monotonicSeconds() + interval
            while !stop.current, clock.monotonicSeconds() < until {
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
        }
    }

    // MARK: shared

    private func processor(_ tree: Tree, fingerprint: String, quiet: Bool = false) -> JobProcessor {
        let stop = self.stop
        return JobProcessor(
            tree: tree, profile: profile, clock: clock, fingerprint: fingerprint, facts: StageFacts.all(tree.pipeline, profile: profile),
            reporter: quiet ? Reporter(quiet: true) : reporter, retry: retry, stopRequested: { stop.current })
    }

    /// Processes jobs with at most `workers` in flight; outcomes come back in job order.
    private func process(
        _ ids: [String], tree: Tree, index: [String: JobIndexEntry], fingerprint: String, workers: Int, options: JobPassOptions
    ) async -> [JobOutcome] {
        let processor = processor(tree, fingerprint: fingerprint)
        var outcomes = [JobOutcome?](repeating: nil, count: ids.count)
        await withTaskGroup(of: (Int, JobOutcome).self) { group in
            var next = 0
            func start() {
                guard next < ids.count, !stop.current else { return }
                let position = next
                let id = ids[position]
                let previous = index[id]
                group.addTask { (position, await processor.process(id, previous: previous, options: options)) }
                next += 1
            }
            for _ in 0..<max(1, workers) { start() }
            var done = 0
            reporter.progress(done: 0, total: ids.count)
            while let (position, outcome) = await group.next() {
                outcomes[position] = outcome
                done += 1
                reporter.progress(done: done, total: ids.count)
                start()
            }
            reporter.progress(done: ids.count, total: ids.count)
        }
        return outcomes.compactMap { $0 }
    }

    private func absorb(_ outcomes: [JobOutcome], into result: inout PassResult, state: EngineState) throws {
        var entries: [(String, JobIndexEntry)] = []
        for outcome in outcomes {
            switch outcome.kind {
            case .busy:
                result.busyJobs.append(outcome.jobID)
                reporter.note("\(outcome.jobID): another onboard process is working on it; skipped")
            case .skippedUnchanged:
                result.unchangedJobs += 1
            case .processed:
                result.stagesRun += outcome.stagesRun.count
                if let summary = outcome.summary {
                    result.summaries.append(summary)
                    if summary.status == .failed || !outcome.stagesFailed.isEmpty { result.failedJobs.append(outcome.jobID) }
                }
            }
            if let index = outcome.index { entries.append((outcome.jobID, index)) }
        }
        for start in stride(from: 0, to: entries.count, by: 1000) {
            try state.saveJobIndex(Array(entries[start..<min(start + 1000, entries.count)]))
        }
    }

    private func reportInboxForDryRun(_ tree: Tree, state: EngineState) {
        let known = (try? state.inboxFiles()) ?? [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: tree.inbox.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        for name in names {
            let signature = FileSignature.of(tree.inbox.appendingPathComponent(name).path)
            if let record = known[name], record.signature == signature?.description { continue }
            reporter.line("inbox/\(name): would be read")
        }
    }

    /// Which jobs are settled and untouched since their index entry was taken: the stat-only fast
    /// path, spread over the cores since it is all the work a no-op pass does.
    static func unchanged(_ ids: [String], tree: Tree, index: [String: JobIndexEntry], fingerprint: String) -> [Bool] {
        let result = Locked([Bool](repeating: false, count: ids.count))
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, ids.count / 256))
        let outbox = tree.outbox.path + "/"
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, Bool)] = []
            for position in stride(from: worker, to: ids.count, by: workers) {
                let id = ids[position]
                guard let entry = index[id], entry.settled, entry.fingerprint == fingerprint else { continue }
                local.append((position, entry.matchesDisk(jobFolder: outbox + id)))
            }
            result.withValue { flags in for (position, flag) in local { flags[position] = flag } }
        }
        return result.current
    }

    static func decodeSummary(_ text: String) -> JobSummary? {
        try? JSONDecoder().decode(JobSummary.self, from: Data(text.utf8))
    }
}

/// What the holder of a job's lock is running, written into the lock file itself. A description
/// whose process is gone is a leftover of a crash and ignored.
struct RunningMarker {
    let pid: Int32
    let stage: String
    let startedAt: String

    static func text(stage: String, startedAt: Date) -> String {
        "\(getpid()) \(stage) \(RFC3339.format(startedAt))"
    }

    static func read(_ folder: JobFolder) -> RunningMarker? {
        guard let data = FileManager.default.contents(atPath: folder.lock.path), !data.isEmpty else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard parts.count == 3, let pid = Int32(parts[0]), pid > 0 else { return nil }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return RunningMarker(pid: pid, stage: String(parts[1]), startedAt: String(parts[2]))
    }
}

public enum EngineError: Error, CustomStringConvertible {
    case unknownJob(String)
    case unknownStage(String, [String])
    case busy(String)

    public var description: String {
        switch self {
        case .unknownJob(let id): return "no job \"\(id)\" in the outbox"
        case .unknownStage(let name, let stages): return "no stage \"\(name)\" in pipeline.json (stages: \(stages.joined(separator: ", ")))"
        case .busy(let id): return "job \(id) is being processed by another onboard process; try again when it is done"
        }
    }
}
