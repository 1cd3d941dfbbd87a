import Foundation
import WardenCore
import WardenSimulator

/// The development issuer that `warden dev token` signs with and `warden serve --dev` trusts. Its key lives in the
/// data directory; nothing trusts it unless `--dev` is given.
enum DevelopmentIdentity {
    static let issuer = "https://warden-dev.invalid"
    static let audience = "warden"

    static func issuer(dataDirectory: String) throws -> DevelopmentIssuer {
        try DevelopmentIssuer.loadOrCreate(issuer: issuer, keyFile: URL(fileURLWithPath: dataDirectory).appendingPathComponent("dev-issuer-key.pem"))
    }

    /// Writes the issuer's JWKS next to its key and returns the policy that trusts it.
    static func policy(dataDirectory: String) throws -> IssuerPolicy {
        let issuer = try issuer(dataDirectory: dataDirectory)
        let jwksFile = URL(fileURLWithPath: dataDirectory).appendingPathComponent("dev-issuer-jwks.json")
        try issuer.jwksJSON().write(to: jwksFile, options: .atomic)
        return IssuerPolicy(
            issuer: Self.issuer,
            audiences: [audience],
            algorithms: ["ES256"],
            jwksFile: jwksFile.path,
            displayNameClaim: "name"
        )
    }
}
