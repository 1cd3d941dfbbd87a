import Crypto
import Foundation
import Synchronization
import WardenCore

/// An OIDC issuer for development and tests: it mints ES256 tokens, publishes its keys as a JWKS and can rotate
/// them, so `warden dev token`, `warden serve --dev`, the demo and the tests need no real identity provider.
public final class DevelopmentIssuer: Sendable {
    public let issuer: String
    /// Current key first; older keys stay published until retired, as during a real rotation.
    private let keys: Mutex<[IssuerKey]>
    let jwksFetches = Mutex(0)

    /// `kid` defaults to the RFC 7638 thumbprint of the public key, so the same key always has the same id.
    public init(issuer: String, key: P256.Signing.PrivateKey = .init(), kid: String? = nil) {
        self.issuer = issuer
        self.keys = Mutex([IssuerKey(privateKey: key, kid: kid)])
    }

    public var currentKeyID: String {
        keys.withLock { $0[0].kid }
    }

    /// Makes a new key current and keeps publishing the previous ones; returns the new key id.
    @discardableResult
    public func rotate() -> String {
        let key = IssuerKey(privateKey: .init())
        keys.withLock { $0.insert(key, at: 0) }
        return key.kid
    }

    /// Stops publishing a previous key. The current key cannot be retired (it signs new tokens); rotate first.
    public func retire(kid: String) {
        keys.withLock { keys in
            let current = keys[0].kid
            keys.removeAll { $0.kid == kid && $0.kid != current }
        }
    }

    /// `{"keys":[{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig"}, …]}`
    public func jwksJSON() -> Data {
        let jwks = keys.withLock { keys in JSONText.object(["keys": .array(keys.map(\.jwk))]) }
        return Data(jwks.text.utf8)
    }

    /// The OpenID Provider metadata a verifier reads to find `jwks_uri`.
    public func discoveryJSON(jwksURI: String) -> Data {
        let document: JSONText = .object([
            "issuer": .string(issuer),
            "jwks_uri": .string(jwksURI),
            "response_types_supported": .array(["id_token"]),
            "subject_types_supported": .array(["public"]),
            "id_token_signing_alg_values_supported": .array(["ES256"]),
        ])
        return Data(document.text.utf8)
    }

    /// A signed token with `iss`, `sub`, `aud`, `iat`, `nbf`, `exp` (now + `ttl`, so a negative ttl gives an
    /// expired token) and a random `jti`; `claims` override any of them.
    public func mint(subject: String, audience: String, ttl: Duration = .seconds(3600), claims: [String: JSONValue] = [:]) -> String {
        let now = Int(Date.now.timeIntervalSince1970)
        let defaults: [String: JSONValue] = [
            "iss": .string(issuer),
            "sub": .string(subject),
            "aud": .string(audience),
            "iat": .number(Double(now)),
            "nbf": .number(Double(now)),
            "exp": .number(Double(now) + Double(ttl.components.seconds)),
            "jti": .string(UUID().uuidString.lowercased()),
        ]
        let payload = defaults.merging(claims) { _, override in override }
        let key = keys.withLock { $0[0] }
        let header: JSONText = .object(["alg": "ES256", "typ": "JWT", "kid": .string(key.kid)])
        return key.sign(header: Data(header.text.utf8), payload: Data(JSONText(.object(payload)).text.utf8))
    }

    /// Signs arbitrary header and payload bytes with the current key, for tests that craft hostile tokens
    /// (`alg: none`, `jku`, `crit`, wrong `kid`, …) which `mint` would never produce.
    public func signRaw(header: Data, payload: Data) -> String {
        keys.withLock { $0[0] }.sign(header: header, payload: payload)
    }
}
