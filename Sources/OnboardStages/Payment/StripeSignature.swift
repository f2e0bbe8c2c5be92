import Crypto
import Foundation
import OnboardEngine

/// Checks a `Stripe-Signature` header the way Stripe's own libraries do: HMAC-SHA256 of
/// `"<t>.<raw body>"` keyed with the whole endpoint secret (`whsec_` prefix included), any `v1`
/// may match (a rolled secret signs twice), `v0` and unknown schemes are ignored, and a
/// timestamp more than `tolerance` seconds in the past is refused.
public enum StripeSignature {
    public static let defaultTolerance: Double = 300

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notSigned
        case invalidHeader
        case noV1Signature
        case noMatch
        case tooOld(seconds: Double)

        public var description: String {
            switch self {
            case .notSigned: return "the event is not signed: the Stripe-Signature header is missing or empty"
            case .invalidHeader: return "the Stripe-Signature header cannot be read (expected t=<unix time>,v1=<hex>)"
            case .noV1Signature: return "the Stripe-Signature header has no v1 signature (v0 and other schemes are not accepted)"
            case .noMatch: return "no v1 signature matches the body under STRIPE_WEBHOOK_SECRET"
            case .tooOld(let seconds):
                return "the signature's timestamp is \(CanonicalNumber.text(seconds)) s old; at most \(CanonicalNumber.text(defaultTolerance)) s is accepted"
            }
        }
    }

    /// Verifies the raw body bytes; throws the first reason the header does not vouch for them.
    public static func verify(
        payload: Data, header: String?, secret: String, now: Date, tolerance: Double = defaultTolerance
    ) throws(Failure) {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { throw .notSigned }
        var timestamp: Int64?
        var candidates: [[UInt8]] = []
        var sawV1 = false
        for part in header.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else { throw .invalidHeader }
            let key = part[..<equals].trimmingCharacters(in: .whitespaces)
            let value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "t":
                guard let number = Int64(value) else { throw .invalidHeader }
                timestamp = number
            case "v1":
                sawV1 = true
                // A v1 that is not 64 hex digits cannot match; Stripe's libraries skip it too.
                if let bytes = hexBytes(value), bytes.count == SHA256.byteCount { candidates.append(bytes) }
            default:
                continue
            }
        }
        guard let timestamp else { throw .invalidHeader }
        guard sawV1 else { throw .noV1Signature }
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        let expected = Array(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8))))
        // Every candidate is compared in full, so the time taken says nothing about how close one came.
        var matched = false
        for candidate in candidates where OnboardEngine.Digest.constantTimeEqual(candidate, expected) { matched = true }
        guard matched else { throw .noMatch }
        let age = now.timeIntervalSince1970 - Double(timestamp)
        if tolerance > 0, age > tolerance { throw .tooOld(seconds: age) }
    }

    /// The header Stripe would send for `payload` at `timestamp` (for tests and the demo's billing).
    public static func header(payload: Data, secret: String, timestamp: Int64) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(payload)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(OnboardEngine.Digest.hex(code))"
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30
        case 0x61...0x66: return digit - 0x61 + 10
        case 0x41...0x46: return digit - 0x41 + 10
        default: return nil
        }
    }
}

/// Seconds in messages: whole numbers without a fraction, others to the millisecond.
enum CanonicalNumber {
    static func text(_ value: Double) -> String {
        value.rounded() == value ? String(Int64(value)) : String(format: "%.3f", value)
    }
}
