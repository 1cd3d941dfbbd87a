/// How an exchange ended. `open` exists only between the opening record and the closing one;
/// a restart turns any leftover `open` into `interrupted`.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case open
    case complete
    case clientAborted = "client_aborted"
    case upstreamFailed = "upstream_failed"
    case truncated
    case interrupted
    /// A guardrail rule with the `block` action stopped the request before forwarding, or cut the answer.
    case blocked
}
