/// What one leaf of the ledger asserts: the metadata of a closed exchange, a refused attempt or a read of the
/// recordings, with the SHA-256 of the bodies rather than the bodies, so bodies can expire without breaking the tree.
/// Entries of one session carry the hash of that session's previous leaf, which makes gaps and reordering inside a
/// session visible on their own.
public struct LedgerEntry: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case exchange = 1
        case refusal = 2
        /// An auditor's replay, export or show: auditors are audited too.
        case access = 3
    }

    public var kind: Kind
    /// The log this leaf belongs to (the checkpoint origin), so a leaf cannot be replayed into another log.
    public var origin: String
    /// The exchange, refusal or access id (a ULID).
    public var id: String
    public var sessionID: String?
    /// 1 for a session's first leaf, then +1 per leaf of that session.
    public var sessionSequence: UInt64?
    public var previousSessionLeaf: MerkleHash?
    public var issuer: String?
    public var subject: String?
    public var displayName: String?
    public var groups: [String] = []
    public var attributes: [String: String] = [:]
    public var runID: String?
    /// SHA-256 of the caller's token (never the token), and its `jti`.
    public var tokenHash: String?
    public var tokenID: String?
    public var clientAddress: String?
    public var userAgent: String?
    public var method: String?
    public var path: String?
    public var query: String?
    public var model: String?
    public var requestBodySHA256: String?
    public var requestBodyLength: UInt64?
    public var responseBodySHA256: String?
    public var responseBodyLength: UInt64?
    /// SHA-256 of the exchange's guardrail findings (`ExchangeFinding.ledgerDigest`); absent when it has none.
    public var findingsSHA256: String?
    public var upstreamStatus: UInt64?
    public var upstreamRequestID: String?
    public var outcome: String?
    public var stopReason: String?
    public var inputTokens: UInt64?
    public var outputTokens: UInt64?
    /// Microseconds since 1970, UTC.
    public var receivedAtMicros: Int64?
    public var forwardedAtMicros: Int64?
    public var firstByteAtMicros: Int64?
    public var completedAtMicros: Int64?
    /// Why a token was refused, or what an auditor did (`replay`, `export`, `show`).
    public var reason: String?
    /// What an access read: a session, an exchange or an export range.
    public var target: String?

    public init(kind: Kind, origin: String, id: String) {
        self.kind = kind
        self.origin = origin
        self.id = id
    }

    /// RFC 6962 leaf hash of the canonical encoding: the value the tree, receipts and session chains refer to.
    public var leafHash: MerkleHash { RFC6962.leafHash(encoded) }
}
