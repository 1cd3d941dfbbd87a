import Foundation

/// Checks the claims of a token whose signature already verified, and maps them to a Principal.
/// Pure: the clock is a parameter, so every time rule is tested without waiting.
public enum ClaimValidator {
    public static func principal(
        header: [String: Any],
        claims: [String: Any],
        policy: IssuerPolicy,
        now: Date,
        leeway: TimeInterval
    ) throws(TokenRefusal) -> Principal {
        if !policy.tokenTypes.isEmpty {
            let type = header["typ"] as? String ?? ""
            guard policy.tokenTypes.contains(where: { $0.caseInsensitiveCompare(type) == .orderedSame }) else {
                throw .wrongTokenType(type)
            }
        }
        guard let issuer = claims["iss"] as? String, policy.issuerNames.contains(issuer) else {
            throw .untrustedIssuer(claims["iss"] as? String ?? "(none)")
        }
        let clock = now.timeIntervalSince1970
        guard let expiry = number(claims["exp"]) else { throw .missingClaim("exp") }
        guard clock < expiry + leeway else { throw .expired }
        if let notBefore = number(claims["nbf"]), clock + leeway < notBefore { throw .notYetValid }
        if let issuedAt = number(claims["iat"]), clock + leeway < issuedAt { throw .issuedInFuture }
        let audiences = strings(claims["aud"])
        guard audiences.contains(where: policy.audiences.contains) else { throw .audienceMismatch }
        for (name, accepted) in policy.requiredClaims.sorted(by: { $0.key < $1.key }) {
            guard let value = claims[name] else { throw .missingClaim(name) }
            guard strings(value).contains(where: accepted.contains) else { throw .claimMismatch(name) }
        }
        guard let subject = scalar(claims[policy.subjectClaim]), !subject.isEmpty else { throw .missingClaim(policy.subjectClaim) }
        var attributes: [String: String] = [:]
        for name in policy.attributeClaims {
            if let value = scalar(claims[name]) { attributes[name] = value }
        }
        return Principal(
            issuer: policy.issuer,
            subject: subject,
            displayName: policy.displayNameClaim.flatMap { scalar(claims[$0]) },
            groups: policy.groupsClaim.map { strings(claims[$0]) } ?? [],
            attributes: attributes,
            runID: runID(claims)
        )
    }

    /// Expiry as seconds since 1970, for the verified-token cache.
    public static func expiry(_ claims: [String: Any]) -> TimeInterval? { number(claims["exp"]) }

    /// One session per CI run: GitHub's run (and attempt), GitLab's pipeline.
    static func runID(_ claims: [String: Any]) -> String? {
        if let run = scalar(claims["run_id"]) {
            let repository = scalar(claims["repository"]) ?? "?"
            return "github:\(repository)/\(run)/\(scalar(claims["run_attempt"]) ?? "1")"
        }
        if let pipeline = scalar(claims["pipeline_id"]) {
            return "gitlab:\(scalar(claims["project_path"]) ?? "?")/\(pipeline)"
        }
        return nil
    }

    static func number(_ value: Any?) -> TimeInterval? { JSONScalar.number(value) }

    static func scalar(_ value: Any?) -> String? { JSONScalar.text(value) }

    static func strings(_ value: Any?) -> [String] {
        if let array = value as? [Any] { return array.compactMap(scalar) }
        return scalar(value).map { [$0] } ?? []
    }
}
