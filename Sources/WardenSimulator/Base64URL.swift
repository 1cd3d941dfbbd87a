import Foundation

/// Base64url without padding (RFC 7515 §2), the encoding of every JWS segment and JWK coordinate.
func base64URL(_ bytes: some DataProtocol) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
