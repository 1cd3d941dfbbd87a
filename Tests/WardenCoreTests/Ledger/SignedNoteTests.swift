import Foundation
import Testing
import WardenCore

@Suite("Signed notes: parsed as Go parses them, trusted only when a configured key verifies")
struct SignedNoteTests {
    static let peter = try! NoteVerifierKey(NoteFixtures.goVerifierKey)
    static let enoch = try! NoteVerifierKey(NoteFixtures.enochVerifierKey)
    static let both = NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine + NoteFixtures.enochSignatureLine

    @Test("the C2SP example note verifies with the example vkey")
    func specVector() throws {
        let key = try NoteVerifierKey(NoteFixtures.specVerifierKey)
        let opened = try SignedNote.open(NoteFixtures.specNote, verifiers: [key])
        #expect(opened.text == NoteFixtures.specText)
        #expect(opened.verifiedSignatures.map(\.name) == ["example.com/foo"])
        #expect(opened.verifiedSignatures.first?.keyID == 0x530d_903a)
        #expect(opened.isSigned(by: key))
    }

    @Test("a one-byte change to the example text makes the known key's signature fail, refusing the note")
    func specVectorTampered() throws {
        let key = try NoteVerifierKey(NoteFixtures.specVerifierKey)
        let tampered = NoteFixtures.specNote.replacingOccurrences(of: "example message", with: "example messagE")
        #expect(throws: SignedNoteError.invalidSignature(name: "example.com/foo", keyID: 0x530d_903a)) {
            try SignedNote.open(tampered, verifiers: [key])
        }
    }

    @Test("Go's note: one known and one unknown signature; both known; the unknown one is kept unverified")
    func goOpen() throws {
        let one = try SignedNote.open(Self.both, verifiers: [Self.peter])
        #expect(one.text == NoteFixtures.goText)
        #expect(one.verifiedSignatures.map(\.name) == ["PeterNeumann"])
        #expect(one.unverifiedSignatures.map(\.name) == ["EnochRoot"])
        #expect(one.unverifiedSignatures.map(\.keyID) == [0xaf0c_fe78])

        let two = try SignedNote.open(Self.both, verifiers: [Self.peter, Self.enoch])
        #expect(two.verifiedSignatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(two.unverifiedSignatures.isEmpty)
    }

    @Test("a note signed only by unknown keys is refused, even when one shares a name or an ID with a known key")
    func onlyUnknownKeys() throws {
        #expect(throws: SignedNoteError.noVerifiedSignature) { try SignedNote.open(Self.both, verifiers: []) }
        // Same name as Peter's key, different key: the signature line's key ID does not match, so it is unknown.
        let impostor = try NoteSignerKey.generate(name: "PeterNeumann")
        #expect(impostor.keyID != Self.peter.keyID)
        let note = try SignedNote(text: NoteFixtures.goText).signed(by: impostor)
        #expect(throws: SignedNoteError.noVerifiedSignature) { try note.open(verifiers: [Self.peter]) }
    }

    @Test("a known key whose signature does not verify refuses the whole note, even next to a valid one")
    func badKnownSignature() throws {
        let peterLine = NoteFixtures.peterSignatureLine
        let index = peterLine.index(peterLine.startIndex, offsetBy: 60)
        let corrupted = String(peterLine[..<index]) + "ABCD" + String(peterLine[index...])
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try SignedNote.open(NoteFixtures.goText + "\n" + corrupted, verifiers: [Self.peter])
        }
        // A valid Enoch signature does not rescue a bad Peter signature.
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try SignedNote.open(NoteFixtures.goText + "\n" + NoteFixtures.enochSignatureLine + corrupted, verifiers: [Self.peter, Self.enoch])
        }
        // Unknown to the verifier, the same corrupted line is simply ignored.
        let opened = try SignedNote.open(NoteFixtures.goText + "\n" + NoteFixtures.enochSignatureLine + corrupted, verifiers: [Self.enoch])
        #expect(opened.unverifiedSignatures.map(\.name) == ["PeterNeumann"])
    }

    @Test("a second, bad signature by an already verified key still refuses the note (every known signature is checked)")
    func duplicateKnownSignature() throws {
        let corrupted = NoteFixtures.peterSignatureLine.replacingOccurrences(of: "x08go/", with: "x08go+")
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try SignedNote.open(NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine + corrupted, verifiers: [Self.peter])
        }
        let repeated = try SignedNote.open(
            NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine + NoteFixtures.peterSignatureLine + NoteFixtures.enochSignatureLine
                + NoteFixtures.enochSignatureLine,
            verifiers: [Self.peter]
        )
        #expect(repeated.verifiedSignatures.count == 1)
        #expect(repeated.unverifiedSignatures.count == 1)
    }

    @Test("two configured keys with the same name and ID make the note ambiguous")
    func ambiguousKeys() {
        #expect(throws: SignedNoteError.ambiguousKey(name: "EnochRoot", keyID: 0xaf0c_fe78)) {
            try SignedNote.open(NoteFixtures.goText + "\n" + NoteFixtures.enochSignatureLine, verifiers: [Self.enoch, Self.peter, Self.enoch])
        }
    }

    @Test(
        "malformed notes are refused with a precise error (Go's bad-message list and more)",
        arguments: [
            (NoteFixtures.goText, SignedNoteError.missingBlankLine),
            (NoteFixtures.goText + "\n", .noSignatures),
            (NoteFixtures.goText + "\n" + String(NoteFixtures.peterSignatureLine.dropLast()), .missingFinalNewline),
            ("\u{01}" + NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine, .controlCharacter(offset: 0)),
            (NoteFixtures.goText + NoteFixtures.peterSignatureLine, .missingBlankLine),
            (NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine + "Unexpected line.\n", .malformedSignatureLine(2)),
            (
                NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine.replacingOccurrences(of: "PeterNeumann", with: "Bad Name"),
                .malformedSignatureLine(1)
            ),
            (
                NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine.replacingOccurrences(of: "PeterNeumann", with: "Peter+Neumann"),
                .malformedSignatureLine(1)
            ),
            (
                NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine.replacingOccurrences(of: "\u{2014}", with: "-"),
                .malformedSignatureLine(1)
            ),
            (NoteFixtures.goText + "\n" + "\u{2014} PeterNeumann \n", .malformedSignatureLine(1)),
            (NoteFixtures.goText + "\n" + "\u{2014} PeterNeumann AAAAAA==\n", .malformedSignatureLine(1)),
            (NoteFixtures.goText + "\n" + "\u{2014}  x08go/ZJ\n", .malformedSignatureLine(1)),
        ]
    )
    func malformed(note: String, error: SignedNoteError) {
        #expect(throws: error) { try SignedNote(parsing: note) }
        #expect(throws: error) { try SignedNote.open(note, verifiers: [Self.peter]) }
    }

    @Test("control characters anywhere are refused, including CR and tab", arguments: ["\r", "\t", "\u{0B}", "\u{1B}", "\u{00}"])
    func controlCharacters(control: String) throws {
        let note = "This is an\(control) example message.\n\n" + NoteFixtures.specSignatureLine + "\n"
        #expect(throws: SignedNoteError.controlCharacter(offset: 10)) { try SignedNote(parsing: note) }
        #expect(throws: SignedNoteError.controlCharacter(offset: 10)) { try SignedNote(text: "This is an\(control) example message.\n") }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: SignedNoteError.invalidUTF8) {
            try SignedNote(parsing: [0xFF] + NoteFixtures.bytes(NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine))
        }
    }

    @Test("a non-canonical base64 signature is refused, though it decodes to the same bytes")
    func nonCanonicalSignatureBase64() {
        // "…+QQ=" carries 8 bits in its last group; "…+QR=" decodes the same but sets an unused bit.
        let line = NoteFixtures.enochSignatureLine.replacingOccurrences(of: "+QQ=", with: "+QR=")
        #expect(throws: SignedNoteError.malformedSignatureLine(1)) { try SignedNote(parsing: NoteFixtures.goText + "\n" + line) }
    }

    @Test("the text ends at the last blank line, so texts may contain blank lines and signature-like lines")
    func lastBlankLineSplits() throws {
        let signer = try NoteSignerKey.generate(name: "log")
        let text = "first\n\n\u{2014} not a signature\n\nlast\n"
        let note = try SignedNote(text: text).signed(by: signer)
        let opened = try SignedNote.open(note.serialized, verifiers: [signer.verifierKey])
        #expect(opened.text == text)
    }

    @Test("at least 16 signatures are accepted; more than the limit are refused; the limit is a parameter")
    func signatureLimit() throws {
        let line = NoteFixtures.peterSignatureLine
        let sixteen = NoteFixtures.goText + "\n" + String(repeating: line, count: 16)
        #expect(try SignedNote(parsing: sixteen).signatures.count == 16)
        #expect(try SignedNote(parsing: sixteen, signatureLimit: 16).signatures.count == 16)
        #expect(try SignedNote.open(sixteen, verifiers: [Self.peter], signatureLimit: 16).verifiedSignatures.count == 1)
        #expect(throws: SignedNoteError.tooManySignatures(limit: 16)) {
            try SignedNote(parsing: sixteen + line, signatureLimit: 16)
        }
        let hundred = NoteFixtures.goText + "\n" + String(repeating: line, count: SignedNote.defaultSignatureLimit)
        #expect(try SignedNote(parsing: hundred).signatures.count == 100)
        #expect(throws: SignedNoteError.tooManySignatures(limit: 100)) { try SignedNote.open(hundred + line, verifiers: [Self.peter]) }
        #expect(throws: SignedNoteError.tooManySignatures(limit: 100)) { try SignedNote.open(hundred + line, verifiers: []) }
    }

    @Test("signing appends a signature line that verifies; serialisation re-parses to the same note")
    func signRoundTrip() throws {
        let signer = try NoteSignerKey.generate(name: "warden.example/ledger")
        let note = try SignedNote(text: "hello\nworld\n").signed(by: signer)
        #expect(note.serialized.hasPrefix("hello\nworld\n\n\u{2014} warden.example/ledger "))
        #expect(note.serialized.hasSuffix("\n"))
        let reparsed = try SignedNote(parsing: note.serialized)
        #expect(reparsed == note)
        #expect(reparsed.serialized == note.serialized)
        #expect(try reparsed.open(verifiers: [signer.verifierKey]).verifiedSignatures == note.signatures)
    }

    @Test("a Go-signed note re-signed by Warden keeps Go's signature, and both verify")
    func addToGoNote() throws {
        let warden = try NoteSignerKey.generate(name: "warden")
        let goNote = try SignedNote(parsing: NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine)
        let both = try goNote.signed(by: warden)
        #expect(both.serialized.hasPrefix(NoteFixtures.goText + "\n" + NoteFixtures.peterSignatureLine))
        #expect(try both.open(verifiers: [Self.peter, warden.verifierKey]).verifiedSignatures.count == 2)
    }

    @Test("signing again with the same key replaces its earlier signature, as Go's note.Sign")
    func resignReplaces() throws {
        let signer = try NoteSignerKey.generate(name: "log")
        let other = try NoteSignerKey.generate(name: "other")
        let note = try SignedNote(text: "x\n").signed(by: signer).signed(by: other).signed(by: signer)
        #expect(note.signatures.map(\.name) == ["other", "log"])
        #expect(try note.open(verifiers: [signer.verifierKey, other.verifierKey]).verifiedSignatures.count == 2)
    }

    @Test("text without a final newline can be neither made into a note nor signed")
    func textMustEndWithNewline() throws {
        let signer = try NoteSignerKey(NoteFixtures.goSignerKey)
        #expect(throws: SignedNoteError.textNotNewlineTerminated) { try SignedNote(text: "abc") }
        #expect(throws: SignedNoteError.textNotNewlineTerminated) { try signer.sign(NoteFixtures.bytes("abc")) }
    }

    @Test("a signature line can be built only with a valid name and a non-empty signature")
    func signatureConstruction() throws {
        #expect(throws: SignedNoteError.invalidKeyName("a b")) { try NoteSignature(name: "a b", keyID: 1, signature: [1]) }
        #expect(throws: SignedNoteError.emptySignature) { try NoteSignature(name: "a", keyID: 1, signature: []) }
        let signature = try NoteSignature(name: "a", keyID: 0x0102_0304, signature: [5])
        #expect(signature.line == "\u{2014} a AQIDBAU=")
        #expect(try NoteSignature(line: signature.line + "\n") == signature)
    }
}
