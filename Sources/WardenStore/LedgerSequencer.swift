import Foundation
import Logging
import WardenCore

/// Moves closed records into the ledger off the request path and signs checkpoints over it.
///
/// Each step takes the records waiting for a leaf, chains them per session, appends them to the store and to the
/// in-memory tree, and signs a checkpoint when the tree grew. The last signed checkpoint is also kept in a file beside
/// the store: a store restored from an older backup no longer contains it, and Warden then refuses to sign anything
/// rather than sign a log inconsistent with what it signed before.
public actor LedgerSequencer {
    public nonisolated let signer: NoteSignerKey
    private let store: any RecordingStore
    private let checkpointFile: String
    private let publishDirectory: String?
    private let logger: Logger
    private var tree = MerkleTree()
    private var tips: [String: SessionTip] = [:]
    private var signed: SignedNote?
    /// The newest checkpoint witnesses cosigned to the policy's quorum (only when `witnessed`).
    private var published: SignedNote?
    private let witnessed: Bool
    /// Why signing stopped; set once, never cleared while running.
    public private(set) var alarm: String?

    public static let batchLimit = 10_000

    /// `witnessed`: checkpoints are served and used for receipts only once `publish` says witnesses cosigned them.
    public init(
        store: any RecordingStore,
        signer: NoteSignerKey,
        checkpointFile: String,
        publishDirectory: String?,
        witnessed: Bool = false,
        logger: Logger
    ) {
        self.store = store
        self.witnessed = witnessed
        self.signer = signer
        self.checkpointFile = checkpointFile
        self.publishDirectory = publishDirectory
        self.logger = logger
    }

    public nonisolated var origin: String { signer.name }

    /// The checkpoint to show callers and prove receipts against: the latest signed one, or with witnesses the latest
    /// one they cosigned to quorum.
    public var checkpoint: SignedNote? { witnessed ? published : signed }

    /// The latest checkpoint Warden signed, cosigned or not: what goes to the witnesses next.
    public var latestSigned: SignedNote? { signed }

    /// Records that `cosigned` (a checkpoint Warden signed, with witnesses' cosignatures added) met the quorum.
    public func publish(_ cosigned: SignedNote) async throws {
        let size = try Checkpoint(body: cosigned.text).size
        if let published, let current = try? Checkpoint(body: published.text).size, current >= size { return }
        try await store.saveCheckpoint(StoredCheckpoint(size: size, note: cosigned.serialized, signedAt: Date()))
        published = cosigned
    }

    /// A consistency proof between two sizes of the current tree, for witnesses.
    public func consistencyProof(from: UInt64, to: UInt64) throws -> [MerkleHash] {
        try tree.consistencyProof(from: from, to: to)
    }

    /// Rebuilds the tree from the stored leaves and checks it still contains the last checkpoint Warden signed.
    public func start() async throws {
        tree = MerkleTree(leafHashes: try await store.leafHashes())
        tips = [:]
        let remembered = try rememberedCheckpoint()
        let stored = try await store.latestCheckpoint().map { try SignedNote(parsing: $0.note) }
        let newest = [remembered, stored].compactMap { $0 }.max {
            (try? Checkpoint(body: $0.text).size) ?? 0 < (try? Checkpoint(body: $1.text).size) ?? 0
        }
        if let newest {
            if let problem = inconsistency(with: newest) {
                raise(problem)
                return
            }
            signed = newest
        }
        try await sign()
    }

    /// Sequences what is waiting, then signs when the tree grew. Returns how many leaves were appended.
    @discardableResult
    public func step() async throws -> Int {
        guard alarm == nil else { return 0 }
        var appended = 0
        var entries = try await store.unsequencedEntries(limit: Self.batchLimit)
        while let last = entries.last {
            let unknown = Set(entries.compactMap(\.sessionID)).subtracting(tips.keys)
            if !unknown.isEmpty { tips.merge(try await store.sessionTips(unknown)) { current, _ in current } }
            var advanced = tips
            let leaves = LedgerSequencing.leaves(for: entries, origin: origin, startingAt: tree.size, tips: &advanced)
            // A full batch usually has more behind it: read that while this one is appended, so reading and appending
            // run side by side. A record that closed behind this batch's last one but committed later waits for the
            // next step.
            let store = store
            let position = UnsequencedPosition(after: last)
            let full = entries.count == Self.batchLimit
            async let following = full ? store.unsequencedEntries(limit: Self.batchLimit, after: position) : []
            do {
                try await store.appendLeaves(leaves, at: tree.size)
            } catch {
                // Another writer moved the ledger (or a record vanished): start over from what the store holds.
                logger.warning("ledger append refused; reloading the ledger", metadata: ["error": "\(error)"])
                try await start()
                return appended
            }
            tips = advanced
            for leaf in leaves { tree.append(leafHash: leaf.hash) }
            appended += leaves.count
            entries = try await following
        }
        try await sign()
        return appended
    }

    /// Runs `step` every `interval` until cancelled; a failing step is logged and retried.
    public func run(interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await step()
            } catch {
                logger.error("ledger sequencing failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// A receipt for a record's leaf against the latest checkpoint; nil when the record has no leaf in it yet.
    public func receipt(recordID: String) async throws -> TLogProof? {
        guard let signed = checkpoint, let leaf = try await store.leaf(recordID: recordID) else { return nil }
        let size = try Checkpoint(body: signed.text).size
        guard leaf.index < size else { return nil }
        return try Receipt.make(entry: try LedgerEntry(encoded: leaf.encoded), index: leaf.index, tree: tree, signedCheckpoint: signed)
    }

    private func sign() async throws {
        guard alarm == nil, tree.size > 0 else { return }
        if let signed, (try? Checkpoint(body: signed.text).size) == tree.size { return }
        let note = try Checkpoint(origin: origin, size: tree.size, rootHash: tree.root).signed(by: signer)
        try remember(note)
        try await store.saveCheckpoint(StoredCheckpoint(size: tree.size, note: note.serialized, signedAt: Date()))
        signed = note
        publish(note, size: tree.size)
    }

    /// Why `note` is not a checkpoint of the current tree, if it is not.
    private func inconsistency(with note: SignedNote) -> String? {
        guard let checkpoint = try? Checkpoint(body: note.text) else { return "the last signed checkpoint is unreadable" }
        guard checkpoint.origin == origin else {
            return "the last checkpoint was signed for log \(checkpoint.origin), not \(origin)"
        }
        guard checkpoint.size <= tree.size else {
            return "the store holds \(tree.size) leaves but checkpoint \(checkpoint.size) was signed: the store went back in time"
        }
        guard (try? tree.root(size: checkpoint.size)) == checkpoint.rootHash else {
            return "the store's first \(checkpoint.size) leaves do not have the root Warden signed: the ledger was rewritten"
        }
        return nil
    }

    private func raise(_ problem: String) {
        alarm = problem
        logger.critical("LEDGER ALARM: checkpoint signing stopped", metadata: ["problem": "\(problem)"])
    }

    private func rememberedCheckpoint() throws -> SignedNote? {
        guard let data = FileManager.default.contents(atPath: checkpointFile) else { return nil }
        return try SignedNote(parsing: Array(data))
    }

    /// Written before the store's copy and renamed into place, so the file always holds a whole checkpoint.
    private func remember(_ note: SignedNote) throws {
        let temporary = checkpointFile + ".new"
        try Data(note.serialized.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, checkpointFile) == 0 else {
            throw StoreError.checkpointNotKept("\(checkpointFile) cannot be replaced (\(String(cString: strerror(errno))))")
        }
    }

    private func publish(_ note: SignedNote, size: UInt64) {
        guard let publishDirectory else { return }
        let path = (publishDirectory as NSString).appendingPathComponent(String(size))
        guard !FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.createDirectory(atPath: publishDirectory, withIntermediateDirectories: true)
            try Data(note.serialized.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            logger.error("checkpoint not published", metadata: ["directory": "\(publishDirectory)", "error": "\(error)"])
        }
    }
}
