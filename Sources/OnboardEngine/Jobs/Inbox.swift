import Foundation

/// Turns files in the inbox into jobs. Accepted files stay where they are (recorded in state so
/// the next pass only needs `stat`); rejected ones move to `inbox/rejected/` beside an error file.
struct Inbox {
    static let maximumRequestBytes = 1 << 20

    let tree: Tree
    let profile: any PipelineProfile
    let state: EngineState
    let clock: EngineClock
    let reporter: Reporter

    struct Result {
        var created: [String] = []
        var duplicates: [String] = []
        var rejected: [String] = []
    }

    /// Takes every complete `*.json` file. With `stableSince`, a file is read only when its
    /// signature equals the one seen on the previous poll (watch mode: a copy in progress waits).
    func scan(stableSince previousPoll: [String: FileSignature]? = nil, seen: inout [String: FileSignature]) throws -> Result {
        try tree.createFolders()
        let lock = try FileLock.lock(tree.inboxLock.path)
        defer { lock.unlock() }
        sweepIncoming()
        var result = Result()
        let known = try state.inboxFiles()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: tree.inbox.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        for name in names {
            let path = tree.inbox.appendingPathComponent(name).path
            guard let signature = FileSignature.of(path) else { continue }
            seen[name] = signature
            if let record = known[name], record.signature == signature.description { continue }
            if let previousPoll, previousPoll[name] != signature { continue }
            if signature.isSymbolicLink {
                try reject(name, RequestRejection(field: nil, message: "\(name) is a symbolic link; links are refused, not followed"), &result)
                continue
            }
            guard signature.isRegularFile else { continue }
            try take(name, path: path, signature: signature, known: known, &result)
        }
        return result
    }

    private func take(
        _ name: String, path: String, signature: FileSignature, known: [String: EngineState.InboxFile], _ result: inout Result
    ) throws {
        if signature.size > Int64(Self.maximumRequestBytes) {
            return try reject(name, RequestRejection(field: nil, message: "file is larger than 1 MiB (\(signature.size) bytes)"), &result)
        }
        guard let data = readNoFollow(path) else {
            return try reject(name, RequestRejection(field: nil, message: "file cannot be read"), &result)
        }
        if data.isEmpty { return try reject(name, RequestRejection(field: nil, message: "file is empty"), &result) }
        if data.count > Self.maximumRequestBytes {
            return try reject(name, RequestRejection(field: nil, message: "file is larger than 1 MiB"), &result)
        }
        let fileSHA = Digest.sha256(data)
        let admitted: AdmittedRequest
        switch profile.admit(data, pipeline: tree.pipeline) {
        case .failure(let rejection): return try reject(name, rejection, &result)
        case .success(let request): admitted = request
        }
        let job = tree.job(admitted.jobID)
        let now = RFC3339.format(clock.now())
        if FileManager.default.fileExists(atPath: job.url.path) {
            let existing = (try? Data(contentsOf: job.request)).flatMap { try? profile.admit($0, pipeline: tree.pipeline).get() }
            if let existing, existing.normalizedSHA256 != admitted.normalizedSHA256 {
                let message = admitted.explicitID
                    ? "request_id \"\(admitted.jobID)\" is already used by a different request (job \(admitted.jobID))"
                    : "job \(admitted.jobID) already exists for a different request"
                return try reject(name, RequestRejection(field: admitted.explicitID ? "request_id" : nil, message: message), &result)
            }
            try state.recordInboxFile(
                .init(name: name, signature: signature.description, sha256: fileSHA, jobID: admitted.jobID, outcome: "duplicate"), at: now)
            reporter.note("inbox/\(name): same request as job \(admitted.jobID); no new job")
            result.duplicates.append(admitted.jobID)
            return
        }
        try createJob(admitted, requestBytes: data, createdAt: now)
        try state.recordInboxFile(
            .init(name: name, signature: signature.description, sha256: fileSHA, jobID: admitted.jobID, outcome: "accepted"), at: now)
        reporter.note("inbox/\(name): new job \(admitted.jobID)")
        result.created.append(admitted.jobID)
    }

    /// Builds the job folder under a temporary name and renames it into place, so a job folder
    /// always holds its request and record.
    private func createJob(_ request: AdmittedRequest, requestBytes: Data, createdAt: String) throws {
        let incoming = tree.outbox.appendingPathComponent(".incoming-\(request.jobID)")
        let manager = FileManager.default
        try? manager.removeItem(at: incoming)
        try manager.createDirectory(at: incoming, withIntermediateDirectories: true)
        let staged = JobFolder(id: request.jobID, url: incoming)
        try AtomicFile.write(requestBytes, to: staged.request)
        let record = JobRecord(
            jobID: request.jobID, status: .pending, totalSteps: tree.pipeline.order.count, createdAt: createdAt,
            fields: request.recordFields)
        try record.write(to: staged)
        try AtomicFile.move(incoming, to: tree.job(request.jobID).url)
    }

    private func reject(_ name: String, _ rejection: RequestRejection, _ result: inout Result) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: tree.rejected, withIntermediateDirectories: true)
        let base = String(name.dropLast(".json".count))
        var target = base
        var counter = 1
        while manager.fileExists(atPath: tree.rejected.appendingPathComponent("\(target).json").path)
            || manager.fileExists(atPath: tree.rejected.appendingPathComponent("\(target).error.json").path)
        {
            counter += 1
            target = "\(base).\(counter)"
        }
        let error: JSONValue = .object([
            "file": .string(name), "field": rejection.field.map(JSONValue.string) ?? .null,
            "error": .string(rejection.message),
        ])
        try AtomicFile.write(CanonicalJSON.data(error), to: tree.rejected.appendingPathComponent("\(target).error.json"))
        try AtomicFile.move(tree.inbox.appendingPathComponent(name), to: tree.rejected.appendingPathComponent("\(target).json"))
        try state.forgetInboxFile(name)
        reporter.line("inbox/\(name): rejected: \(rejection.message) (see inbox/rejected/\(target).error.json)")
        result.rejected.append(name)
    }

    /// Job folders half-built by a killed process (only ever made under the inbox lock we hold).
    private func sweepIncoming() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tree.outbox.path)) ?? []
        for name in names where name.hasPrefix(".incoming-") {
            try? FileManager.default.removeItem(at: tree.outbox.appendingPathComponent(name))
        }
    }

    private func readNoFollow(_ path: String) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        return try? handle.readToEnd() ?? Data()
    }
}
