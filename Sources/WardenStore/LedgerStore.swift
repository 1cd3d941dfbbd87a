import Crypto
import Foundation
import WardenCore

/// The ledger's half of a store: the leaves in index order, the records still waiting for one, and the checkpoints
/// signed over them. The sequencer is the only writer of leaves; a store refuses an append that does not continue
/// exactly where its ledger ends, so two sequencers can never interleave.
public protocol LedgerStore: Sendable {
    /// Closed exchanges, refusals and accesses without a leaf yet, oldest first, as entries without origin or chain;
    /// with `after`, only those that come after that (time in microseconds, record id) in this order.
    func unsequencedEntries(limit: Int, after: UnsequencedPosition?) async throws -> [LedgerEntry]
    /// The last leaf of each of these sessions.
    func sessionTips(_ sessionIDs: Set<String>) async throws -> [String: SessionTip]
    /// Appends `leaves` at indexes `size`, `size + 1`, … and links each record to its leaf, atomically.
    func appendLeaves(_ leaves: [LedgerLeaf], at size: UInt64) async throws
    /// Leaves in index order from `index`, at most `limit`.
    func leaves(from index: UInt64, limit: Int) async throws -> [LedgerLeaf]
    /// The leaf of a record, if it has one.
    func leaf(recordID: String) async throws -> LedgerLeaf?
    /// Leaves in index order from `index`, at most `limit`, each with its record as the store holds it now: the
    /// audit's single pass, which finds records by the leaves' index range instead of by lists of ids.
    func leavesWithRecords(from index: UInt64, limit: Int) async throws -> [LeafWithRecord]
    /// SHA-256 (hex) of each stored body of these exchanges, recomputed from the stored bytes.
    func bodyDigests(exchangeIDs: [String]) async throws -> [String: BodyDigests]
    func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws
    func latestCheckpoint() async throws -> StoredCheckpoint?
    /// Records that someone read the recordings; it becomes a leaf like any exchange.
    func recordAccess(_ access: AccessRecord) async throws
}

extension LedgerStore {
    /// The oldest records waiting for a leaf, at most `limit`.
    public func unsequencedEntries(limit: Int) async throws -> [LedgerEntry] {
        try await unsequencedEntries(limit: limit, after: nil)
    }

    /// The hashes of the first `count` leaves (all of them when nil), in index order: what a tree is rebuilt from.
    public func leafHashes(count: UInt64? = nil) async throws -> [MerkleHash] {
        var hashes: [MerkleHash] = []
        var next: UInt64 = 0
        while next < count ?? .max {
            let page = try await leaves(from: next, limit: 50_000)
            guard let last = page.last else { break }
            hashes.append(contentsOf: page.map(\.hash))
            next = last.index + 1
        }
        return count.map { Array(hashes.prefix(Int($0))) } ?? hashes
    }
}

/// A leaf as stored: its canonical entry bytes and where it sits in the tree and in its session.
public struct LedgerLeaf: Sendable, Equatable {
    public var index: UInt64
    public var recordID: String
    public var kind: LedgerEntry.Kind
    public var sessionID: String?
    public var sessionSequence: UInt64?
    public let encoded: [UInt8]
    /// Computed from the bytes when the leaf is made or read, never taken from a stored column: a stored hash would be
    /// one more thing to tamper with.
    public let hash: MerkleHash

    public init(index: UInt64, entry: LedgerEntry) {
        self.init(
            index: index,
            recordID: entry.id,
            kind: entry.kind,
            sessionID: entry.sessionID,
            sessionSequence: entry.sessionSequence,
            encoded: entry.encoded
        )
    }

    public init(index: UInt64, recordID: String, kind: LedgerEntry.Kind, sessionID: String?, sessionSequence: UInt64?, encoded: [UInt8]) {
        self.index = index
        self.recordID = recordID
        self.kind = kind
        self.sessionID = sessionID
        self.sessionSequence = sessionSequence
        self.encoded = encoded
        self.hash = RFC6962.leafHash(encoded)
    }
}

/// Where a record sits in the order records wait for the ledger: when it closed (or happened), then its id.
public struct UnsequencedPosition: Sendable, Equatable {
    public var micros: Int64
    public var id: String

    public init(after entry: LedgerEntry) {
        self.micros = LedgerEntries.orderingMicros(entry)
        self.id = entry.id
    }
}

/// A leaf and the record it names, as the store holds that record now; nil when the store has no such record.
public struct LeafWithRecord: Sendable {
    public var leaf: LedgerLeaf
    public var record: LedgerEntry?

    public init(leaf: LedgerLeaf, record: LedgerEntry?) {
        self.leaf = leaf
        self.record = record
    }
}

/// Where a session's chain ends: the next leaf of the session gets `sequence + 1` and links to `hash`.
public struct SessionTip: Sendable, Equatable {
    public var sequence: UInt64
    public var hash: MerkleHash

    public init(sequence: UInt64, hash: MerkleHash) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// A signed checkpoint and when Warden signed it.
public struct StoredCheckpoint: Sendable, Equatable {
    public var size: UInt64
    /// The whole signed note, as published.
    public var note: String
    public var signedAt: Date

    public init(size: UInt64, note: String, signedAt: Date) {
        self.size = size
        self.note = note
        self.signedAt = signedAt
    }
}

/// The SHA-256 of an exchange's bodies as they are stored now.
public struct BodyDigests: Sendable, Equatable {
    public var request: BodyDigest
    public var response: BodyDigest?

    public init(request: BodyDigest, response: BodyDigest?) {
        self.request = request
        self.response = response
    }
}

/// A stored body's SHA-256 (hex), or why its bytes can no longer be put back together.
public enum BodyDigest: Sendable, Equatable {
    case sha256(String)
    case unreadable(String)

    /// Reassembles the body with `read` and hashes it; a missing or altered chunk makes it unreadable.
    static func of(_ read: () throws -> Data) -> BodyDigest {
        do {
            return .sha256(SHA256.hash(data: try read()).hexString)
        } catch {
            return .unreadable("\(error)")
        }
    }
}

/// Someone read the recordings: who (the operating-system account and host of the CLI), what they did, and what they read.
public struct AccessRecord: Sendable, Equatable {
    public var id: ExchangeID
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String

    public init(id: ExchangeID, at: Date, actor: String, action: String, target: String) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
    }
}
