/// Why a token was refused. The description goes to the caller, the log and the refusal record, so it
/// never contains the token or any part of a signature.
public enum TokenRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case conflictingCredentials
    case tooLarge(limit: Int)
    case malformed(String)
    case algorithmNone
    case algorithmNotAllowed(String)
    case embeddedKey(String)
    case unsupportedCritical
    case untrustedIssuer(String)
    case unknownKey(String)
    case keysUnavailable
    case badSignature
    case expired
    case notYetValid
    case issuedInFuture
    case missingClaim(String)
    case audienceMismatch
    case claimMismatch(String)
    case wrongTokenType(String)

    public var description: String {
        switch self {
        case .missing: "no token in Authorization or x-api-key"
        case .conflictingCredentials: "Authorization and x-api-key carry different tokens"
        case .tooLarge(let limit): "token longer than \(limit) bytes"
        case .malformed(let why): "malformed token: \(why)"
        case .algorithmNone: "unsigned token (alg none)"
        case .algorithmNotAllowed(let alg): "algorithm \(alg.boundedTo(16)) is not allowed for this issuer"
        case .embeddedKey(let header): "token header offers its own key (\(header)); keys come only from the issuer"
        case .unsupportedCritical: "token header has crit extensions Warden does not understand"
        case .untrustedIssuer(let issuer): "issuer \(issuer.boundedTo(200)) is not trusted"
        case .unknownKey(let kid): "signing key \(kid.boundedTo(64)) is not published by the issuer"
        case .keysUnavailable: "the issuer's signing keys could not be fetched"
        case .badSignature: "signature does not verify"
        case .expired: "token expired"
        case .notYetValid: "token not yet valid"
        case .issuedInFuture: "token issued in the future"
        case .missingClaim(let claim): "required claim \(claim) is missing"
        case .audienceMismatch: "token audience is not Warden's"
        case .claimMismatch(let claim): "claim \(claim) does not have an allowed value"
        case .wrongTokenType(let type): "token type \(type.boundedTo(32)) is not accepted"
        }
    }
}

extension StringProtocol {
    /// At most `bytes` bytes of UTF-8, cut between Unicode scalars, so attacker-controlled text cannot grow a message.
    func boundedTo(_ bytes: Int) -> String {
        var result = ""
        var used = 0
        for scalar in unicodeScalars {
            used += String(scalar).utf8.count
            if used > bytes { break }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
