import Foundation
import Testing
import WardenCore

@Suite("Checkpoints: one canonical body per tree head")
struct CheckpointTests {
    static let specBody = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

    @Test("the tlog-checkpoint example body parses and serialises back byte for byte")
    func specExample() throws {
        let checkpoint = try Checkpoint(body: Self.specBody)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.rootHash.base64 == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
        #expect(checkpoint.extensionLines.isEmpty)
        #expect(checkpoint.body == Self.specBody)
    }

    @Test("the empty tree's size is written 0")
    func emptyTree() throws {
        let checkpoint = try Checkpoint(body: "log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        #expect(checkpoint.size == 0)
        #expect(try NoteFixtures.checkpoint(size: 0).body.split(separator: "\n")[1] == "0")
    }

    @Test(
        "sizes with leading zeros, signs, spaces or beyond int64 are refused",
        arguments: ["00", "01", "020852163", "+5", "-1", " 5", "5 ", "0x10", "", "9223372036854775808", "18446744073709551616"]
    )
    func malformedSize(size: String) {
        #expect(throws: CheckpointError.malformedSize) {
            try Checkpoint(body: "log\n\(size)\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
        }
    }

    @Test("the largest int64 size is accepted")
    func largestSize() throws {
        #expect(try Checkpoint(body: "log\n9223372036854775807\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n").size == Checkpoint.maximumSize)
        #expect(throws: CheckpointError.malformedSize) { try NoteFixtures.checkpoint(size: Checkpoint.maximumSize + 1) }
    }

    @Test(
        "a root that is not the canonical base64 of 32 bytes is refused",
        arguments: [
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=",  // unused bits set: same bytes, other spelling
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I",  // padding missing
            "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=",  // URL alphabet
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx",  // 30 bytes
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=AAAA",  // 35 bytes
            " CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
            "",
        ]
    )
    func malformedRoot(root: String) {
        #expect(throws: CheckpointError.malformedRootHash) { try Checkpoint(body: "log\n5\n\(root)\n") }
    }

    @Test(
        "structural faults are refused precisely",
        arguments: [
            ("log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", CheckpointError.missingFinalNewline),
            ("log\n5\n", .tooFewLines),
            ("\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .emptyOrigin),
            ("log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\n", .emptyExtensionLine(2)),
            ("log\r\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", .controlCharacter(offset: 3)),
        ]
    )
    func malformedStructure(body: String, error: CheckpointError) {
        #expect(throws: error) { try Checkpoint(body: body) }
    }

    @Test("extension lines are parsed, kept and signed, though Warden writes none")
    func extensionLines() throws {
        let body = "log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nfirst ext\nsecond\n"
        let checkpoint = try Checkpoint(body: body)
        #expect(checkpoint.extensionLines == ["first ext", "second"])
        #expect(checkpoint.body == body)
        #expect(throws: CheckpointError.emptyExtensionLine(1)) {
            try Checkpoint(origin: "log", size: 1, rootHash: NoteFixtures.hash(1), extensionLines: [""])
        }
        #expect(try NoteFixtures.checkpoint().extensionLines.isEmpty)
    }

    @Test("origins must be non-empty, and no field may smuggle in a line")
    func origins() {
        #expect(throws: CheckpointError.emptyOrigin) { try Checkpoint(origin: "", size: 1, rootHash: NoteFixtures.hash(1)) }
        #expect(throws: CheckpointError.newlineInField) { try Checkpoint(origin: "a\nb", size: 1, rootHash: NoteFixtures.hash(1)) }
        #expect(throws: CheckpointError.newlineInField) {
            try Checkpoint(origin: "a", size: 1, rootHash: NoteFixtures.hash(1), extensionLines: ["x\ny"])
        }
    }

    @Test("a signed checkpoint built by Warden opens with the log key and yields the same tree head")
    func signAndOpen() throws {
        let log = try NoteFixtures.logKey()
        let text = try Checkpoint.signedText(origin: NoteFixtures.origin, size: 42, rootHash: NoteFixtures.hash(7), signer: log)
        #expect(text.hasPrefix(NoteFixtures.origin + "\n42\n" + NoteFixtures.hash(7).base64 + "\n\n\u{2014} " + NoteFixtures.origin + " "))
        let (checkpoint, note) = try Checkpoint.open(text, verifiers: [log.verifierKey])
        #expect(checkpoint.origin == NoteFixtures.origin)
        #expect(checkpoint.size == 42)
        #expect(checkpoint.rootHash == NoteFixtures.hash(7))
        #expect(note.verifiedSignatures.count == 1)
    }

    @Test("a signed checkpoint is refused by another key, and when its size or root is altered")
    func tamperedSignedCheckpoint() throws {
        let log = try NoteFixtures.logKey()
        let text = try Checkpoint.signedText(origin: NoteFixtures.origin, size: 42, rootHash: NoteFixtures.hash(7), signer: log)
        let stranger = try NoteFixtures.logKey()
        #expect(throws: CheckpointError.note(.noVerifiedSignature)) { try Checkpoint.open(text, verifiers: [stranger.verifierKey]) }
        let invalid = CheckpointError.note(.invalidSignature(name: log.name, keyID: log.keyID))
        #expect(throws: invalid) { try Checkpoint.open(text.replacingOccurrences(of: "\n42\n", with: "\n43\n"), verifiers: [log.verifierKey]) }
        let otherRoot = text.replacingOccurrences(of: NoteFixtures.hash(7).base64, with: NoteFixtures.hash(8).base64)
        #expect(throws: invalid) { try Checkpoint.open(otherRoot, verifiers: [log.verifierKey]) }
    }

    @Test("a properly signed note that is not a checkpoint is refused as a checkpoint")
    func signedNonCheckpoint() throws {
        let log = try NoteFixtures.logKey()
        let note = try SignedNote(text: "log\n042\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n").signed(by: log)
        #expect(throws: CheckpointError.malformedSize) { try Checkpoint.open(note.serialized, verifiers: [log.verifierKey]) }
    }
}
