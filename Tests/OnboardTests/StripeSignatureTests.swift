import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("Stripe-Signature checks as Stripe's libraries make them")
struct StripeSignatureTests {
    static let secret = "whsec_test_secret"
    static let body = Data(#"{"id":"evt_test","object":"event"}"#.utf8)
    static let signedAt: Int64 = 1_700_000_000
    /// HMAC-SHA256 of "1700000000.<body>" keyed with the whole secret, computed apart from this code.
    static let knownV1 = "8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724"

    static func at(_ offset: Double) -> Date { Date(timeIntervalSince1970: Double(signedAt) + offset) }

    static func check(_ header: String?, body: Data = body, secret: String = secret, now: Date = at(5)) -> StripeSignature.Failure? {
        do {
            try StripeSignature.verify(payload: body, header: header, secret: secret, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidSignatureKeyedWithTheWholeSecretIsAccepted() {
        #expect(Self.check("t=\(Self.signedAt),v1=\(Self.knownV1)") == nil)
        #expect(StripeSignature.header(payload: Self.body, secret: Self.secret, timestamp: Self.signedAt) == "t=\(Self.signedAt),v1=\(Self.knownV1)")
        #expect(Self.check("t=\(Self.signedAt),v1=\(Self.knownV1.uppercased())") == nil, "hex digits in either case")
    }

    @Test func aWrongSecretMatchesNothing() {
        #expect(Self.check("t=\(Self.signedAt),v1=\(Self.knownV1)", secret: "whsec_other") == .noMatch)
        #expect(Self.check("t=\(Self.signedAt),v1=\(Self.knownV1)", secret: "test_secret") == .noMatch, "the whsec_ prefix is part of the key")
    }

    @Test func aTamperedBodyMatchesNothing() {
        let tampered = Data(#"{"id":"evt_test","object":"event" }"#.utf8)
        #expect(Self.check("t=\(Self.signedAt),v1=\(Self.knownV1)", body: tampered) == .noMatch)
        #expect(Self.check("t=\(Self.signedAt + 1),v1=\(Self.knownV1)", now: Self.at(5)) == .noMatch, "the timestamp is signed too")
    }

    @Test func theToleranceIsThreeHundredSecondsIntoThePastOnly() {
        let header = "t=\(Self.signedAt),v1=\(Self.knownV1)"
        #expect(Self.check(header, now: Self.at(299)) == nil)
        #expect(Self.check(header, now: Self.at(300)) == nil, "exactly 300 s old is still inside")
        guard case .tooOld(let age)? = Self.check(header, now: Self.at(300.001)) else {
            Issue.record("a millisecond past 300 s is too old")
            return
        }
        #expect(abs(age - 300.001) < 1e-6)
        #expect(Self.check(header, now: Self.at(301)) == .tooOld(seconds: 301))
        #expect(Self.check(header, now: Self.at(-3_600)) == nil, "a clock behind the sender's is not refused")
        #expect(StripeSignature.Failure.tooOld(seconds: 301).description.contains("301 s old"))
    }

    @Test(arguments: ["", "   "])
    func anEmptyHeaderIsNotSigned(_ header: String) {
        #expect(Self.check(header) == .notSigned)
        #expect(Self.check(nil) == .notSigned)
    }

    @Test(arguments: ["bad_header", "t=", "v1,t=1", "t=abc,v1=\(knownV1)", "v1=\(knownV1)", "t=1.5,v1=\(knownV1)"])
    func aMalformedHeaderCannotBeRead(_ header: String) {
        #expect(Self.check(header) == .invalidHeader, "\(header)")
    }

    @Test func onlyAV0SignatureIsNotEnough() {
        #expect(Self.check("t=\(Self.signedAt),v0=\(Self.knownV1)") == .noV1Signature)
        #expect(Self.check("t=\(Self.signedAt),v0=\(Self.knownV1),v2=\(Self.knownV1)") == .noV1Signature)
    }

    @Test func anyOfSeveralV1SignaturesMayMatch() {
        let other = StripeSignature.header(payload: Self.body, secret: "whsec_rolled", timestamp: Self.signedAt).split(separator: "=").last!
        let header = "t=\(Self.signedAt),v1=\(String(repeating: "0", count: 64)),v1=not-hex,v1=\(other),v1=\(Self.knownV1),v0=ff"
        #expect(Self.check(header) == nil)
        #expect(Self.check(header, secret: "whsec_rolled") == nil, "a rolled secret: either key verifies")
        #expect(Self.check("t=\(Self.signedAt),v1=\(String(repeating: "0", count: 64)),v1=\(other)") == .noMatch)
    }
}
