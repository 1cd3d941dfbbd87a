/// What Warden accepts from one trusted issuer: written by a platform engineer in the configuration,
/// applied to every token that names this issuer.
public struct IssuerPolicy: Sendable, Equatable {
    /// CI context worth keeping on every exchange when the token carries it (GitHub Actions, GitLab CI, Google, Entra).
    public static let defaultAttributeClaims = [
        "repository", "repository_id", "repository_owner", "workflow", "workflow_ref", "job_workflow_ref", "run_id", "run_attempt",
        "ref", "sha", "actor", "environment", "event_name", "runner_environment", "project_path", "project_id", "namespace_path",
        "pipeline_id", "pipeline_source", "job_id", "user_login", "email", "azp", "tid", "oid",
    ]

    public var issuer: String
    /// Other spellings of the same issuer (Google signs `accounts.google.com` as well as `https://accounts.google.com`).
    public var alternateIssuers: [String]
    public var audiences: [String]
    public var algorithms: [String]
    /// Where keys come from; nil means OIDC discovery from `issuer`.
    public var jwksURI: String?
    /// A local JWKS file, for air-gapped installs and the development issuer.
    public var jwksFile: String?
    public var subjectClaim: String
    public var displayNameClaim: String?
    public var groupsClaim: String?
    /// Claim name → accepted values; a claim holding an array passes when any element is accepted.
    public var requiredClaims: [String: [String]]
    public var attributeClaims: [String]
    /// Accepted `typ` header values; empty accepts any.
    public var tokenTypes: [String]

    public init(
        issuer: String,
        alternateIssuers: [String] = [],
        audiences: [String],
        algorithms: [String] = ["RS256"],
        jwksURI: String? = nil,
        jwksFile: String? = nil,
        subjectClaim: String = "sub",
        displayNameClaim: String? = "email",
        groupsClaim: String? = "groups",
        requiredClaims: [String: [String]] = [:],
        attributeClaims: [String] = IssuerPolicy.defaultAttributeClaims,
        tokenTypes: [String] = []
    ) {
        self.issuer = issuer
        self.alternateIssuers = alternateIssuers
        self.audiences = audiences
        self.algorithms = algorithms
        self.jwksURI = jwksURI
        self.jwksFile = jwksFile
        self.subjectClaim = subjectClaim
        self.displayNameClaim = displayNameClaim
        self.groupsClaim = groupsClaim
        self.requiredClaims = requiredClaims
        self.attributeClaims = attributeClaims
        self.tokenTypes = tokenTypes
    }

    public var issuerNames: [String] { [issuer] + alternateIssuers }
}
