import Foundation
import WardenCore

/// Re-derives the ledger from what a store holds and says, one line per problem, where it disagrees with the records
/// or with signed checkpoints: the offline check behind `warden verify`.
public struct LedgerAudit: Sendable {
    /// A checkpoint to hold the ledger against, and where it came from (for messages).
    public struct Source: Sendable {
        public var name: String
        public var note: String

        public init(name: String, note: String) {
            self.name = name
            self.note = note
        }
    }

    public struct Report: Sendable {
        public var problems: [String] = []
        public var notes: [String] = []
        public var leaves: UInt64 = 0
        public var sessions = 0
        public var verifiedCheckpoint: UInt64?
        public var root: MerkleHash?
    }

    public let store: any LedgerStore
    public let trustedKeys: [NoteVerifierKey]
    /// Recompute each exchange's body hashes from the stored bytes (slower: reads every body).
    public let checkBodies: Bool
    /// A record that closed this long before the newest checkpoint was signed must be in the ledger by then.
    public let integrationAllowance: TimeInterval

    public init(store: any LedgerStore, trustedKeys: [NoteVerifierKey], checkBodies: Bool, integrationAllowance: TimeInterval = 5) {
        self.store = store
        self.trustedKeys = trustedKeys
        self.checkBodies = checkBodies
        self.integrationAllowance = integrationAllowance
    }

    public func run(checkpoints: [Source], pageSize: Int = 20_000) async throws -> Report {
        var report = Report()
        var tree = MerkleTree()
        var tips: [String: SessionTip] = [:]
        var seen: [String: UInt64] = [:]
        // Two pages ahead are read (their leaves hashed and decoded) while this one is checked, so reading and checking
        // keep both cores busy. A page ahead starts where the one before it would end if leaf indexes are contiguous;
        // when they are not (leaves were removed), what was read ahead is dropped and read again from the right place.
        var reading: [(start: UInt64, task: Task<Page, any Error>)] = []
        defer { for ahead in reading { ahead.task.cancel() } }
        func readAhead(from start: UInt64) {
            reading.append((start, Task { [self] in try await read(from: start, limit: pageSize) }))
        }
        readAhead(from: 0)
        while true {
            let (page, entries, digests) = try await reading.removeFirst().task.value
            guard let last = page.last else { break }
            let next = last.leaf.index + 1
            if reading.first?.start != next {
                for ahead in reading { ahead.task.cancel() }
                reading = []
            }
            while reading.count < 2 { readAhead(from: reading.last.map { $0.start + UInt64(pageSize) } ?? next) }
            for (item, entry) in zip(page, entries) {
                let leaf = item.leaf
                if leaf.index != tree.size {
                    report.problems.append(
                        "INVALID ledger: leaf \(leaf.index) sits where leaf \(tree.size) belongs (leaves were removed or inserted)"
                    )
                }
                tree.append(leafHash: leaf.hash)
                check(leaf, entry: entry, record: item.record, digests: digests, tips: &tips, seen: &seen, into: &report)
            }
        }
        report.leaves = tree.size
        report.sessions = tips.count
        report.root = tree.size > 0 ? tree.root : nil
        try await checkCheckpoints(checkpoints, tree: tree, into: &report)
        try await checkUnsequenced(checkpoints, into: &report)
        return report
    }

    /// A page of leaves with their records, each leaf's entry decoded (nil when unreadable), and the body digests of
    /// its exchanges when bodies are checked.
    typealias Page = ([LeafWithRecord], [LedgerEntry?], [String: BodyDigests])

    private func read(from index: UInt64, limit: Int) async throws -> Page {
        let page = try await store.leavesWithRecords(from: index, limit: limit)
        let entries = page.map { try? LedgerEntry(encoded: $0.leaf.encoded) }
        guard checkBodies else { return (page, entries, [:]) }
        let exchanges = page.filter { $0.leaf.kind == .exchange }.map(\.leaf.recordID)
        return (page, entries, try await store.bodyDigests(exchangeIDs: exchanges))
    }

    private func check(
        _ leaf: LedgerLeaf,
        entry: LedgerEntry?,
        record: LedgerEntry?,
        digests: [String: BodyDigests],
        tips: inout [String: SessionTip],
        seen: inout [String: UInt64],
        into report: inout Report
    ) {
        // Only spelled out for a problem, which most leaves do not have.
        var label: String { "\(Self.kindName(leaf.kind)) \(leaf.recordID)" }
        guard let entry else {
            report.problems.append("INVALID \(label): leaf \(leaf.index) is not a readable ledger entry")
            return
        }
        if let earlier = seen[entry.id] {
            report.problems.append("INVALID \(label): entered the ledger twice (leaves \(earlier) and \(leaf.index))")
        }
        seen[entry.id] = leaf.index
        if let session = entry.sessionID {
            let tip = tips[session]
            let expected = (tip?.sequence ?? 0) + 1
            if entry.sessionSequence != expected {
                report.problems.append(
                    "INVALID \(label): session \(session) goes from leaf \(tip?.sequence ?? 0) to \(entry.sessionSequence.map(String.init) ?? "none") (a leaf of the session is missing or out of order)"
                )
            } else if entry.previousSessionLeaf != tip?.hash {
                report.problems.append("INVALID \(label): does not link to the previous leaf of session \(session)")
            }
            tips[session] = SessionTip(sequence: entry.sessionSequence ?? expected, hash: leaf.hash)
        }
        // Found through the leaf's record_id column, which is stored beside the entry and could be pointed elsewhere.
        guard var record, record.id == entry.id else {
            report.problems.append("INVALID \(label): in the ledger but missing from the store")
            return
        }
        record.origin = entry.origin
        record.sessionSequence = entry.sessionSequence
        record.previousSessionLeaf = entry.previousSessionLeaf
        if record != entry {
            for field in Self.differences(record, entry) {
                report.problems.append("INVALID \(label): \(field) differs from the ledger")
            }
        }
        if let bodies = digests[entry.id] {
            Self.compare(bodies.request, entry.requestBodySHA256, "request", label, into: &report)
            Self.compare(bodies.response, entry.responseBodySHA256, "response", label, into: &report)
        }
    }

    private func checkCheckpoints(_ sources: [Source], tree: MerkleTree, into report: inout Report) async throws {
        var trusted: [(Source, Checkpoint)] = []
        for source in sources {
            let checkpoint: Checkpoint
            do {
                checkpoint = try Checkpoint.open(source.note, verifiers: trustedKeys).checkpoint
            } catch {
                report.problems.append("INVALID checkpoint \(source.name): not signed by a trusted key (\(error))")
                continue
            }
            guard checkpoint.size <= tree.size else {
                report.problems.append(
                    "INVALID ledger: checkpoint \(source.name) covers \(checkpoint.size) leaves but the store holds \(tree.size) (leaves were removed from the end)"
                )
                continue
            }
            guard (try? tree.root(size: checkpoint.size)) == checkpoint.rootHash else {
                report.problems.append(
                    "INVALID ledger: the first \(checkpoint.size) leaves do not have the root of checkpoint \(source.name) (the ledger was rewritten)"
                )
                continue
            }
            trusted.append((source, checkpoint))
        }
        guard let newest = trusted.max(by: { $0.1.size < $1.1.size }) else {
            if sources.isEmpty { report.problems.append("INVALID ledger: no signed checkpoint to verify against") }
            return
        }
        for (source, older) in trusted where older.size < newest.1.size {
            let proof = try tree.consistencyProof(from: older.size, to: newest.1.size)
            do {
                try MerkleVerifier.verifyConsistency(
                    size1: older.size,
                    size2: newest.1.size,
                    root1: older.rootHash,
                    root2: newest.1.rootHash,
                    proof: proof
                )
            } catch {
                report.problems.append("INVALID checkpoint \(source.name): not consistent with checkpoint \(newest.0.name) (\(error))")
            }
        }
        report.verifiedCheckpoint = newest.1.size
        if tree.size > newest.1.size {
            report.notes.append("\(tree.size - newest.1.size) leaves after checkpoint \(newest.1.size) are not yet covered by a signature")
        }
    }

    /// A record that closed well before the newest checkpoint was signed should have a leaf: a missing one was
    /// slipped into the store behind the ledger's back.
    private func checkUnsequenced(_ sources: [Source], into report: inout Report) async throws {
        guard let latest = try await store.latestCheckpoint() else { return }
        let cutoff = Int64((latest.signedAt.timeIntervalSince1970 - integrationAllowance) * 1_000_000)
        var pending = 0
        for entry in try await store.unsequencedEntries(limit: Int.max >> 1) {
            if LedgerEntries.orderingMicros(entry) < cutoff {
                report.problems.append("INVALID \(Self.kindName(entry.kind)) \(entry.id): recorded but never entered the ledger")
            } else {
                pending += 1
            }
        }
        if pending > 0 { report.notes.append("\(pending) records closed in the last seconds are still waiting for their leaf") }
    }

    private static func compare(_ stored: BodyDigest?, _ committed: String?, _ body: String, _ label: String, into report: inout Report) {
        switch stored {
        case .sha256(let digest) where digest == committed: return
        case nil where committed == nil: return
        case .unreadable(let reason): report.problems.append("INVALID \(label): \(body) body unreadable (\(reason))")
        default: report.problems.append("INVALID \(label): \(body) body hash mismatch")
        }
    }

    static func kindName(_ kind: LedgerEntry.Kind) -> String {
        switch kind {
        case .exchange: "exchange"
        case .refusal: "refusal"
        case .access: "access"
        }
    }

    /// The names of the fields where a record and its leaf disagree, as an auditor would say them.
    static func differences(_ record: LedgerEntry, _ leaf: LedgerEntry) -> [String] {
        let fields: [(String, (LedgerEntry) -> String)] = [
            ("kind", { "\($0.kind)" }), ("origin", { $0.origin }), ("session", { "\($0.sessionID as Any)" }),
            ("issuer", { "\($0.issuer as Any)" }), ("user", { "\($0.subject as Any)" }), ("display name", { "\($0.displayName as Any)" }),
            ("groups", { "\($0.groups)" }), ("attributes", { "\($0.attributes.sorted { $0.key < $1.key })" }),
            ("CI run", { "\($0.runID as Any)" }), ("token hash", { "\($0.tokenHash as Any)" }), ("token id", { "\($0.tokenID as Any)" }),
            ("client address", { "\($0.clientAddress as Any)" }), ("user agent", { "\($0.userAgent as Any)" }),
            ("method", { "\($0.method as Any)" }), ("path", { "\($0.path as Any)" }), ("query", { "\($0.query as Any)" }),
            ("model", { "\($0.model as Any)" }), ("request body hash", { "\($0.requestBodySHA256 as Any)" }),
            ("request body length", { "\($0.requestBodyLength as Any)" }), ("response body hash", { "\($0.responseBodySHA256 as Any)" }),
            ("response body length", { "\($0.responseBodyLength as Any)" }), ("findings", { "\($0.findingsSHA256 as Any)" }),
            ("upstream status", { "\($0.upstreamStatus as Any)" }),
            ("upstream request id", { "\($0.upstreamRequestID as Any)" }), ("outcome", { "\($0.outcome as Any)" }),
            ("stop reason", { "\($0.stopReason as Any)" }), ("input tokens", { "\($0.inputTokens as Any)" }),
            ("output tokens", { "\($0.outputTokens as Any)" }), ("received time", { "\($0.receivedAtMicros as Any)" }),
            ("forwarded time", { "\($0.forwardedAtMicros as Any)" }), ("first byte time", { "\($0.firstByteAtMicros as Any)" }),
            ("completed time", { "\($0.completedAtMicros as Any)" }), ("reason", { "\($0.reason as Any)" }),
            ("target", { "\($0.target as Any)" }),
        ]
        return fields.filter { $0.1(record) != $0.1(leaf) }.map(\.0)
    }
}
