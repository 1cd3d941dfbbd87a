import Foundation
import Logging
import Testing
import WardenCore
import WardenStore

/// The ledger over a real store: sequencing, checkpoints, receipts, the rollback alarm, and `LedgerAudit` finding
/// every kind of tampering with the exact line an auditor reads.
extension StoreBehaviour {
    /// A store with two sessions of exchanges, an exchange still open, and a refusal, sequenced and signed.
    struct SealedLedger {
        let harness: any StoreHarness
        let signer: NoteSignerKey
        let sequencer: LedgerSequencer
        let state: URL
        /// Session "a" holds a0, a1, a2 in that order; session "b" holds b0, which has guardrail findings.
        let a: [ExchangeID]
        let b: ExchangeID
        let open: ExchangeID
        let refusal: ExchangeID

        var store: any RecordingStore { harness.store }
        /// Where the sequencer remembers its last checkpoint.
        var checkpointFile: URL { state.appending(path: "ledger-checkpoint") }

        static func make(_ harness: any StoreHarness) async throws -> SealedLedger {
            let store = harness.store
            var a: [ExchangeID] = []
            for turn in 0..<3 {
                a.append(try await record(store, at: Samples.seconds(Int64(turn)), session: "a", seed: UInt64(turn)))
            }
            let b = try await record(store, at: Samples.seconds(3), session: "b", seed: 7, findings: true)
            let open = Samples.opening(at: Samples.seconds(4), session: Samples.keyed("a"))
            _ = try await store.open(open)
            let refusal = RefusedAttempt(
                id: ExchangeID(date: Samples.seconds(5)),
                at: Samples.seconds(5),
                reason: "the token has expired",
                claimedIssuer: Samples.issuer,
                claimedSubject: "mallory",
                method: "POST",
                path: "/v1/messages"
            )
            try await store.refuse(refusal)
            let state = FileManager.default.temporaryDirectory.appending(path: "warden-ledger-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            let signer = try NoteSignerKey.generate(name: "ledger.test/warden")
            let sequencer = makeSequencer(store, signer: signer, state: state)
            try await sequencer.start()
            try await sequencer.step()
            return SealedLedger(harness: harness, signer: signer, sequencer: sequencer, state: state, a: a, b: b, open: open.id, refusal: refusal.id)
        }

        static func makeSequencer(_ store: any RecordingStore, signer: NoteSignerKey, state: URL) -> LedgerSequencer {
            var logger = Logger(label: "warden.ledger.tests")
            logger.logLevel = .critical
            return LedgerSequencer(
                store: store,
                signer: signer,
                checkpointFile: state.appending(path: "ledger-checkpoint").path,
                publishDirectory: state.appending(path: "published").path,
                logger: logger
            )
        }

        /// One complete exchange with bodies of its own (so no two exchanges share a chunk).
        static func record(_ store: any RecordingStore, at: Date, session: String, seed: UInt64, findings: Bool = false) async throws -> ExchangeID {
            var opening = Samples.opening(at: at, session: Samples.keyed(session), body: Samples.noise(3000, seed: seed))
            if findings { opening.findings = [finding(.request, action: .mask)] }
            _ = try await store.open(opening)
            try await store.close(
                ExchangeClosing(
                    id: opening.id,
                    outcome: .complete,
                    upstreamStatus: 200,
                    responseBody: Samples.noise(2000, seed: seed + 100),
                    usage: Usage(inputTokens: 10, outputTokens: 20),
                    stopReason: "end_turn",
                    completedAt: at.addingTimeInterval(0.5),
                    findings: findings ? [finding(.response, action: .block)] : []
                )
            )
            return opening.id
        }

        static func finding(_ direction: ExchangeFinding.Direction, action: ExchangeFinding.Action) -> ExchangeFinding {
            ExchangeFinding(
                ruleID: "aws-access-key-id",
                category: .secret,
                severity: .high,
                direction: direction,
                message: direction == .request ? 0 : nil,
                block: 0,
                offset: 12,
                length: 20,
                excerpt: "AKIA********",
                action: action
            )
        }

        /// What `warden verify` prints for this store, holding it against the stored checkpoint.
        func audit(keys: [NoteVerifierKey]? = nil) async throws -> [String] {
            var sources: [LedgerAudit.Source] = []
            if let stored = try await store.latestCheckpoint() { sources.append(.init(name: "stored", note: stored.note)) }
            if let remembered = FileManager.default.contents(atPath: checkpointFile.path) {
                sources.append(.init(name: "remembered", note: String(decoding: remembered, as: UTF8.self)))
            }
            let audit = LedgerAudit(store: store, trustedKeys: keys ?? [signer.verifierKey], checkBodies: true, integrationAllowance: 0)
            let problems = try await audit.run(checkpoints: sources).problems
            // Pages of two leaves read ahead across every gap a tampering leaves; they must find exactly the same.
            #expect(try await audit.run(checkpoints: sources, pageSize: 2).problems == problems)
            return problems
        }

        func dispose() { try? FileManager.default.removeItem(at: state) }
    }

    static func sequencesClosedRecordsIntoSessionChains(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let store = ledger.store
        let leaves = try await store.leaves(from: 0, limit: 100)
        // Four closed exchanges and the refusal; the open exchange waits for its closing.
        #expect(leaves.map(\.index) == [0, 1, 2, 3, 4])
        #expect(Set(leaves.map(\.recordID)) == Set((ledger.a + [ledger.b, ledger.refusal]).map(\.rawValue)))
        let entries = try leaves.map { try LedgerEntry(encoded: $0.encoded) }
        let sessionA = entries.filter { $0.id == ledger.a[0].rawValue || $0.id == ledger.a[1].rawValue || $0.id == ledger.a[2].rawValue }
        #expect(sessionA.map(\.id) == ledger.a.map(\.rawValue))
        #expect(sessionA.map(\.sessionSequence) == [1, 2, 3])
        #expect(sessionA[0].previousSessionLeaf == nil)
        #expect(sessionA[1].previousSessionLeaf == sessionA[0].leafHash)
        #expect(sessionA[2].previousSessionLeaf == sessionA[1].leafHash)
        #expect(entries.allSatisfy { $0.origin == "ledger.test/warden" })
        let refusal = try #require(entries.first { $0.kind == .refusal })
        #expect(refusal.sessionID == nil && refusal.subject == "mallory" && refusal.reason == "the token has expired")

        // The checkpoint is signed by the key over exactly these leaves, stored, remembered and published.
        let note = try #require(await ledger.sequencer.checkpoint)
        let checkpoint = try Checkpoint.open(note.serialized, verifiers: [ledger.signer.verifierKey]).checkpoint
        #expect(checkpoint.size == 5)
        #expect(checkpoint.rootHash == MerkleTree(leafHashes: leaves.map(\.hash)).root)
        #expect(try await store.latestCheckpoint()?.note == note.serialized)
        #expect(FileManager.default.contents(atPath: ledger.state.appending(path: "published/5").path) == Data(note.serialized.utf8))

        // A receipt for an exchange checks out with nothing but the verifier key.
        let receipt = try #require(try await ledger.sequencer.receipt(recordID: ledger.a[1].rawValue))
        let policy = try WitnessPolicy(parsing: "log \(ledger.signer.verifierKey)\nquorum none\n")
        let verified = try Receipt.verify(Array(receipt.serialized.utf8), policy: policy).get()
        #expect(verified.entry.id == ledger.a[1].rawValue)

        // The open exchange joins its session's chain when it closes.
        try await store.close(ExchangeClosing(id: ledger.open, outcome: .clientAborted, completedAt: Samples.seconds(9)))
        #expect(try await ledger.sequencer.step() == 1)
        let late = try LedgerEntry(encoded: try #require(try await store.leaf(recordID: ledger.open.rawValue)).encoded)
        #expect(late.sessionSequence == 4 && late.previousSessionLeaf == sessionA[2].leafHash && late.outcome == "client_aborted")
        #expect(try await ledger.sequencer.step() == 0)
        #expect(try await ledger.audit() == [])
    }

    static func listsWaitingRecordsOldestFirstFromAPosition(_ harness: any StoreHarness) async throws {
        let store = harness.store
        // Exchanges close half a second after they open; the refusal falls between the first two closings.
        let x = [
            try await SealedLedger.record(store, at: Samples.seconds(10), session: "a", seed: 1),
            try await SealedLedger.record(store, at: Samples.seconds(11), session: "b", seed: 2),
        ]
        let refusal = RefusedAttempt(
            id: ExchangeID(date: Samples.seconds(11)),
            at: Samples.seconds(11),
            reason: "the token has expired",
            method: "POST",
            path: "/v1/messages"
        )
        try await store.refuse(refusal)
        // Left open, then cut off by a restart: marking it interrupted closes it, so it waits too.
        let open = Samples.opening(at: Samples.seconds(12), session: Samples.keyed("a"))
        _ = try await store.open(open)
        #expect(try await store.markInterrupted(at: Samples.seconds(13)) == 1)
        let waiting = try await store.unsequencedEntries(limit: 10)
        #expect(waiting.map(\.id) == [x[0], refusal.id, x[1], open.id].map(\.rawValue))
        #expect(try await store.unsequencedEntries(limit: 1, after: UnsequencedPosition(after: waiting[0])).map(\.id) == [refusal.id.rawValue])
        #expect(
            try await store.unsequencedEntries(limit: 10, after: UnsequencedPosition(after: waiting[1])).map(\.id) == [x[1], open.id].map(\.rawValue)
        )
        #expect(try await store.unsequencedEntries(limit: 10, after: UnsequencedPosition(after: waiting[3])).isEmpty)
    }

    static func refusesAppendsThatDoNotContinueTheLedger(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let store = ledger.store
        let id = try await SealedLedger.record(store, at: Samples.seconds(20), session: "c", seed: 40)
        var entry = try #require(try await store.unsequencedEntries(limit: 10).first)
        entry.origin = "ledger.test/warden"
        // Behind the end, past the end, and a record that already has a leaf: all refused, nothing written.
        for size: UInt64 in [4, 6] {
            await #expect(throws: StoreError.self) { try await store.appendLeaves([LedgerLeaf(index: size, entry: entry)], at: size) }
        }
        var sequenced = try LedgerEntry(encoded: try #require(try await store.leaf(recordID: ledger.b.rawValue)).encoded)
        sequenced.outcome = "forged"
        await #expect(throws: StoreError.self) { try await store.appendLeaves([LedgerLeaf(index: 5, entry: sequenced)], at: 5) }
        #expect(try await store.leaves(from: 0, limit: 100).count == 5)
        #expect(try await store.leaf(recordID: id.rawValue) == nil)
        try await store.appendLeaves([LedgerLeaf(index: 5, entry: entry)], at: 5)
        #expect(try await store.leaf(recordID: id.rawValue)?.index == 5)
    }

    static func alarmsWhenTheStoreGoesBackInTime(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        // A restore from before the last two leaves: the records are back to unsequenced, the leaves gone.
        try await harness.tamper(
            """
            INSERT INTO ledger_pending (record_id, kind, at)
                SELECT e.id, 1, e.completed_at FROM exchanges e JOIN ledger_leaves l ON l.record_id = e.id WHERE l.idx >= 3;
            INSERT INTO ledger_pending (record_id, kind, at)
                SELECT r.id, 2, r.at FROM refusals r JOIN ledger_leaves l ON l.record_id = r.id WHERE l.idx >= 3;
            DELETE FROM ledger_leaves WHERE idx >= 3;
            DELETE FROM ledger_checkpoints WHERE size > 3
            """
        )
        let restarted = SealedLedger.makeSequencer(ledger.store, signer: ledger.signer, state: ledger.state)
        try await restarted.start()
        let alarm = try #require(await restarted.alarm)
        #expect(alarm.contains("holds 3 leaves but checkpoint 5 was signed"))
        #expect(try await restarted.step() == 0)
        #expect(await restarted.checkpoint == nil)
        #expect(try await ledger.store.latestCheckpoint() == nil)
    }

    static func alarmsWhenTheLedgerIsRewritten(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        // Same length, different history: two leaves swapped.
        try await harness.tamper(
            "UPDATE ledger_leaves SET idx = 100 WHERE idx = 0; UPDATE ledger_leaves SET idx = 0 WHERE idx = 1; UPDATE ledger_leaves SET idx = 1 WHERE idx = 100"
        )
        let restarted = SealedLedger.makeSequencer(ledger.store, signer: ledger.signer, state: ledger.state)
        try await restarted.start()
        #expect(await restarted.alarm?.contains("do not have the root Warden signed") == true)
        #expect(try await SealedLedger.record(ledger.store, at: Samples.seconds(30), session: "a", seed: 9) != ledger.b)
        #expect(try await restarted.step() == 0)
    }

    static func verifiesAnUntouchedLedger(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        #expect(try await ledger.audit() == [])
    }
}
