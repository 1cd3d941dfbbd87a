import ArgumentParser
import Foundation
import WardenCore
import WardenGateway
import WardenStore

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check offline that the recordings are exactly what the ledger and its signed checkpoints say.",
        discussion: """
            Recomputes every leaf from the stored records, rebuilds the Merkle tree, checks each session's chain, \
            recomputes the body hashes, and holds the tree against the latest signed checkpoint and every --checkpoint \
            given (proving the older ones consistent with the newest). Prints one INVALID line per problem and exits 1.
            """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "A verifier key (name+id+key) to trust, or a file holding one; repeatable.")
    var key: [String] = []

    @Option(name: .long, help: "A signed checkpoint kept elsewhere (by a witness, a CI job, a bucket); repeatable.")
    var checkpoint: [String] = []

    @Flag(name: .long, help: "Skip recomputing body hashes from the stored bytes (much faster on large stores).")
    var skipBodies = false

    func run() async throws {
        let configuration = try storeOptions.configuration()
        let keys = try trustedKeys(configuration)
        let store = try await storeOptions.openStore()
        var sources: [LedgerAudit.Source] = []
        if let stored = try await store.latestCheckpoint() { sources.append(.init(name: "in the store (size \(stored.size))", note: stored.note)) }
        let remembered = configuration.ledgerCheckpointPath
        if let data = FileManager.default.contents(atPath: remembered) {
            sources.append(.init(name: remembered, note: String(decoding: data, as: UTF8.self)))
        }
        for path in checkpoint {
            sources.append(.init(name: path, note: String(decoding: try InputFile.read(path), as: UTF8.self)))
        }
        let report = try await LedgerAudit(store: store, trustedKeys: keys, checkBodies: !skipBodies).run(checkpoints: sources)
        try await store.shutdown()
        for problem in report.problems { print(problem) }
        for note in report.notes { print("note: \(note)") }
        guard report.problems.isEmpty else {
            print("INVALID: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") in \(report.leaves) leaves")
            throw ExitCode(1)
        }
        let root = report.root.map { ", root \($0.base64)" } ?? ""
        print(
            "OK \(report.leaves) leaves in \(report.sessions) sessions; checkpoint \(report.verifiedCheckpoint.map(String.init) ?? "-") verified\(root)"
        )
    }

    /// The keys given, or else the gateway's own signing key, which proves less: whoever can change the store may
    /// be able to change that file too.
    private func trustedKeys(_ configuration: WardenConfiguration) throws -> [NoteVerifierKey] {
        if !key.isEmpty {
            return try key.map { argument in
                do {
                    return try NoteVerifierKey(try VerifyReceipt.keyText(argument))
                } catch {
                    throw ValidationError("--key \(argument.prefix(80)) is not a verifier key: \(error)")
                }
            }
        }
        let path = configuration.ledgerSigningKeyPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no --key given and no signing key at \(path)")
        }
        FileHandle.standardError.write(Data("note: trusting the key in \(path); pass --key with the verifier key you hold\n".utf8))
        return [try LedgerKeyFile.load(path: path).verifierKey]
    }
}

struct Prove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a C2SP tlog-proof receipt for an exchange, checkable with `warden verify-receipt`."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The exchange id.")
    var exchange: String

    @Option(name: .long, help: "Write the receipt here instead of standard output.")
    var out: String?

    func run() async throws {
        let store = try await storeOptions.openStore()
        let receipt: TLogProof
        do {
            receipt = try await make(from: store)
            try await store.shutdown()
        } catch {
            try? await store.shutdown()
            throw error
        }
        if let out {
            try Data(receipt.serialized.utf8).write(to: URL(fileURLWithPath: out))
        } else {
            print(receipt.serialized, terminator: "")
        }
    }

    private func make(from store: any RecordingStore) async throws -> TLogProof {
        guard let stored = try await store.latestCheckpoint() else { throw ValidationError("the ledger has no signed checkpoint yet") }
        guard let leaf = try await store.leaf(recordID: exchange) else {
            throw ValidationError("\(exchange) has no leaf yet (unknown, still open, or not sequenced yet)")
        }
        guard leaf.index < stored.size else { throw ValidationError("\(exchange) is not covered by a signed checkpoint yet; retry in a second") }
        let tree = MerkleTree(leafHashes: try await store.leafHashes(count: stored.size))
        return try Receipt.make(
            entry: try LedgerEntry(encoded: leaf.encoded),
            index: leaf.index,
            tree: tree,
            signedCheckpoint: try SignedNote(parsing: stored.note)
        )
    }
}
