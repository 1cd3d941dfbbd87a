import Foundation
import Testing
import WardenCore

@Suite("Cosignatures: the cosignature/v1 message, timestamps and witness keys")
struct CosignatureTests {
    @Test("the signed message is byte-exact: header, time line, then the whole checkpoint body")
    func goldenMessage() throws {
        let body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
        let expected =
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
        #expect(Cosignature.message(timestamp: 1_679_315_147, checkpointBody: body) == expected)
        #expect(Cosignature.message(timestamp: 0, checkpointBody: "o\n1\nx\n") == "cosignature/v1\ntime 0\no\n1\nx\n")
        let withExtension = try Checkpoint(body: body + "ext\n")
        #expect(Cosignature.message(timestamp: 7, checkpointBody: withExtension.body).hasSuffix("q2I=\next\n"))
    }

    @Test("the tlog-cosignature example line carries key ID 8d66cf3f and the timestamp of the example message")
    func specExampleLine() throws {
        let line =
            "\u{2014} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="
        let cosignature = try Cosignature(line: line)
        #expect(cosignature.name == "witness.example.com/w1")
        #expect(cosignature.keyID == 0x8d66_cf3f)
        #expect(cosignature.timestamp == 1_679_315_147)
        #expect(cosignature.signature.count == 64)
        #expect(cosignature.noteSignature.line == line)
    }

    @Test("a witness's cosignature verifies with its key, on that checkpoint only")
    func signAndVerify() throws {
        let witness = try Cosigner.generate(name: "witness.example/w1")
        let checkpoint = try NoteFixtures.checkpoint()
        let cosignature = try witness.cosign(checkpoint, timestamp: 1_700_000_123)
        #expect(cosignature.timestamp == 1_700_000_123)
        #expect(cosignature.keyID == witness.keyID)
        try cosignature.verify(on: checkpoint, by: witness.verifierKey)
        let parsed = try Cosignature(line: cosignature.noteSignature.line)
        #expect(parsed == cosignature)
        try parsed.verify(on: checkpoint, by: witness.verifierKey)

        #expect(throws: CosignatureError.invalidSignature) { try cosignature.verify(on: NoteFixtures.checkpoint(size: 11), by: witness.verifierKey) }
        #expect(throws: CosignatureError.invalidSignature) { try cosignature.verify(on: NoteFixtures.checkpoint(seed: 2), by: witness.verifierKey) }
    }

    @Test("changing the timestamp breaks the signature, in either direction")
    func tamperedTimestamp() throws {
        let witness = try Cosigner.generate(name: "witness.example/w1")
        let checkpoint = try NoteFixtures.checkpoint()
        let line = try witness.cosign(checkpoint, timestamp: 1_700_000_000).noteSignature
        for delta in [-1, 1, 3600] {
            var bytes = line.signature
            let timestamp = UInt64(1_700_000_000 + delta)
            for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: timestamp >> UInt64(56 - 8 * index)) }
            let tampered = try Cosignature(NoteSignature(name: line.name, keyID: line.keyID, signature: bytes))
            #expect(tampered.timestamp == timestamp)
            #expect(throws: CosignatureError.invalidSignature) { try tampered.verify(on: checkpoint, by: witness.verifierKey) }
        }
    }

    @Test("timestamps above 2^63 - 1 are refused when signing and when reading")
    func timestampRange() throws {
        let witness = try Cosigner.generate(name: "w")
        let checkpoint = try NoteFixtures.checkpoint()
        #expect(throws: CosignatureError.timestampOutOfRange) { try witness.cosign(checkpoint, timestamp: UInt64(Int64.max) + 1) }
        _ = try witness.cosign(checkpoint, timestamp: UInt64(Int64.max))
        #expect(try witness.cosign(checkpoint, at: Date(timeIntervalSince1970: 1_700_000_000.9)).timestamp == 1_700_000_000)
        #expect(throws: CosignatureError.timestampOutOfRange) { try witness.cosign(checkpoint, at: Date(timeIntervalSince1970: 1e30)) }
        let signature = try NoteSignature(name: "w", keyID: witness.keyID, signature: [0x80] + [UInt8](repeating: 0, count: 71))
        #expect(throws: CosignatureError.timestampOutOfRange) { try Cosignature(signature) }
    }

    @Test("a cosignature of the wrong length is malformed")
    func wrongLength() throws {
        let short = try NoteSignature(name: "w", keyID: 1, signature: [UInt8](repeating: 0, count: 71))
        #expect(throws: CosignatureError.malformed) { try Cosignature(short) }
        #expect(throws: CosignatureError.malformed) { try Cosignature(line: "not a line") }
    }

    @Test("a cosignature is checked only by the cosignature key it names, never by a plain note key")
    func wrongKey() throws {
        let witness = try Cosigner.generate(name: "w")
        let other = try Cosigner.generate(name: "w")
        let checkpoint = try NoteFixtures.checkpoint()
        let cosignature = try witness.cosign(checkpoint, timestamp: 1)
        #expect(throws: CosignatureError.wrongKey) { try cosignature.verify(on: checkpoint, by: other.verifierKey) }
        let sameKeyAsNoteKey = try NoteVerifierKey(name: "w", publicKey: witness.verifierKey.publicKey, type: .ed25519)
        #expect(throws: CosignatureError.wrongKey) { try cosignature.verify(on: checkpoint, by: sameKeyAsNoteKey) }
    }

    @Test("opening a cosigned checkpoint verifies the log signature and the cosignatures together")
    func cosignaturesInNote() throws {
        let log = try NoteFixtures.logKey()
        let w1 = try Cosigner.generate(name: "witness.example/w1")
        let w2 = try Cosigner.generate(name: "witness.example/w2")
        let checkpoint = try NoteFixtures.checkpoint()
        let note = try NoteFixtures.cosignedCheckpoint(checkpoint, log: log, witnesses: [w1, w2])
        let opened = try SignedNote.open(note.serialized, verifiers: [log.verifierKey, w1.verifierKey, w2.verifierKey])
        #expect(opened.verifiedSignatures.count == 3)
        #expect(opened.isSigned(by: w1.verifierKey) && opened.isSigned(by: w2.verifierKey))

        // A cosignature whose timestamp was altered is a bad signature by a known key: the whole note is refused.
        var bytes = try #require(note.signatures.last).signature
        bytes[7] ^= 1
        var tampered = note
        tampered.add(try NoteSignature(name: w2.name, keyID: w2.keyID, signature: bytes))
        #expect(throws: SignedNoteError.invalidSignature(name: w2.name, keyID: w2.keyID)) {
            try SignedNote.open(tampered.serialized, verifiers: [log.verifierKey, w1.verifierKey, w2.verifierKey])
        }
    }

    @Test("a witness key cannot vouch for a note that is not a checkpoint")
    func cosignatureOnNonCheckpoint() throws {
        let witness = try Cosigner.generate(name: "w")
        let checkpoint = try NoteFixtures.checkpoint()
        let cosignature = try witness.cosign(checkpoint, timestamp: 5)
        let note = try SignedNote(text: checkpoint.body + "\n", signatures: [cosignature.noteSignature])
        #expect(throws: SignedNoteError.invalidSignature(name: "w", keyID: witness.keyID)) { try note.open(verifiers: [witness.verifierKey]) }
    }
}
