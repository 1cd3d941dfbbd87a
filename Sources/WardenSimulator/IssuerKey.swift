import Crypto
import Foundation

/// A P-256 signing key of the development issuer, with the JWK that publishes it.
struct IssuerKey: Sendable {
    var kid: String
    var privateKey: P256.Signing.PrivateKey

    init(privateKey: P256.Signing.PrivateKey, kid: String? = nil) {
        self.privateKey = privateKey
        self.kid = kid ?? Self.thumbprint(of: privateKey.publicKey)
    }

    /// The public JWK as a JWKS lists it.
    var jwk: JSONText {
        let (x, y) = Self.coordinates(of: privateKey.publicKey)
        return .object(["kty": "EC", "crv": "P-256", "x": .string(x), "y": .string(y), "kid": .string(kid), "alg": "ES256", "use": "sig"])
    }

    /// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url.
    static func thumbprint(of publicKey: P256.Signing.PublicKey) -> String {
        let (x, y) = coordinates(of: publicKey)
        let canonical = JSONText.object(["crv": "P-256", "kty": "EC", "x": .string(x), "y": .string(y)]).text
        return base64URL(Data(SHA256.hash(data: Data(canonical.utf8))))
    }

    /// The base64url x and y: the two 32-byte halves of the raw public key.
    private static func coordinates(of publicKey: P256.Signing.PublicKey) -> (x: String, y: String) {
        let raw = publicKey.rawRepresentation
        return (base64URL(raw.prefix(32)), base64URL(raw.suffix(32)))
    }

    /// An ES256 JWS in compact form; the signature is the 64-byte r‖s (RFC 7518 §3.4), not DER.
    func sign(header: Data, payload: Data) -> String {
        let signingInput = base64URL(header) + "." + base64URL(payload)
        do {
            return signingInput + "." + base64URL(try privateKey.signature(for: Data(signingInput.utf8)).rawRepresentation)
        } catch {
            preconditionFailure("P-256 signing with a valid key cannot fail: \(error)")
        }
    }
}
