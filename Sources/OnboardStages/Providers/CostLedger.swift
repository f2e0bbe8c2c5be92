import Foundation
import OnboardEngine

/// One model call of a job, as `icp/cost.json` and `enrich/cost.json` list it. Everything in it
/// follows from the request and the recorded answer, so a replay writes the same entry.
struct LedgerEntry: Codable, Sendable, Equatable {
    var stage: String
    var provider: String
    var model: String
    /// SHA-256 of the request body: the name the answer is recorded under.
    var requestSHA256: String
    var inputTokens: Int
    var outputTokens: Int
    var costUSD: Double
    /// "used", or why the answer was not (the rule-based ICP took its place).
    var outcome: String

    enum CodingKeys: String, CodingKey {
        case stage, provider, model, outcome
        case requestSHA256 = "request_sha256"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case costUSD = "cost_usd"
    }
}

/// `<stage>/cost.json`: the calls the ICP rests on, their total, and the cap they are held to.
struct CostLedger: Codable, Sendable, Equatable {
    var calls: [LedgerEntry]
    var totalUSD: Double
    var capUSD: Double

    enum CodingKeys: String, CodingKey {
        case calls
        case totalUSD = "total_usd"
        case capUSD = "cap_usd"
    }

    init(calls: [LedgerEntry], capUSD: Double) {
        self.calls = calls
        totalUSD = CostLedger.round(calls.map(\.costUSD).reduce(0, +))
        self.capUSD = capUSD
    }

    static func cap(_ document: JSONValue) -> Double {
        document.value(at: "settings.enrichment_cost_cap_usd")?.doubleValue ?? 1.5
    }

    /// Dollars for tokens at per-million prices, to a millionth of a dollar so the figure is stable in JSON.
    static func cost(_ usage: TokenUsage, _ price: ProviderSettings.Price?) -> Double {
        guard let price else { return 0 }
        return round((Double(usage.input) * price.inputPerMTok + Double(usage.output) * price.outputPerMTok) / 1_000_000)
    }

    static func round(_ dollars: Double) -> Double { (dollars * 1_000_000).rounded() / 1_000_000 }

    /// "$0.0123" for messages: at most six decimals, no trailing zeros.
    static func dollars(_ amount: Double) -> String {
        var text = String(format: "%.6f", round(amount))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return "$" + text
    }

    /// The most a call can cost: its input estimated at one token per three bytes (generous for
    /// English and JSON) plus every output token it may use.
    static func projected(requestBytes: Int, maxTokens: Int, _ price: ProviderSettings.Price?) -> Double {
        cost(TokenUsage(input: (requestBytes + 2) / 3, output: maxTokens), price)
    }
}
