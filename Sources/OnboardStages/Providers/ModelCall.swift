import Foundation
import OnboardEngine

/// One model call of a stage, with everything around it: the key from the environment, replay
/// of the answer recorded by an earlier run, the cost cap, the call itself, and the checks its
/// answer must pass. Answers are recorded in the stage's folder as
/// `answers/<request hash>.request.json` (what was sent, no key) and `.response.json` (the
/// bytes received), so a rerun with the same request replays them unless `rerun --refetch`.
struct ModelCall {
    let context: StageContext
    let settings: ProviderSettings
    let environment: [String: String]

    struct Outcome<Value: Sendable>: Sendable {
        /// The checked answer, or nil: the stage falls back to what it does offline.
        var value: Value?
        var entry: LedgerEntry?
        /// Why there is no value, for the stage's warning.
        var problem: String?
        var warnings: [String]
        /// What this run spent (a replay spends nothing).
        var tokens: Int
        var costUSD: Double

        /// Puts the call on the stage's report: its warnings, the provider when its answer is used
        /// (else why not, followed by `fallback`: what the stage does instead), model, tokens, cost.
        func record(into report: inout StageReport, provider: ProviderSettings, fallback: String) {
            report.warnings += warnings
            if value != nil {
                report.provider = provider.kind.rawValue
            } else if let problem {
                report.warnings.append("\(problem); \(fallback)")
            }
            report.model = provider.model
            report.tokens = tokens
            report.costUSD = costUSD
        }
    }

    init(context: StageContext, settings: ProviderSettings, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.context = context
        self.settings = settings
        self.environment = environment
    }

    /// An ICP, checked against the schema and the evidence rule.
    func icp(_ prompt: ModelPrompt, site: SiteRecord, spentUSD: Double, capUSD: Double) async throws -> Outcome<ICPDocument> {
        let provider = settings.kind.rawValue
        return try await ask(prompt, spentUSD: spentUSD, capUSD: capUSD) { answer throws(ProviderProblem) in
            let checked = try ICPAnswer.check(answer, site: site)
            let dropped = "\(checked.dropped) of the \(provider) answer's \(checked.total) items were dropped: their quotes are not on the pages they name"
            return (checked.document, checked.dropped > 0 ? [dropped] : [])
        }
    }

    /// Asks for a structured answer and hands it to `accept`, which checks it (throwing
    /// `.unusable` to reject it) and may add warnings. Throws StageFailure for what the operator
    /// must fix; every other problem is an Outcome without a value and with the reason.
    func ask<Value: Sendable>(
        _ prompt: ModelPrompt, spentUSD: Double, capUSD: Double,
        accept: (JSONValue) throws(ProviderProblem) -> (Value, [String])
    ) async throws -> Outcome<Value> {
        guard let key = settings.key(in: environment) else {
            throw StageFailure(
                "providers.icp is \"\(settings.kind.rawValue)\" but \(settings.keyVariable) is not set in the environment; set it (or set providers.icp to \"rules\"), then \(rerunHint)")
        }
        let redactor = SecretRedactor(secrets: [key])
        let api = settings.api
        let body = CanonicalJSON.compact(api.body(prompt, settings))
        let url = api.url(settings)
        let hash = Digest.sha256(Data(url.absoluteString.utf8) + Data([0x0A]) + body)
        let name = "answers/\(hash.prefix(16))"
        var warnings: [String] = []
        if settings.price == nil {
            warnings.append(
                "providers.prices has no price for model \(settings.model): its tokens are counted as $0 and the cost cap cannot limit them")
        }
        func entry(_ usage: TokenUsage?, _ outcome: String) -> LedgerEntry {
            LedgerEntry(
                stage: context.stage, provider: settings.kind.rawValue, model: settings.model, requestSHA256: hash,
                inputTokens: usage?.input ?? 0, outputTokens: usage?.output ?? 0,
                costUSD: usage.map { CostLedger.cost($0, settings.price) } ?? 0, outcome: outcome)
        }

        var answerBody: Data
        var replayed = false
        if !context.refetch, let recorded = try? Data(contentsOf: context.job.stage(context.stage).appendingPathComponent("\(name).response.json")) {
            answerBody = recorded
            replayed = true
        } else {
            let projected = CostLedger.projected(requestBytes: body.count, maxTokens: settings.maxTokens, settings.price)
            if CostLedger.round(spentUSD + projected) > capUSD {
                let why = "the \(settings.kind.rawValue) call was not made: spent \(CostLedger.dollars(spentUSD)) + up to \(CostLedger.dollars(projected)) for this call is over the enrichment cost cap of \(CostLedger.dollars(capUSD))"
                return Outcome(value: nil, entry: entry(nil, "not made: over the cost cap"), problem: why, warnings: warnings, tokens: 0, costUSD: 0)
            }
            let transport = ProviderTransport(redactor: redactor)
            let answer: ProviderTransport.Answer
            do {
                answer = try await transport.post(
                    url, headers: api.headers(key: key), body: body, timeoutSeconds: settings.timeoutSeconds, clock: context.clock,
                    deadline: context.deadline)
            } catch {
                return try fallback(redactor.redact(error), entry: entry(nil, "failed"), warnings: warnings)
            }
            guard answer.status == 200 else {
                let problem = redactor.redact(api.problem(status: answer.status, body: answer.body, keyVariable: settings.keyVariable, attempts: answer.attempts))
                return try fallback(problem, entry: entry(nil, "failed: HTTP \(answer.status)"), warnings: warnings)
            }
            // Recorded as received, unless the server echoed the key into it.
            answerBody = redactor.redact(answer.body)
        }
        // Same request, same bytes: the hash covers the body this file shows.
        try context.writeOutput("\(name).request.json", data: CanonicalJSON.data(api.body(prompt, settings)))
        try context.writeOutput("\(name).response.json", data: answerBody)

        let parsed = try? JSONValue.parse(answerBody)
        let usage = parsed.flatMap(api.usage)
        let spentTokens = replayed ? 0 : (usage.map { $0.input + $0.output } ?? 0)
        let spentCost = replayed ? 0 : (usage.map { CostLedger.cost($0, settings.price) } ?? 0)
        do throws(ProviderProblem) {
            guard let parsed else { throw ProviderProblem(.unusable, "\(api.name)'s answer is not JSON") }
            let (value, notes) = try accept(try api.structuredAnswer(parsed, maxTokens: settings.maxTokens))
            return Outcome(
                value: value, entry: entry(usage, "used"), problem: nil, warnings: warnings + notes, tokens: spentTokens,
                costUSD: spentCost)
        } catch {
            let problem = redactor.redact(error)
            var outcome: Outcome<Value> = try fallback(problem, entry: entry(usage, "unusable: \(problem.message)"), warnings: warnings)
            outcome.tokens = spentTokens
            outcome.costUSD = spentCost
            return outcome
        }
    }

    /// A failure is final for the inputs it failed on, so fixing the environment alone does not run the stage again.
    private var rerunHint: String { "onboard rerun \(context.jobID) \(context.stage)" }

    private func fallback<Value>(_ problem: ProviderProblem, entry: LedgerEntry, warnings: [String]) throws -> Outcome<Value> {
        if problem.kind == .configuration { throw StageFailure("\(problem.message); once fixed: \(rerunHint)") }
        return Outcome(value: nil, entry: entry, problem: problem.message, warnings: warnings, tokens: 0, costUSD: 0)
    }
}
