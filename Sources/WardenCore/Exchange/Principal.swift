/// Who made a request, as established from a verified token: the stable identity (issuer + subject),
/// what humans read (display name), what policy matches on (groups) and the CI context auditors ask for.
public struct Principal: Sendable, Hashable, Codable {
    public var issuer: String
    public var subject: String
    public var displayName: String?
    public var groups: [String]
    /// Selected claims such as `repository`, `workflow`, `run_id`, `ref` (configured per issuer).
    public var attributes: [String: String]
    /// The CI run (GitHub Actions run, GitLab pipeline) the token was issued to; it groups a job's calls into one session.
    public var runID: String?

    public init(
        issuer: String,
        subject: String,
        displayName: String? = nil,
        groups: [String] = [],
        attributes: [String: String] = [:],
        runID: String? = nil
    ) {
        self.issuer = issuer
        self.subject = subject
        self.displayName = displayName
        self.groups = groups
        self.attributes = attributes
        self.runID = runID
    }

    /// What a person reads in listings: the display name when there is one, else the subject.
    public var label: String { displayName ?? subject }
}
