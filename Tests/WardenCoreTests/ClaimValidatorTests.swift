import Foundation
import Testing
import WardenCore

@Suite("Claim validator: time rules, audience, required claims and the principal")
struct ClaimValidatorTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let leeway: TimeInterval = 60

    // MARK: Time

    @Test("exp is required, and must be a number")
    func expiryRequired() {
        #expect(throws: TokenRefusal.missingClaim("exp")) { try validate(#"{"iss":"https://idp.example","sub":"a","aud":"w"}"#) }
        #expect(throws: TokenRefusal.missingClaim("exp")) {
            try validate(#"{"iss":"https://idp.example","sub":"a","aud":"w","exp":"1700003600"}"#)
        }
        #expect(throws: TokenRefusal.missingClaim("exp")) { try validate(#"{"iss":"https://idp.example","sub":"a","aud":"w","exp":true}"#) }
    }

    @Test("exp is enforced with leeway: just inside passes, at and past the edge is expired")
    func expiryLeeway() throws {
        let now = Self.now.timeIntervalSince1970
        #expect(try validate(standard(exp: now + 3600)).subject == "alice")
        #expect(try validate(standard(exp: now - 59)).subject == "alice")
        #expect(try validate(standard(exp: now - 59.999)).subject == "alice")
        #expect(throws: TokenRefusal.expired) { try validate(standard(exp: now - 60)) }
        #expect(throws: TokenRefusal.expired) { try validate(standard(exp: now - 61)) }
        #expect(throws: TokenRefusal.expired) { try validate(standard(exp: now - 86400)) }
        // With no leeway the edge moves to exp itself.
        #expect(try validate(standard(exp: now + 0.5), leeway: 0).subject == "alice")
        #expect(throws: TokenRefusal.expired) { try validate(standard(exp: now), leeway: 0) }
    }

    @Test("nbf in the future (beyond leeway) is not yet valid")
    func notBefore() throws {
        let now = Self.now.timeIntervalSince1970
        #expect(try validate(standard(extra: #""nbf":\#(now - 10)"#)).subject == "alice")
        #expect(try validate(standard(extra: #""nbf":\#(now + 60)"#)).subject == "alice")
        #expect(throws: TokenRefusal.notYetValid) { try validate(standard(extra: #""nbf":\#(now + 61)"#)) }
        #expect(throws: TokenRefusal.notYetValid) { try validate(standard(extra: #""nbf":\#(now + 1)"#), leeway: 0) }
    }

    @Test("iat in the future (beyond leeway) is refused")
    func issuedAt() throws {
        let now = Self.now.timeIntervalSince1970
        #expect(try validate(standard(extra: #""iat":\#(now - 300)"#)).subject == "alice")
        #expect(try validate(standard(extra: #""iat":\#(now + 60)"#)).subject == "alice")
        #expect(throws: TokenRefusal.issuedInFuture) { try validate(standard(extra: #""iat":\#(now + 61)"#)) }
        #expect(throws: TokenRefusal.issuedInFuture) { try validate(standard(extra: #""iat":\#(now + 0.5)"#), leeway: 0) }
    }

    @Test("expiry() reads exp as seconds since 1970")
    func expiryValue() {
        #expect(ClaimValidator.expiry(claims(#"{"exp":1700003600}"#)) == 1_700_003_600)
        #expect(ClaimValidator.expiry(claims(#"{"exp":1700003600.5}"#)) == 1_700_003_600.5)
        #expect(ClaimValidator.expiry(claims(#"{"exp":"1700003600"}"#)) == nil)
        #expect(ClaimValidator.expiry(claims(#"{}"#)) == nil)
    }

    // MARK: Issuer and audience

    @Test("an issuer that is not the policy's is untrusted; a missing iss is named (none)")
    func untrustedIssuer() {
        #expect(throws: TokenRefusal.untrustedIssuer("https://evil.example")) {
            try validate(standard(issuer: "https://evil.example"))
        }
        #expect(throws: TokenRefusal.untrustedIssuer("https://idp.example/")) {
            try validate(standard(issuer: "https://idp.example/"))
        }
        #expect(throws: TokenRefusal.untrustedIssuer("(none)")) { try validate(#"{"sub":"a","aud":"w","exp":1800000000}"#) }
        #expect(throws: TokenRefusal.untrustedIssuer("(none)")) { try validate(#"{"iss":7,"sub":"a","aud":"w","exp":1800000000}"#) }
    }

    @Test("an alternate spelling of the issuer is accepted, and the principal carries the canonical issuer")
    func alternateIssuer() throws {
        let principal = try validate(standard(issuer: "accounts.google.com"), policy: makePolicy(alternateIssuers: ["accounts.google.com"]))
        #expect(principal.issuer == "https://idp.example")
        #expect(throws: TokenRefusal.untrustedIssuer("accounts.google.com")) { try validate(standard(issuer: "accounts.google.com")) }
    }

    @Test(
        "aud as a string or an array must contain one configured audience",
        arguments: [
            (#""w""#, true),
            (#"["x","w"]"#, true),
            (#"["w"]"#, true),
            (#""https://claude-gw.example.com""#, true),
            (#""x""#, false),
            (#"["x","y"]"#, false),
            (#"[]"#, false),
            (#""W""#, false),
            (#""ww""#, false),
            (#"{"w":true}"#, false),
        ]
    )
    func audience(aud: String, accepted: Bool) {
        let token = #"{"iss":"https://idp.example","sub":"a","exp":1800000000,"aud":\#(aud)}"#
        let policy = makePolicy(audiences: ["w", "https://claude-gw.example.com"])
        if accepted {
            #expect(throws: Never.self) { try validate(token, policy: policy) }
        } else {
            #expect(throws: TokenRefusal.audienceMismatch) { try validate(token, policy: policy) }
        }
    }

    @Test("a token without aud is refused")
    func missingAudience() {
        #expect(throws: TokenRefusal.audienceMismatch) { try validate(#"{"iss":"https://idp.example","sub":"a","exp":1800000000}"#) }
    }

    // MARK: Required claims and token types

    @Test("required claims: string and array values, any accepted element passes")
    func requiredClaims() throws {
        let policy = makePolicy(requiredClaims: ["repository_owner": ["acme", "acme-labs"], "environment": ["production"]])
        let base = #""iss":"https://idp.example","sub":"a","aud":"w","exp":1800000000"#
        #expect(throws: Never.self) { try validate(#"{\#(base),"repository_owner":"acme","environment":"production"}"#, policy: policy) }
        #expect(throws: Never.self) {
            try validate(#"{\#(base),"repository_owner":["other","acme-labs"],"environment":["production"]}"#, policy: policy)
        }
        #expect(throws: TokenRefusal.claimMismatch("repository_owner")) {
            try validate(#"{\#(base),"repository_owner":"evil","environment":"production"}"#, policy: policy)
        }
        #expect(throws: TokenRefusal.claimMismatch("repository_owner")) {
            try validate(#"{\#(base),"repository_owner":["evil","ACME"],"environment":"production"}"#, policy: policy)
        }
        #expect(throws: TokenRefusal.claimMismatch("repository_owner")) {
            try validate(#"{\#(base),"repository_owner":[],"environment":"production"}"#, policy: policy)
        }
        #expect(throws: TokenRefusal.missingClaim("environment")) { try validate(#"{\#(base),"repository_owner":"acme"}"#, policy: policy) }
        #expect(throws: TokenRefusal.claimMismatch("environment")) {
            try validate(#"{\#(base),"repository_owner":"acme","environment":"staging"}"#, policy: policy)
        }
    }

    @Test("required claims match numbers and booleans by their text")
    func requiredScalarClaims() {
        let policy = makePolicy(requiredClaims: ["repository_owner_id": ["123456"], "email_verified": ["true"]])
        let base = #""iss":"https://idp.example","sub":"a","aud":"w","exp":1800000000"#
        #expect(throws: Never.self) { try validate(#"{\#(base),"repository_owner_id":123456,"email_verified":true}"#, policy: policy) }
        #expect(throws: TokenRefusal.claimMismatch("email_verified")) {
            try validate(#"{\#(base),"repository_owner_id":123456,"email_verified":false}"#, policy: policy)
        }
        #expect(throws: TokenRefusal.claimMismatch("repository_owner_id")) {
            try validate(#"{\#(base),"repository_owner_id":654321,"email_verified":true}"#, policy: policy)
        }
    }

    @Test("token_types: typ must be one of them, in any case; empty accepts any")
    func tokenTypes() {
        let typed = makePolicy(tokenTypes: ["JWT", "at+jwt"])
        let token = standard()
        #expect(throws: Never.self) { try validate(token, header: ["typ": "jwt"], policy: typed) }
        #expect(throws: Never.self) { try validate(token, header: ["typ": "AT+JWT"], policy: typed) }
        #expect(throws: TokenRefusal.wrongTokenType("id_token")) { try validate(token, header: ["typ": "id_token"], policy: typed) }
        #expect(throws: TokenRefusal.wrongTokenType("")) { try validate(token, header: [:], policy: typed) }
        #expect(throws: Never.self) { try validate(token, header: ["typ": "anything"]) }
        #expect(throws: Never.self) { try validate(token, header: [:]) }
    }

    // MARK: The principal

    @Test("the principal maps subject, display name, groups and the configured attributes")
    func principalMapping() throws {
        let token = #"""
            {"iss":"https://idp.example","sub":"00u1abcd","aud":"w","exp":1800000000,"email":"alice@example.com",
             "groups":["eng","admins"],"repository":"acme/app","workflow":"ci","ref":"refs/heads/main","unlisted":"x"}
            """#
        let principal = try validate(token, policy: makePolicy(attributeClaims: ["repository", "workflow", "ref", "sha"]))
        #expect(principal.issuer == "https://idp.example")
        #expect(principal.subject == "00u1abcd")
        #expect(principal.displayName == "alice@example.com")
        #expect(principal.label == "alice@example.com")
        #expect(principal.groups == ["eng", "admins"])
        #expect(principal.attributes == ["repository": "acme/app", "workflow": "ci", "ref": "refs/heads/main"])
        #expect(principal.runID == nil)
    }

    @Test("the subject, display name and groups claims are configurable; nil claims map to nothing")
    func claimMapping() throws {
        let token = #"""
            {"iss":"https://idp.example","sub":"repo:acme/app:ref:refs/heads/main","aud":"w","exp":1800000000,
             "actor":"octocat","email":"bob@example.com","roles":"reader","groups":["eng"]}
            """#
        let mapped = try validate(
            token,
            policy: makePolicy(subjectClaim: "email", displayNameClaim: "actor", groupsClaim: "roles")
        )
        #expect(mapped.subject == "bob@example.com")
        #expect(mapped.displayName == "octocat")
        #expect(mapped.groups == ["reader"])

        let none = try validate(token, policy: makePolicy(displayNameClaim: nil, groupsClaim: nil))
        #expect(none.subject == "repo:acme/app:ref:refs/heads/main")
        #expect(none.displayName == nil)
        #expect(none.label == "repo:acme/app:ref:refs/heads/main")
        #expect(none.groups.isEmpty)

        let absent = try validate(token, policy: makePolicy(displayNameClaim: "name", groupsClaim: "teams"))
        #expect(absent.displayName == nil)
        #expect(absent.groups.isEmpty)
    }

    @Test("a missing or empty subject claim is refused, naming the configured claim")
    func missingSubject() {
        #expect(throws: TokenRefusal.missingClaim("sub")) { try validate(#"{"iss":"https://idp.example","aud":"w","exp":1800000000}"#) }
        #expect(throws: TokenRefusal.missingClaim("sub")) {
            try validate(#"{"iss":"https://idp.example","sub":"","aud":"w","exp":1800000000}"#)
        }
        #expect(throws: TokenRefusal.missingClaim("oid")) { try validate(standard(), policy: makePolicy(subjectClaim: "oid")) }
    }

    @Test("attributes: numbers and booleans become strings, objects are skipped")
    func attributeValues() throws {
        let token = #"""
            {"iss":"https://idp.example","sub":"a","aud":"w","exp":1800000000,
             "run_id":9876543210,"job_id":42,"ratio":1.5,"flag":true,"nested":{"a":1},"list":["x"],"nothing":null}
            """#
        let principal = try validate(token, policy: makePolicy(attributeClaims: ["run_id", "job_id", "ratio", "flag", "nested", "list", "nothing"]))
        #expect(principal.attributes["run_id"] == "9876543210")
        #expect(principal.attributes["job_id"] == "42")
        #expect(principal.attributes["ratio"] == "1.5")
        #expect(principal.attributes["flag"] == "true")
        #expect(principal.attributes["nested"] == nil)
        #expect(principal.attributes["list"] == nil)
        #expect(principal.attributes["nothing"] == nil)
    }

    /// On Linux, `NSNumber(1) is Bool` holds, so a naive reader turns the number 1 into "true".
    @Test("the numbers 0 and 1 become \"0\" and \"1\", not \"false\" and \"true\"")
    func zeroAndOneAttributes() throws {
        let token = #"{"iss":"https://idp.example","sub":"a","aud":"w","exp":1800000000,"run_attempt":1,"job_id":0}"#
        let principal = try validate(token, policy: makePolicy(attributeClaims: ["run_attempt", "job_id"]))
        #expect(principal.attributes["run_attempt"] == "1")
        #expect(principal.attributes["job_id"] == "0")
    }

    // MARK: CI runs

    @Test(
        "GitHub run_id gives github:repository/run/attempt; GitLab pipeline_id gives gitlab:project/pipeline",
        arguments: [
            (#""run_id":"8123456789","repository":"acme/app","run_attempt":"2""#, "github:acme/app/8123456789/2"),
            (#""run_id":"8123456789","repository":"acme/app""#, "github:acme/app/8123456789/1"),
            (#""run_id":8123456789,"repository":"acme/app","run_attempt":3"#, "github:acme/app/8123456789/3"),
            (#""run_id":"55""#, "github:?/55/1"),
            (#""pipeline_id":"1234567","project_path":"group/sub/project""#, "gitlab:group/sub/project/1234567"),
            (#""pipeline_id":1234567,"project_path":"group/project""#, "gitlab:group/project/1234567"),
            (#""pipeline_id":"99""#, "gitlab:?/99"),
            (#""run_id":"7","repository":"a/b","pipeline_id":"9","project_path":"g/p""#, "github:a/b/7/1"),
        ]
    )
    func runID(claimsText: String, expected: String) throws {
        let token = #"{"iss":"https://idp.example","sub":"a","aud":"w","exp":1800000000,\#(claimsText)}"#
        #expect(try validate(token).runID == expected)
    }

    @Test("a token from no CI run has no run id")
    func noRunID() throws {
        #expect(try validate(standard(extra: #""repository":"acme/app","project_path":"g/p""#)).runID == nil)
    }

    @Test("a numeric run_attempt of 1 keeps the GitHub run id format")
    func numericFirstAttempt() throws {
        let token = #"{"iss":"https://idp.example","sub":"a","aud":"w","exp":1800000000,"run_id":77,"repository":"acme/app","run_attempt":1}"#
        let principal = try validate(token)
        #expect(principal.runID == "github:acme/app/77/1")
    }
}

// MARK: - Helpers

private func claims(_ json: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
}

private func standard(issuer: String = "https://idp.example", exp: TimeInterval = 1_800_000_000, extra: String? = nil) -> String {
    let rest = extra.map { ",\($0)" } ?? ""
    return #"{"iss":"\#(issuer)","sub":"alice","aud":"w","exp":\#(exp)\#(rest)}"#
}

private func makePolicy(
    alternateIssuers: [String] = [],
    audiences: [String] = ["w"],
    subjectClaim: String = "sub",
    displayNameClaim: String? = "email",
    groupsClaim: String? = "groups",
    requiredClaims: [String: [String]] = [:],
    attributeClaims: [String] = IssuerPolicy.defaultAttributeClaims,
    tokenTypes: [String] = []
) -> IssuerPolicy {
    IssuerPolicy(
        issuer: "https://idp.example",
        alternateIssuers: alternateIssuers,
        audiences: audiences,
        subjectClaim: subjectClaim,
        displayNameClaim: displayNameClaim,
        groupsClaim: groupsClaim,
        requiredClaims: requiredClaims,
        attributeClaims: attributeClaims,
        tokenTypes: tokenTypes
    )
}

@discardableResult
private func validate(
    _ json: String,
    header: [String: Any] = ["alg": "RS256", "typ": "JWT"],
    policy: IssuerPolicy = makePolicy(),
    leeway: TimeInterval = ClaimValidatorTests.leeway
) throws(TokenRefusal) -> Principal {
    let parsed = claims(json)
    if parsed.isEmpty && json != "{}" { Issue.record("test JSON does not parse: \(json)") }
    return try ClaimValidator.principal(header: header, claims: parsed, policy: policy, now: ClaimValidatorTests.now, leeway: leeway)
}
