import Foundation
import Testing
import WardenCore

@Suite("Token refusals: descriptions are bounded and secret-free")
struct TokenRefusalTests {
    static let everyCase: [TokenRefusal] = [
        .missing, .conflictingCredentials, .tooLarge(limit: 16384), .malformed("not base64url"), .algorithmNone,
        .algorithmNotAllowed("HS256"), .embeddedKey("jku"), .unsupportedCritical, .untrustedIssuer("https://evil.example"),
        .unknownKey("kid-1"), .keysUnavailable, .badSignature, .expired, .notYetValid, .issuedInFuture, .missingClaim("exp"),
        .audienceMismatch, .claimMismatch("repository_owner"), .wrongTokenType("id_token"),
    ]

    @Test("every refusal has its own non-empty description")
    func distinctDescriptions() {
        let descriptions = Self.everyCase.map(\.description)
        #expect(descriptions.allSatisfy { !$0.isEmpty })
        #expect(Set(descriptions).count == Self.everyCase.count)
    }

    @Test("descriptions carry the detail they are given")
    func details() {
        #expect(TokenRefusal.tooLarge(limit: 16384).description.contains("16384"))
        #expect(TokenRefusal.malformed("empty signature").description.contains("empty signature"))
        #expect(TokenRefusal.algorithmNotAllowed("HS256").description.contains("HS256"))
        #expect(TokenRefusal.embeddedKey("x5u").description.contains("x5u"))
        #expect(TokenRefusal.untrustedIssuer("https://evil.example").description.contains("https://evil.example"))
        #expect(TokenRefusal.unknownKey("kid-1").description.contains("kid-1"))
        #expect(TokenRefusal.missingClaim("exp").description.contains("exp"))
        #expect(TokenRefusal.claimMismatch("repository_owner").description.contains("repository_owner"))
        #expect(TokenRefusal.wrongTokenType("id_token").description.contains("id_token"))
    }

    @Test(
        "attacker-chosen strings are truncated to a bound",
        arguments: [
            (TokenRefusal.untrustedIssuer, 200),
            (TokenRefusal.unknownKey, 64),
            (TokenRefusal.algorithmNotAllowed, 16),
            (TokenRefusal.wrongTokenType, 32),
        ] as [(@Sendable (String) -> TokenRefusal, Int)]
    )
    func truncation(make: @Sendable (String) -> TokenRefusal, bound: Int) {
        let attack = String((0..<10_000).map { index in Character(UnicodeScalar(UInt8(65 + index % 26))) })
        let description = make(attack).description
        #expect(description.contains(attack.prefix(bound)))
        #expect(!description.contains(attack.prefix(bound + 1)))
        #expect(description.count < bound + 80)
    }

    @Test("a refused issuer claim reaches the description only truncated")
    func truncatedThroughValidator() throws {
        let issuer = "https://" + String(repeating: "evil", count: 2_000)
        let claims: [String: Any] = ["iss": issuer, "sub": "a", "aud": "w", "exp": 1_800_000_000]
        do {
            _ = try ClaimValidator.principal(
                header: [:],
                claims: claims,
                policy: IssuerPolicy(issuer: "https://idp.example", audiences: ["w"]),
                now: Date(timeIntervalSince1970: 1_700_000_000),
                leeway: 60
            )
            Issue.record("an untrusted issuer was accepted")
        } catch {
            #expect(error == .untrustedIssuer(issuer))
            #expect(error.description.count < 300)
            #expect(!error.description.contains(String(repeating: "evil", count: 60)))
        }
    }

    /// One Character can hold thousands of combining scalars, so bounding characters does not bound bytes.
    @Test("truncation bounds the bytes, even for text built of combining marks")
    func combiningMarksAreBounded() {
        let issuer = "a" + String(repeating: "\u{0301}", count: 5_000)
        let type = "t" + String(repeating: "\u{0308}", count: 5_000)
        #expect(TokenRefusal.untrustedIssuer(issuer).description.utf8.count < 1_000)
        #expect(TokenRefusal.wrongTokenType(type).description.utf8.count < 1_000)
    }
}
