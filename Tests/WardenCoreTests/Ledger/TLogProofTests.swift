import Foundation
import Testing
import WardenCore

@Suite("tlog-proof receipts: strict, canonical, and every tampering detected")
struct TLogProofTests {
    /// A receipt for leaf 5 of a 10-leaf tree, signed by the log and cosigned by two witnesses that the policy requires.
    struct Fixture {
        let log: NoteSignerKey
        let witnesses: [Cosigner]
        let policy: WitnessPolicy
        let checkpoint: Checkpoint
        let leafHash = NoteFixtures.hash(200)
        let proof = [NoteFixtures.hash(101), NoteFixtures.hash(102), NoteFixtures.hash(103), NoteFixtures.hash(104)]
        let receipt: TLogProof

        init(extra: [UInt8]? = nil) throws {
            log = try NoteFixtures.logKey()
            witnesses = [try Cosigner.generate(name: "w1.example"), try Cosigner.generate(name: "w2.example")]
            policy = try WitnessPolicy(
                parsing: """
                    log \(log.verifierKey)
                    witness A \(witnesses[0].verifierKey)
                    witness B \(witnesses[1].verifierKey)
                    group both all A B
                    quorum both

                    """
            )
            checkpoint = try NoteFixtures.checkpoint(size: 10, seed: 42)
            let note = try NoteFixtures.cosignedCheckpoint(checkpoint, log: log, witnesses: witnesses)
            receipt = try TLogProof(index: 5, inclusionProof: proof, signedCheckpoint: note, extra: extra)
        }

        /// Stands in for the RFC 6962 verifier: a sound one accepts this leaf's genuine proof and nothing else.
        var genuineClaim: TLogProof.InclusionClaim {
            get throws {
                var captured: TLogProof.InclusionClaim?
                _ = try receipt.verify(policy: policy, leafHash: leafHash) { claim in
                    captured = claim
                    return true
                }
                return try #require(captured)
            }
        }

        func verify(_ text: some Collection<UInt8>, genuine: TLogProof.InclusionClaim) throws -> Checkpoint {
            try TLogProof(parsing: text).verify(policy: policy, leafHash: leafHash) { $0 == genuine }
        }
    }

    @Test("serialisation follows the spec's grammar line by line")
    func grammar() throws {
        let fixture = try Fixture(extra: Array("age-v1.2.1".utf8))
        let lines = fixture.receipt.serialized.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "c2sp.org/tlog-proof@v1")
        #expect(lines[1] == "extra " + Data("age-v1.2.1".utf8).base64EncodedString())
        #expect(lines[2] == "index 5")
        #expect(lines[3...6].map(String.init) == fixture.proof.map(\.base64))
        #expect(lines[7] == "")
        #expect(lines[8...].joined(separator: "\n") == fixture.receipt.signedCheckpoint.serialized)
    }

    @Test("receipts round-trip with and without extra data, and with an empty proof")
    func roundTrip() throws {
        for extra in [nil, [], Array("opaque".utf8)] as [[UInt8]?] {
            let fixture = try Fixture(extra: extra)
            let parsed = try TLogProof(parsing: fixture.receipt.serialized)
            #expect(parsed == fixture.receipt)
            #expect(parsed.extra == extra)
            #expect(parsed.serialized == fixture.receipt.serialized)
        }
        let fixture = try Fixture()
        let single = try TLogProof(index: 0, inclusionProof: [], signedCheckpoint: fixture.receipt.signedCheckpoint)
        #expect(single.serialized.hasPrefix("c2sp.org/tlog-proof@v1\nindex 0\n\n" + NoteFixtures.origin + "\n"))
        #expect(try TLogProof(parsing: single.serialized) == single)
    }

    @Test("a genuine receipt verifies offline against the policy and hands the caller the claim to check")
    func verifies() throws {
        let fixture = try Fixture()
        let claim = try fixture.genuineClaim
        #expect(claim.index == 5)
        #expect(claim.treeSize == 10)
        #expect(claim.rootHash == fixture.checkpoint.rootHash)
        #expect(claim.proof == fixture.proof)
        #expect(claim.leafHash == fixture.leafHash)
        #expect(try fixture.verify(Array(fixture.receipt.serialized.utf8), genuine: claim) == fixture.checkpoint)
        #expect(throws: TLogProofError.inclusionNotProven) {
            try fixture.receipt.verify(policy: fixture.policy, leafHash: NoteFixtures.hash(201)) { $0 == claim }
        }
    }

    @Test("an index outside the checkpointed tree is refused before any Merkle work")
    func indexOutOfRange() throws {
        let fixture = try Fixture()
        let receipt = try TLogProof(index: 10, inclusionProof: fixture.proof, signedCheckpoint: fixture.receipt.signedCheckpoint)
        #expect(throws: TLogProofError.indexOutOfRange) {
            try receipt.verify(policy: fixture.policy, leafHash: fixture.leafHash) { _ in true }
        }
    }

    @Test("stripping a cosignature below quorum, or the log's signature, fails verification")
    func strippedSignatures() throws {
        let fixture = try Fixture()
        let claim = try fixture.genuineClaim
        let note = fixture.receipt.signedCheckpoint
        for dropped in note.signatures.indices {
            var kept = note.signatures
            kept.remove(at: dropped)
            let stripped = try TLogProof(
                index: 5,
                inclusionProof: fixture.proof,
                signedCheckpoint: SignedNote(text: note.text, signatures: kept)
            )
            #expect(throws: TLogProofError.self) {
                try fixture.verify(Array(stripped.serialized.utf8), genuine: claim)
            }
        }
    }

    @Test("every single-byte change to a receipt either fails to parse or fails verification")
    func everyByteTampered() throws {
        let fixture = try Fixture()
        let claim = try fixture.genuineClaim
        let original = Array(fixture.receipt.serialized.utf8)
        var parsedButRefused = 0
        var accepted: [Int] = []
        for offset in original.indices {
            for replacement in Set([original[offset] ^ 0x01, original[offset] ^ 0x20, UInt8(ascii: "A"), UInt8(ascii: "\n")])
            where replacement != original[offset] {
                var tampered = original
                tampered[offset] = replacement
                guard let parsed = try? TLogProof(parsing: tampered) else { continue }
                // Canonical parsing: whatever parses serialises back to exactly its input, so it carries other values.
                #expect(Array(parsed.serialized.utf8) == tampered)
                #expect(parsed != fixture.receipt)
                if (try? fixture.verify(tampered, genuine: claim)) != nil {
                    accepted.append(offset)
                } else {
                    parsedButRefused += 1
                }
            }
        }
        #expect(accepted.isEmpty, "accepted tampering at offsets \(accepted)")
        #expect(parsedButRefused > 0)
    }

    @Test("the extra line is not authenticated: changing it leaves the receipt valid, as the spec warns")
    func extraIsUnauthenticated() throws {
        let fixture = try Fixture(extra: Array("context".utf8))
        let claim = try fixture.genuineClaim
        let changed = fixture.receipt.serialized.replacingOccurrences(
            of: "extra " + Data("context".utf8).base64EncodedString(),
            with: "extra " + Data("forged!".utf8).base64EncodedString()
        )
        let parsed = try TLogProof(parsing: changed)
        #expect(parsed.extra == Array("forged!".utf8))
        #expect(try fixture.verify(Array(changed.utf8), genuine: claim) == fixture.checkpoint)
    }

    @Test("the index, a proof line or the checkpoint, once changed, change the parsed values and fail verification")
    func namedTamperings() throws {
        let fixture = try Fixture()
        let claim = try fixture.genuineClaim
        let text = fixture.receipt.serialized
        let tamperings = [
            text.replacingOccurrences(of: "index 5\n", with: "index 4\n"),
            text.replacingOccurrences(of: "index 5\n", with: "index 6\n"),
            text.replacingOccurrences(of: NoteFixtures.hash(102).base64, with: NoteFixtures.hash(105).base64),
            text.replacingOccurrences(of: NoteFixtures.hash(104).base64 + "\n", with: ""),
            text.replacingOccurrences(of: "\n\n", with: "\n" + NoteFixtures.hash(105).base64 + "\n\n"),
            text.replacingOccurrences(of: "\n10\n", with: "\n11\n"),
            text.replacingOccurrences(of: NoteFixtures.hash(42).base64, with: NoteFixtures.hash(43).base64),
        ]
        for tampered in tamperings {
            #expect(tampered != text)
            let parsed = try TLogProof(parsing: tampered)
            #expect(parsed != fixture.receipt)
            #expect(throws: TLogProofError.self) { try fixture.verify(Array(tampered.utf8), genuine: claim) }
        }
    }

    @Test(
        "malformed receipts are refused precisely",
        arguments: [
            ("", TLogProofError.missingHeader),
            ("c2sp.org/tlog-proof@v2\nindex 0\n\n", .missingHeader),
            ("c2sp.org/tlog-proof@v1\r\nindex 0\n\n", .missingHeader),
            ("c2sp.org/tlog-proof@v1\n", .malformedIndex),
            ("c2sp.org/tlog-proof@v1\nindex 007\n\n", .malformedIndex),
            ("c2sp.org/tlog-proof@v1\nindex +1\n\n", .malformedIndex),
            ("c2sp.org/tlog-proof@v1\nindex  1\n\n", .malformedIndex),
            ("c2sp.org/tlog-proof@v1\nindex 18446744073709551616\n\n", .malformedIndex),
            ("c2sp.org/tlog-proof@v1\nextra\nindex 0\n\n", .malformedIndex),
            ("c2sp.org/tlog-proof@v1\nindex 0\nextra AAAA\n\n", .malformedProofLine(1)),
            ("c2sp.org/tlog-proof@v1\nextra YR==\nindex 0\n\n", .malformedExtra),
            ("c2sp.org/tlog-proof@v1\nextra !!notbase64!!\nindex 0\n\n", .malformedExtra),
            ("c2sp.org/tlog-proof@v1\nindex 0\nypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLt=\n\n", .malformedProofLine(1)),
            ("c2sp.org/tlog-proof@v1\nindex 0\n" + Data(count: 64).base64EncodedString() + "\n\n", .malformedProofLine(1)),
            ("c2sp.org/tlog-proof@v1\nindex 1\n", .missingCheckpoint),
            ("c2sp.org/tlog-proof@v1\nindex 1\n" + Data(count: 32).base64EncodedString() + "\n", .missingCheckpoint),
            ("c2sp.org/tlog-proof@v1\nindex 1\n\ncp a\ncp b", .checkpoint(.note(.missingBlankLine))),
        ]
    )
    func malformed(text: String, error: TLogProofError) {
        #expect(throws: error) { try TLogProof(parsing: text) }
    }

    @Test("at most 63 proof hashes are read, so a hostile receipt cannot make the verifier loop")
    func proofLengthLimit() throws {
        let fixture = try Fixture()
        let proof63 = [MerkleHash](repeating: NoteFixtures.hash(1), count: 63)
        let receipt = try TLogProof(index: 5, inclusionProof: proof63, signedCheckpoint: fixture.receipt.signedCheckpoint)
        #expect(try TLogProof(parsing: receipt.serialized).inclusionProof.count == 63)
        let sixtyFour = receipt.serialized.replacingOccurrences(of: "index 5\n", with: "index 5\n" + NoteFixtures.hash(1).base64 + "\n")
        #expect(throws: TLogProofError.tooManyProofLines) { try TLogProof(parsing: sixtyFour) }
        #expect(throws: TLogProofError.tooManyProofLines) {
            try TLogProof(index: 5, inclusionProof: proof63 + [NoteFixtures.hash(2)], signedCheckpoint: fixture.receipt.signedCheckpoint)
        }
    }
}
