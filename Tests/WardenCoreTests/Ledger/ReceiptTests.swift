import Foundation
import Testing
import WardenCore

@Suite("Receipts: made from the tree, verified offline, every tampering refused")
struct ReceiptTests {
    static let origin = "warden.example/ledger"

    struct Log {
        var entries: [LedgerEntry] = []
        var tree = MerkleTree()
        let signer: NoteSignerKey

        init(entries count: Int, origin: String = ReceiptTests.origin) throws {
            signer = try NoteSignerKey.generate(name: origin)
            for index in 0..<count {
                var entry = LedgerEntry(kind: .exchange, origin: origin, id: "01JD\(index)")
                entry.sessionID = "session-\(index % 3)"
                entry.subject = "user-\(index % 2)"
                entry.responseBodySHA256 = String(repeating: "0\(index % 10)", count: 32)
                append(entry)
            }
        }

        mutating func append(_ entry: LedgerEntry) {
            entries.append(entry)
            tree.append(leafHash: entry.leafHash)
        }

        func checkpoint() throws -> SignedNote {
            try Checkpoint(origin: signer.verifierKey.name, size: tree.size, rootHash: tree.root).signed(by: signer)
        }

        func receipt(_ index: Int) throws -> String {
            try Receipt.make(entry: entries[index], index: UInt64(index), tree: tree, signedCheckpoint: checkpoint()).serialized
        }

        var policy: WitnessPolicy {
            get throws { try WitnessPolicy(parsing: "log \(signer.verifierKey)\nquorum none\n") }
        }
    }

    static func problem(_ receipt: String, _ policy: WitnessPolicy) -> Receipt.Problem? {
        if case .failure(let problem) = Receipt.verify(Array(receipt.utf8), policy: policy) { return problem }
        return nil
    }

    @Test("a receipt for every leaf of a 37-leaf log verifies and gives back its entry")
    func everyLeafVerifies() throws {
        let log = try Log(entries: 37)
        for index in 0..<37 {
            let verified = try Receipt.verify(Array(log.receipt(index).utf8), policy: log.policy).get()
            #expect(verified.entry == log.entries[index])
            #expect(verified.index == UInt64(index))
            #expect(verified.checkpoint.size == 37)
        }
    }

    @Test("a changed index, proof hash, root, entry or signature is refused")
    func tampering() throws {
        let log = try Log(entries: 20)
        let policy = try log.policy
        let good = try log.receipt(5)
        #expect(Self.problem(good, policy) == nil)

        #expect(Self.problem(good.replacingOccurrences(of: "index 5\n", with: "index 6\n"), policy) == .notIncluded)
        #expect(Self.problem(good.replacingOccurrences(of: "index 5\n", with: "index 25\n"), policy) == .indexOutsideTree(index: 25, size: 20))

        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let proofLine = lines.firstIndex { $0.hasPrefix("index ") }! + 1
        lines[proofLine] = RFC6962.leafHash(Array("forged".utf8)).base64
        #expect(Self.problem(lines.joined(separator: "\n"), policy) == .notIncluded)

        let root = log.tree.root.base64
        let otherRoot = RFC6962.leafHash(Array("other".utf8)).base64
        if case .untrustedCheckpoint = Self.problem(good.replacingOccurrences(of: root, with: otherRoot), policy) {
        } else {
            Issue.record("a checkpoint with a changed root must fail its signature")
        }

        var moved = log.entries[5]
        moved.subject = "someone-else"
        let movedReceipt = try TLogProof(parsing: good)
        let withMovedEntry = try TLogProof(
            index: 5,
            inclusionProof: movedReceipt.inclusionProof,
            signedCheckpoint: movedReceipt.signedCheckpoint,
            extra: moved.encoded
        )
        #expect(Self.problem(withMovedEntry.serialized, policy) == .notIncluded)

        let unsigned = good.components(separatedBy: "\n— ")[0] + "\n"
        if case .malformed = Self.problem(unsigned, policy) {} else { Issue.record("a receipt without signature must be refused") }

        let stranger = try Log(entries: 20)
        if case .untrustedCheckpoint = Self.problem(good, try stranger.policy) {
        } else {
            Issue.record("a checkpoint signed by another key must not be trusted")
        }
    }

    @Test("an entry of another log, included in this log's tree, is refused")
    func wrongLog() throws {
        var log = try Log(entries: 3)
        var foreign = LedgerEntry(kind: .exchange, origin: "other.example/ledger", id: "x")
        foreign.subject = "mallory"
        log.append(foreign)
        #expect(Self.problem(try log.receipt(3), try log.policy) == .wrongLog(entry: "other.example/ledger", checkpoint: Self.origin))
    }

    @Test("a receipt without its entry, or with a garbled one, is refused")
    func entryRequired() throws {
        let log = try Log(entries: 4)
        let proof = try TLogProof(parsing: log.receipt(1))
        let bare = try TLogProof(index: 1, inclusionProof: proof.inclusionProof, signedCheckpoint: proof.signedCheckpoint)
        #expect(Self.problem(bare.serialized, try log.policy) == .noEntry)
        let garbled = try TLogProof(
            index: 1,
            inclusionProof: proof.inclusionProof,
            signedCheckpoint: proof.signedCheckpoint,
            extra: Array("not a leaf".utf8)
        )
        #expect(Self.problem(garbled.serialized, try log.policy) == .malformedEntry(.badMagic))
    }

    @Test("a policy that requires a witness refuses the receipt until the witness has cosigned")
    func witnessQuorum() throws {
        let log = try Log(entries: 9)
        let witness = try Cosigner.generate(name: "witness.example/w1")
        let policy = try WitnessPolicy(parsing: "log \(log.signer.verifierKey)\nwitness w1 \(witness.verifierKey)\nquorum w1\n")
        let receipt = try log.receipt(4)
        #expect(Self.problem(receipt, policy) == .untrustedCheckpoint(.quorumNotSatisfied(cosigners: [])))

        var cosigned = try log.checkpoint()
        let checkpoint = try Checkpoint(body: cosigned.text)
        cosigned.add(try witness.cosign(checkpoint, timestamp: 1_700_000_000).noteSignature)
        let witnessed = try Receipt.make(entry: log.entries[4], index: 4, tree: log.tree, signedCheckpoint: cosigned)
        #expect(Self.problem(witnessed.serialized, policy) == nil)
    }
}
