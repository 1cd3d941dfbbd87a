import Foundation
import Logging
import WardenCore
import WardenStore

/// `warden-bench ledger [--exchanges N]`: the ledger's own costs on a real SQLite file: sequencing (leaf appends
/// per second, batched), time from an exchange's close to a checkpoint covering it, proof generation and
/// verification, and a full audit with and without recomputing body hashes.
enum LedgerBench {
    static let command = "ledger"

    static func run(_ arguments: [String]) async throws {
        var exchanges = 100_000
        if let index = arguments.firstIndex(of: "--exchanges"), index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
            exchanges = count
        }
        // `--keep DIR` leaves the data directory in place, so `warden verify` itself can be timed on it.
        let kept = arguments.firstIndex(of: "--keep").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        let work =
            kept.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("warden-ledger-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if kept == nil { try? FileManager.default.removeItem(at: work) } }
        var logger = Logger(label: "ledger-bench")
        logger.logLevel = .critical
        let store = try SQLiteStore(path: work.appendingPathComponent("warden.sqlite").path)
        try await store.prepare()
        let signer = try NoteSignerKey.generate(name: "bench.example/ledger")
        let sequencer = LedgerSequencer(
            store: store,
            signer: signer,
            checkpointFile: work.appendingPathComponent("ledger-checkpoint").path,
            publishDirectory: nil,
            logger: logger
        )
        try await sequencer.start()
        print(
            "Ledger benchmark: \(exchanges) exchanges in 1,000 sessions on a SQLite file; machine: \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )

        let recordStart = ContinuousClock.now
        try await record(exchanges, into: store)
        print("  recorded through the store API in \(format(ContinuousClock.now - recordStart))")

        let sequenceStart = ContinuousClock.now
        var appended = 0
        while appended < exchanges { appended += try await sequencer.step() }
        let sequencing = ContinuousClock.now - sequenceStart
        print("  sequenced \(appended) leaves (10,000 per transaction) and signed: \(format(sequencing)), \(rate(appended, sequencing)) leaves/s")

        try await integrationLatency(store: store, sequencer: sequencer)
        try await proofs(store: store)

        for checkBodies in [false, true] {
            let auditStart = ContinuousClock.now
            let checkpoint = try require(try await store.latestCheckpoint())
            let report = try await LedgerAudit(store: store, trustedKeys: [signer.verifierKey], checkBodies: checkBodies)
                .run(checkpoints: [.init(name: "stored", note: checkpoint.note)])
            let elapsed = ContinuousClock.now - auditStart
            let what = checkBodies ? "with body hashes recomputed" : "records, chains and tree only (--skip-bodies)"
            print(
                "  full audit, \(what): \(format(elapsed)) for \(report.leaves) leaves, \(rate(Int(report.leaves), elapsed)) leaves/s, problems: \(report.problems.count)"
            )
        }
        try await store.shutdown()
        if kept != nil {
            print("  kept; time the command with: time warden verify --data-dir \(work.path) --key '\(signer.verifierKey)' --skip-bodies")
        }
    }

    /// Exchanges recorded concurrently, 512 at a time, so group commit batches them as a busy gateway would.
    private static func record(_ count: Int, into store: SQLiteStore) async throws {
        var next = 0
        while next < count {
            let batch = min(512, count - next)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for offset in 0..<batch {
                    let number = next + offset
                    group.addTask {
                        let at = Date()
                        let opening = ExchangeOpening(
                            id: ExchangeID(date: at),
                            session: SessionAssignment(source: .header, key: "session-\(number % 1000)"),
                            principal: Principal(issuer: "https://issuer.example", subject: "user-\(number % 50)"),
                            tokenHash: String(repeating: "ab", count: 32),
                            method: "POST",
                            path: "/v1/messages",
                            requestBody: Data(#"{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"question \#(number)"}]}"#.utf8),
                            model: "claude-sonnet-4-5",
                            receivedAt: at
                        )
                        _ = try await store.open(opening)
                        try await store.close(
                            ExchangeClosing(
                                id: opening.id,
                                outcome: .complete,
                                upstreamStatus: 200,
                                responseBody: Data(#"{"type":"message","content":[{"type":"text","text":"answer \#(number)"}]}"#.utf8),
                                usage: Usage(inputTokens: 12, outputTokens: 30),
                                stopReason: "end_turn",
                                completedAt: Date()
                            )
                        )
                    }
                }
                try await group.waitForAll()
            }
            next += batch
        }
    }

    /// From an exchange's close to a signed checkpoint covering it, with the sequencer on its default 250 ms cadence.
    private static func integrationLatency(store: SQLiteStore, sequencer: LedgerSequencer) async throws {
        let running = Task { await sequencer.run(interval: .milliseconds(250)) }
        defer { running.cancel() }
        var samples: [Duration] = []
        for sample in 0..<20 {
            let at = Date()
            let opening = ExchangeOpening(
                id: ExchangeID(date: at),
                session: SessionAssignment(source: .header, key: "latency"),
                principal: Principal(issuer: "https://issuer.example", subject: "latency"),
                tokenHash: String(repeating: "cd", count: 32),
                method: "POST",
                path: "/v1/messages",
                requestBody: Data("sample \(sample)".utf8),
                receivedAt: at
            )
            _ = try await store.open(opening)
            let closed = ContinuousClock.now
            try await store.close(ExchangeClosing(id: opening.id, outcome: .complete, upstreamStatus: 200, completedAt: Date()))
            while try await sequencer.receipt(recordID: opening.id.rawValue) == nil { try await Task.sleep(for: .milliseconds(2)) }
            samples.append(ContinuousClock.now - closed)
        }
        samples.sort()
        print("  close → covered by a signed checkpoint (interval 250 ms, 20 samples): p50 \(format(samples[10])), max \(format(samples[19]))")
    }

    private static func proofs(store: SQLiteStore) async throws {
        let hashes = try await store.leafHashes()
        let tree = MerkleTree(leafHashes: hashes)
        let size = tree.size
        let root = tree.root
        let indexes = (0..<10_000).map { UInt64(($0 &* 7919) % Int(size)) }
        let generateStart = ContinuousClock.now
        let inclusion = try indexes.map { try tree.inclusionProof(index: $0, size: size) }
        let generated = ContinuousClock.now - generateStart
        let verifyStart = ContinuousClock.now
        for (index, proof) in zip(indexes, inclusion) {
            try MerkleVerifier.verifyInclusion(leafHash: hashes[Int(index)], index: index, size: size, proof: proof, root: root)
        }
        let verified = ContinuousClock.now - verifyStart
        print(
            "  10,000 inclusion proofs at size \(size): generated in \(format(generated)) (\(micros(generated / 10_000)) each), verified in \(format(verified)) (\(micros(verified / 10_000)) each)"
        )
        let consistencyStart = ContinuousClock.now
        for old in indexes.prefix(1_000) where old > 0 {
            let proof = try tree.consistencyProof(from: old, to: size)
            try MerkleVerifier.verifyConsistency(size1: old, size2: size, root1: try tree.root(size: old), root2: root, proof: proof)
        }
        print("  1,000 consistency proofs generated and verified: \(format(ContinuousClock.now - consistencyStart))")
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds >= 1 ? String(format: "%.2f s", seconds) : String(format: "%.1f ms", seconds * 1000)
    }

    private static func micros(_ duration: Duration) -> String {
        String(format: "%.1f µs", (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1e6)
    }

    private static func rate(_ count: Int, _ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(Int(Double(count) / seconds))
    }
}

private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw BenchError.failed("expected a value") }
    return value
}
