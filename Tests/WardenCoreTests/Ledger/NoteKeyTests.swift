import Foundation
import Testing
import WardenCore

@Suite("Signed-note keys: vkeys and Go signer keys interoperate, and only well-formed keys are accepted")
struct NoteKeyTests {
    @Test("the C2SP example vkey parses, and its key ID is the one its name and key derive")
    func specVerifierKey() throws {
        let key = try NoteVerifierKey(NoteFixtures.specVerifierKey)
        #expect(key.name == "example.com/foo")
        #expect(key.keyID == 0x530d_903a)
        #expect(key.signatureType == .ed25519)
        let material = try #require(Data(base64Encoded: "AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
        #expect(material.first == 0x01)
        #expect(NoteVerifierKey.keyID(name: "example.com/foo", type: .ed25519, publicKey: material.dropFirst()) == 0x530d_903a)
        #expect(NoteVerifierKey.keyID(name: "example.com/fo", type: .ed25519, publicKey: material.dropFirst()) != 0x530d_903a)
        #expect(key.description == NoteFixtures.specVerifierKey)
    }

    @Test("Go's PRIVATE+KEY signer derives Go's verifier key, and re-encodes byte for byte")
    func goSignerKey() throws {
        let signer = try NoteSignerKey(NoteFixtures.goSignerKey)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.verifierKey.description == NoteFixtures.goVerifierKey)
        #expect(signer.encoded == NoteFixtures.goSignerKey)
        #expect(try NoteVerifierKey(NoteFixtures.goVerifierKey) == signer.verifierKey)
        #expect(try NoteVerifierKey(NoteFixtures.enochVerifierKey).keyID == 0xaf0c_fe78)
    }

    @Test("the signer's description never shows the secret")
    func redacted() throws {
        let signer = try NoteSignerKey(NoteFixtures.goSignerKey)
        #expect(!signer.description.contains("AYEKFALV"))
        #expect(!String(reflecting: signer).contains("AYEKFALV"))
        #expect(signer.description.hasPrefix("PRIVATE+KEY+PeterNeumann+c74f20a3+"))
    }

    @Test("every proper substring and every single-byte increment of Go's vkey is refused (Go's own mangling test)")
    func mangledVerifierKeys() {
        let bytes = Array(NoteFixtures.goVerifierKey.utf8)
        var accepted: [String] = []
        for start in 0...bytes.count {
            for end in (start + 1)..<(bytes.count + 1) where !(start == 0 && end == bytes.count) {
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                if (try? NoteVerifierKey(text)) != nil { accepted.append(text) }
            }
        }
        for index in bytes.indices {
            var mangled = bytes
            mangled[index] &+= 1
            let text = String(decoding: mangled, as: UTF8.self)
            if (try? NoteVerifierKey(text)) != nil { accepted.append(text) }
        }
        #expect(accepted.isEmpty)
        // Go's two hand-made cases: a wrong-length key and an unknown algorithm, each with an adjusted key hash.
        #expect(throws: NoteKeyError.self) {
            try NoteVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: NoteKeyError.unsupportedSignatureType(0x65)) {
            try NoteVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test("every proper substring and every single-byte increment of Go's signer key is refused")
    func mangledSignerKeys() {
        let bytes = Array(NoteFixtures.goSignerKey.utf8)
        var accepted: [String] = []
        for start in 0...bytes.count {
            for end in (start + 1)..<(bytes.count + 1) where !(start == 0 && end == bytes.count) {
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                if (try? NoteSignerKey(text)) != nil { accepted.append(text) }
            }
        }
        for index in bytes.indices {
            var mangled = bytes
            mangled[index] &+= 1
            let text = String(decoding: mangled, as: UTF8.self)
            if (try? NoteSignerKey(text)) != nil { accepted.append(text) }
        }
        #expect(accepted.isEmpty)
    }

    @Test("a stated key ID that the key does not derive is refused with both IDs")
    func keyIDMismatch() {
        #expect(throws: NoteKeyError.keyIDMismatch(stated: 0x530d_903b, derived: 0x530d_903a)) {
            try NoteVerifierKey("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        }
    }

    @Test("an upper-case key ID is accepted as Go accepts it, and written back in lower case")
    func upperCaseKeyID() throws {
        let key = try NoteVerifierKey("example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        #expect(key.description == NoteFixtures.specVerifierKey)
    }

    @Test(
        "key names must be non-empty, without Unicode spaces, plus signs or control characters",
        arguments: ["", "bad name", "a+b", "tab\tname", "nbsp\u{00A0}name", "ideographic\u{3000}space", "line\u{2028}sep", "bell\u{07}"]
    )
    func invalidNames(name: String) throws {
        #expect(!NoteVerifierKey.isValidName(name))
        #expect(throws: NoteKeyError.invalidName(name)) { try NoteSignerKey.generate(name: name) }
        #expect(throws: NoteKeyError.invalidName(name)) { try Cosigner.generate(name: name) }
    }

    @Test("URL-like and non-ASCII names are valid", arguments: ["example.com/log42", "PeterNeumann", "caf\u{E9}.example", "oid/1.3.6.1"])
    func validNames(name: String) throws {
        #expect(NoteVerifierKey.isValidName(name))
        let signer = try NoteSignerKey.generate(name: name)
        #expect(try NoteVerifierKey(signer.verifierKey.description) == signer.verifierKey)
    }

    @Test("a vkey whose name contains a space is refused")
    func vkeyWithSpaceInName() throws {
        let good = try NoteSignerKey.generate(name: "bad").verifierKey.description
        #expect(throws: NoteKeyError.malformedVerifierKey) { try NoteVerifierKey("a " + good) }
    }

    @Test("a generated signer key round-trips through Go's text form and verifies its own signatures")
    func generatedRoundTrip() throws {
        let signer = try NoteSignerKey.generate(name: "warden.example/ledger")
        let reparsed = try NoteSignerKey(signer.encoded)
        #expect(reparsed.verifierKey == signer.verifierKey)
        let note = try SignedNote(text: "hello\n").signed(by: reparsed)
        #expect(try note.open(verifiers: [signer.verifierKey]).verifiedSignatures.count == 1)
        #expect(try NoteSignerKey.generate(name: "warden.example/ledger").verifierKey != signer.verifierKey)
    }

    @Test("the same key as a log key and as a witness key gets different key IDs, because the type byte is hashed")
    func typeSeparatesKeyIDs() throws {
        let cosigner = try Cosigner.generate(name: "witness.example")
        let asLogKey = try NoteVerifierKey(name: "witness.example", publicKey: cosigner.verifierKey.publicKey, type: .ed25519)
        #expect(asLogKey.keyID != cosigner.keyID)
        #expect(cosigner.verifierKey.description.split(separator: "+")[2].hasPrefix("B"))  // base64 of a leading 0x04
        #expect(try NoteVerifierKey(cosigner.verifierKey.description).signatureType == .cosignatureV1)
    }

    @Test("a signer key of another type is refused: Go's signer format only carries Ed25519")
    func signerKeyOfOtherType() throws {
        let cosigner = try Cosigner.generate(name: "w")
        // Build a PRIVATE+KEY text whose type byte is 0x04 and whose hash matches that type.
        let vkey = cosigner.verifierKey.description.split(separator: "+")
        let text = "PRIVATE+KEY+w+" + vkey[1] + "+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        #expect(throws: NoteKeyError.unsupportedSignatureType(0x04)) { try NoteSignerKey(text) }
    }
}
