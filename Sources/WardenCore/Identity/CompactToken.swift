import Foundation

/// A JWS compact token split and decoded but not yet trusted: the gateway reads `iss` and `kid` from it to
/// choose the verifier, and refuses hostile headers before any cryptography runs (RFC 8725).
public struct CompactToken: @unchecked Sendable {
    public static let maximumLength = 16 * 1024

    public let header: [String: Any]
    public let claims: [String: Any]
    public let algorithm: String
    public let keyID: String?

    public init(_ token: String) throws(TokenRefusal) {
        guard token.utf8.count <= Self.maximumLength else { throw .tooLarge(limit: Self.maximumLength) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected three dot-separated parts") }
        guard parts.allSatisfy({ $0.utf8.allSatisfy(Self.isBase64URL) }) else { throw .malformed("not base64url") }
        guard let header = Self.object(parts[0]) else { throw .malformed("header is not a JSON object") }
        guard let claims = Self.object(parts[1]) else { throw .malformed("payload is not a JSON object") }
        guard let algorithm = header["alg"] as? String else { throw .malformed("header has no alg") }
        if algorithm.lowercased() == "none" { throw .algorithmNone }
        for name in ["jku", "x5u", "jwk", "x5c"] where header[name] != nil {
            throw .embeddedKey(name)
        }
        if header["crit"] != nil { throw .unsupportedCritical }
        if let kid = header["kid"], !(kid is String) { throw .malformed("kid is not a string") }
        let keyID = header["kid"] as? String
        if let keyID, keyID.utf8.count > 256 { throw .malformed("kid too long") }
        guard parts[2].isEmpty == false else { throw .malformed("empty signature") }
        self.header = header
        self.claims = claims
        self.algorithm = algorithm
        self.keyID = keyID
    }

    public var issuer: String? { claims["iss"] as? String }
    public var subject: String? { claims["sub"] as? String }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }

    private static func object(_ segment: Substring) -> [String: Any]? {
        guard let data = Data(base64URL: segment) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

extension Data {
    /// Decodes unpadded base64url (RFC 4648 §5) as JWS uses it.
    public init?(base64URL text: some StringProtocol) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        self.init(base64Encoded: base64)
    }
}
