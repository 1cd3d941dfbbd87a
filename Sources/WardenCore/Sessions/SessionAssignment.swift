/// Where a session's identity came from, strongest evidence first (DESIGN.md "Sessions").
public enum SessionSource: String, Sendable, Codable, CaseIterable {
    /// `X-Claude-Code-Session-Id`, or the session id Claude Code puts in `metadata.user_id`.
    case claudeCode = "claude_code"
    /// An explicit `X-Warden-Session` header.
    case header
    /// The CI run the caller's token belongs to.
    case ciRun = "ci_run"
    /// Inferred: this request's messages extend an earlier request's messages.
    case conversation
}

/// The evidence for which session a request belongs to; the store turns it into a session id.
public struct SessionAssignment: Sendable, Hashable {
    public var source: SessionSource
    /// The external key for every source but `conversation`.
    public var key: String?
    /// Digests of the message-list prefixes of this request, longest first, excluding the whole list.
    public var conversationPrefixes: [String]
    /// Digest of the whole message list, registered so the next turn can find this session.
    public var conversationDigest: String?

    public init(source: SessionSource, key: String? = nil, conversationPrefixes: [String] = [], conversationDigest: String? = nil) {
        self.source = source
        self.key = key
        self.conversationPrefixes = conversationPrefixes
        self.conversationDigest = conversationDigest
    }
}
