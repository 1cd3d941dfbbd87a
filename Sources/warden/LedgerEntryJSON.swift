import WardenCore

/// A verified ledger entry as `verify-receipt --json` prints it (through `Output.json`, like every `--json`).
struct LedgerEntryJSON: Encodable {
    var kind: String
    var origin: String
    var id: String
    var index: UInt64
    var treeSize: UInt64
    var rootHash: String
    var leafHash: String
    var sessionID: String?
    var sessionSequence: UInt64?
    var issuer: String?
    var subject: String?
    var displayName: String?
    var groups: [String]
    var attributes: [String: String]
    var method: String?
    var path: String?
    var model: String?
    var requestBodySHA256: String?
    var responseBodySHA256: String?
    var findingsSHA256: String?
    var upstreamStatus: UInt64?
    var outcome: String?
    var reason: String?
    var target: String?
}

extension LedgerEntryJSON {
    /// Declared apart from the fields so the memberwise initialiser stays available to it.
    init(_ entry: LedgerEntry, index: UInt64, checkpoint: Checkpoint) {
        self.init(
            kind: "\(entry.kind)",
            origin: entry.origin,
            id: entry.id,
            index: index,
            treeSize: checkpoint.size,
            rootHash: checkpoint.rootHash.base64,
            leafHash: entry.leafHash.hex,
            sessionID: entry.sessionID,
            sessionSequence: entry.sessionSequence,
            issuer: entry.issuer,
            subject: entry.subject,
            displayName: entry.displayName,
            groups: entry.groups,
            attributes: entry.attributes,
            method: entry.method,
            path: entry.path,
            model: entry.model,
            requestBodySHA256: entry.requestBodySHA256,
            responseBodySHA256: entry.responseBodySHA256,
            findingsSHA256: entry.findingsSHA256,
            upstreamStatus: entry.upstreamStatus,
            outcome: entry.outcome,
            reason: entry.reason,
            target: entry.target
        )
    }
}
