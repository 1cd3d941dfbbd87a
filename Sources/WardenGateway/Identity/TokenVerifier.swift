import Crypto
import Foundation
import JWTKit
import Synchronization
import WardenCore

/// A caller proven by its token, and the token's fingerprints for the record (never the token).
public struct VerifiedCaller: Sendable {
    public var principal: Principal
    public var tokenHash: String
    public var tokenID: String?
}

/// Verifies the caller's OIDC token on every request. The steady state is one SHA-256 and one dictionary
/// lookup: a token that verified once is trusted by its hash until it expires.
public final class TokenVerifier: Sendable {
    /// A refusal, with what the token claimed so the refused attempt can say who it pretended to be.
    public struct Refusal: Error, Sendable {
        public var reason: TokenRefusal
        public var claimedIssuer: String?
        public var claimedSubject: String?
        public var tokenHash: String?
    }

    private struct Issuer: Sendable {
        var policy: IssuerPolicy
        var keys: IssuerKeys
    }

    private let issuers: [String: Issuer]
    private let leeway: TimeInterval
    private let cache: VerdictCache
    private let now: @Sendable () -> Date

    init(
        policies: [IssuerPolicy],
        identity: WardenConfiguration.Identity,
        fetcher: (IssuerPolicy) -> IssuerKeys.Fetch,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.leeway = Double(identity.clockSkew.components.seconds)
        let cache = VerdictCache(limit: identity.verifiedTokenCacheSize)
        self.cache = cache
        self.now = now
        var issuers: [String: Issuer] = [:]
        for policy in policies {
            let keys = IssuerKeys(
                fetch: fetcher(policy),
                ttl: identity.jwksTTL,
                minimumRefreshInterval: identity.jwksMinimumRefreshInterval,
                onKeysRemoved: { cache.removeAll() }
            )
            for name in policy.issuerNames { issuers[name] = Issuer(policy: policy, keys: keys) }
        }
        self.issuers = issuers
    }

    /// The token from `Authorization: Bearer` or `x-api-key` (Claude Code's apiKeyHelper sends both, equal).
    public static func token(from headers: [HeaderField]) throws(TokenRefusal) -> String {
        var bearer: String?
        if let authorization = headers.first(named: "authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .malformed("Authorization is not a Bearer token") }
            bearer = parts[1].trimmingHTTPWhitespace
        }
        let apiKey = headers.first(named: "x-api-key")?.trimmingHTTPWhitespace
        switch (bearer, apiKey) {
        case (let bearer?, let apiKey?) where !apiKey.isEmpty && bearer != apiKey: throw .conflictingCredentials
        case (let bearer?, _) where !bearer.isEmpty: return bearer
        case (_, let apiKey?) where !apiKey.isEmpty: return apiKey
        default: throw .missing
        }
    }

    public func verify(headers: [HeaderField]) async throws(Refusal) -> VerifiedCaller {
        let token: String
        do {
            token = try Self.token(from: headers)
        } catch {
            throw Refusal(reason: error)
        }
        guard token.utf8.count <= CompactToken.maximumLength else {
            throw Refusal(reason: .tooLarge(limit: CompactToken.maximumLength))
        }
        let tokenHash = SHA256.hash(data: Data(token.utf8)).hexString
        let clock = now()
        if let caller = cache.caller(for: tokenHash, at: clock.timeIntervalSince1970 - leeway) {
            return caller
        }
        let compact: CompactToken
        do {
            compact = try CompactToken(token)
        } catch {
            throw Refusal(reason: error, tokenHash: tokenHash)
        }
        let refusal = { (reason: TokenRefusal) in
            Refusal(reason: reason, claimedIssuer: compact.issuer, claimedSubject: compact.subject, tokenHash: tokenHash)
        }
        guard let issuerName = compact.issuer, let issuer = issuers[issuerName] else {
            throw refusal(.untrustedIssuer(compact.issuer ?? "(none)"))
        }
        guard issuer.policy.algorithms.contains(compact.algorithm) else { throw refusal(.algorithmNotAllowed(compact.algorithm)) }
        do {
            let collection = try await issuer.keys.collection(for: compact.keyID)
            _ = try await collection.verify(token, as: SignatureOnly.self)
        } catch let reason as TokenRefusal {
            throw refusal(reason)
        } catch {
            throw refusal(.badSignature)
        }
        let principal: Principal
        do {
            principal = try ClaimValidator.principal(
                header: compact.header,
                claims: compact.claims,
                policy: issuer.policy,
                now: clock,
                leeway: leeway
            )
        } catch {
            throw refusal(error)
        }
        let caller = VerifiedCaller(principal: principal, tokenHash: tokenHash, tokenID: compact.claims["jti"] as? String)
        if let expiry = ClaimValidator.expiry(compact.claims) {
            cache.store(caller, for: tokenHash, expiry: expiry)
        }
        return caller
    }
}

/// jwt-kit checks only the signature; Warden reads and checks the claims itself (ClaimValidator), with its own clock.
private struct SignatureOnly: JWTPayload {
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {}
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
