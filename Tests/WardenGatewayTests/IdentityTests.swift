import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator
import WardenStore

@Suite("Identity")
struct IdentityTests {
    private static func segment(_ object: [String: Any]) -> String {
        base64URL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "=",
            with: ""
        )
    }

    private static func claims(_ issuer: String, overrides: [String: Any] = [:]) -> [String: Any] {
        let now = Date().timeIntervalSince1970
        var claims: [String: Any] = ["iss": issuer, "sub": "mallory", "aud": GatewayHarness.audience, "iat": Int(now), "exp": Int(now + 600)]
        for (key, value) in overrides { claims[key] = value }
        return claims
    }

    /// Every way a token must be refused, each built the way an attacker or a misconfigured client would.
    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case missing, apiKeyNotAToken, expired, notYetValid, wrongAudience, untrustedIssuer, algNone, hmacWithPublicKey
        case unknownKeyID, badSignature, jkuHeader, x5uHeader, embeddedJWK, criticalHeader, oversized, malformed
        case conflictingHeaders
        var testDescription: String { rawValue }
    }

    private static func headers(for refusal: Case, harness: GatewayHarness) -> [(String, String)] {
        let issuer = harness.issuer
        let header: [String: Any] = ["alg": "ES256", "typ": "JWT", "kid": issuer.currentKeyID]
        func signed(header: [String: Any] = header, claims: [String: Any]) -> [(String, String)] {
            let token = issuer.signRaw(
                header: try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]),
                payload: try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
            )
            return [("authorization", "Bearer \(token)")]
        }
        let now = Date().timeIntervalSince1970
        switch refusal {
        case .missing: return []
        case .apiKeyNotAToken: return [("x-api-key", "sk-ant-api03-AAAA")]
        case .expired: return signed(claims: claims(issuer.issuer, overrides: ["exp": Int(now - 3600), "iat": Int(now - 7200)]))
        case .notYetValid: return signed(claims: claims(issuer.issuer, overrides: ["nbf": Int(now + 3600)]))
        case .wrongAudience: return signed(claims: claims(issuer.issuer, overrides: ["aud": "https://github.com/acme"]))
        case .untrustedIssuer: return signed(claims: claims("https://evil.example"))
        case .algNone:
            return [("authorization", "Bearer \(segment(["alg": "none", "typ": "JWT"])).\(segment(claims(issuer.issuer))).")]
        case .hmacWithPublicKey:
            let jwk = try! JSONSerialization.jsonObject(with: issuer.jwksJSON()) as! [String: Any]
            let key = SymmetricKey(data: try! JSONSerialization.data(withJSONObject: jwk))
            let input = "\(segment(["alg": "HS256", "typ": "JWT", "kid": issuer.currentKeyID])).\(segment(claims(issuer.issuer)))"
            let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key)
            return [("authorization", "Bearer \(input).\(base64URL(Data(mac)))")]
        case .unknownKeyID: return signed(header: ["alg": "ES256", "typ": "JWT", "kid": "rotated-away"], claims: claims(issuer.issuer))
        case .badSignature:
            let good = issuer.mint(subject: "alice", audience: GatewayHarness.audience)
            let parts = good.split(separator: ".")
            let forged = "\(parts[0]).\(segment(claims(issuer.issuer, overrides: ["sub": "admin"]))).\(parts[2])"
            return [("authorization", "Bearer \(forged)")]
        case .jkuHeader: return signed(header: header.merging(["jku": "https://evil.example/jwks"]) { $1 }, claims: claims(issuer.issuer))
        case .x5uHeader: return signed(header: header.merging(["x5u": "https://evil.example/cert"]) { $1 }, claims: claims(issuer.issuer))
        case .embeddedJWK: return signed(header: header.merging(["jwk": ["kty": "EC"]]) { $1 }, claims: claims(issuer.issuer))
        case .criticalHeader: return signed(header: header.merging(["crit": ["exp"]]) { $1 }, claims: claims(issuer.issuer))
        case .oversized: return signed(claims: claims(issuer.issuer, overrides: ["padding": String(repeating: "A", count: 20_000)]))
        case .malformed: return [("authorization", "Bearer not.a-token")]
        case .conflictingHeaders:
            return [
                ("authorization", "Bearer \(issuer.mint(subject: "alice", audience: GatewayHarness.audience))"),
                ("x-api-key", issuer.mint(subject: "bob", audience: GatewayHarness.audience)),
            ]
        }
    }

    @Test("refused tokens get a 401 in Anthropic format, are never forwarded, and are recorded without the token", arguments: Case.allCases)
    func refusal(_ refusal: Case) async throws {
        try await GatewayHarness.run { harness in
            let headers = Self.headers(for: refusal, harness: harness)
            let response = try await harness.send(headers: headers, body: messagesBody("hello"))
            #expect(response.status == 401)
            #expect(response.headers.value("x-should-retry") == "false")
            let envelope = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            #expect((envelope?["error"] as? [String: Any])?["type"] as? String == "authentication_error")
            #expect(harness.upstream.recorder.requests.isEmpty)
            let refusals = try await harness.store.refusals(since: nil, limit: 10)
            #expect(refusals.count == 1)
            #expect(refusals.first?.path == "/v1/messages")
            try await harness.store.shutdown()
            let database =
                try Data(contentsOf: URL(fileURLWithPath: harness.databasePath))
                + ((try? Data(contentsOf: URL(fileURLWithPath: harness.databasePath + "-wal"))) ?? Data())
            for (_, value) in headers {
                let token = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
                #expect(database.range(of: Data(token.utf8)) == nil, "the refused token reached the database")
            }
        }
    }

    @Test("a valid token passes via Authorization, via x-api-key, and via both (Claude Code's apiKeyHelper)")
    func acceptedCredentialForms() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token(claims: ["name": "Alice", "groups": ["platform", "oncall"]])
            for headers in [
                [("authorization", "Bearer \(token)")], [("x-api-key", token)], [("authorization", "Bearer \(token)"), ("x-api-key", token)],
            ] {
                let response = try await harness.send(headers: headers, body: messagesBody("hi"))
                #expect(response.status == 200)
            }
            let sessions = try await harness.store.sessions(matching: SessionQuery(user: "Alice"))
            #expect(sessions.first?.principal.groups == ["platform", "oncall"])
        }
    }

    @Test("IdP key rotation works without a restart, and unknown key ids cannot force unbounded JWKS fetches")
    func rotation() async throws {
        try await GatewayHarness.run { harness in
            #expect(try await harness.send(token: harness.token(), body: messagesBody("before")).status == 200)
            let fetchesBefore = harness.issuer.jwksFetchCount
            let oldKey = harness.issuer.currentKeyID
            _ = harness.issuer.rotate()
            harness.issuer.retire(kid: oldKey)
            #expect(try await harness.send(token: harness.token(), body: messagesBody("after rotation")).status == 200)
            #expect(harness.issuer.jwksFetchCount == fetchesBefore + 1)
            for index in 0..<20 {
                let header = try JSONSerialization.data(withJSONObject: ["alg": "ES256", "kid": "random-\(index)"])
                let claims = try JSONSerialization.data(withJSONObject: Self.claims(harness.issuer.issuer))
                let forged = harness.issuer.signRaw(header: header, payload: claims)
                #expect(try await harness.send(token: forged, body: messagesBody("x")).status == 401)
            }
            #expect(harness.issuer.jwksFetchCount == fetchesBefore + 1, "unknown kids are refetched at most once per interval")
        }
    }
}
