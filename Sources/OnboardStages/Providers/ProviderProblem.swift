import Foundation

/// Why a model call gave no usable ICP.
struct ProviderProblem: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// The operator must fix the configuration (a missing or refused key, an unknown model
        /// or endpoint): the stage fails, because answering with the rules would hide it.
        case configuration
        /// The service did not answer usefully (overloaded, rate limited, down, too slow).
        case unavailable
        /// An answer came but cannot be used (malformed, truncated, refused, off-schema, unquoted).
        case unusable
        /// The call was not made: its projected cost would pass the enrichment cost cap.
        case overCap
        /// The phase's time limit leaves no room for the call, or for the wait the service asked
        /// for: retrying within the same phase cannot help.
        case outOfTime
    }

    let kind: Kind
    let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
}

/// Keeps a key out of every message that leaves the provider code (stamps, errors, logs): a
/// server may echo the header it rejected.
struct SecretRedactor: Sendable {
    let secrets: [String]

    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return result
    }

    func redact(_ data: Data) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        guard secrets.contains(where: { $0.count >= 4 && text.contains($0) }) else { return data }
        return Data(redact(text).utf8)
    }

    func redact(_ problem: ProviderProblem) -> ProviderProblem {
        ProviderProblem(problem.kind, redact(problem.message))
    }
}
