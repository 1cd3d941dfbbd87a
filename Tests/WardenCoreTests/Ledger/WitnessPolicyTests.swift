import Foundation
import Testing
import WardenCore

@Suite("Witness policy: parsed strictly, quorum evaluated over k-of-n and nested groups")
struct WitnessPolicyTests {
    /// Six witnesses X1…X3 and Y1…Y3 with real keys, plus the log key.
    struct Keys {
        let log: NoteSignerKey
        let witnesses: [String: Cosigner]

        init() throws {
            log = try NoteFixtures.logKey()
            var witnesses: [String: Cosigner] = [:]
            for name in ["X1", "X2", "X3", "Y1", "Y2", "Y3"] {
                witnesses[name] = try Cosigner.generate(name: "\(name.lowercased()).witness.example")
            }
            self.witnesses = witnesses
        }

        func vkey(_ name: String) -> String { witnesses[name]!.verifierKey.description }

        /// The spec's example policy: 2 of the X witnesses and any Y witness.
        var example: String {
            """
            # Warden's ledger
            log \(log.verifierKey) https://warden.example/ledger

            witness X1 \(vkey("X1"))
            witness X2 \(vkey("X2")) https://x2.example/
              witness\tX3   \(vkey("X3"))\t
            group X-witnesses 2 X1 X2 X3

            witness Y1 \(vkey("Y1"))
            witness Y2 \(vkey("Y2"))
            witness Y3 \(vkey("Y3"))
            group Y-witnesses any Y1 Y2 Y3

               # nested
            group X-and-Y all X-witnesses Y-witnesses
            quorum X-and-Y

            """
        }
    }

    @Test("the spec's two-level example parses: logs, witnesses with optional URLs, groups and quorum")
    func parseExample() throws {
        let keys = try Keys()
        let policy = try WitnessPolicy(parsing: keys.example)
        #expect(policy.logs.map(\.key) == [keys.log.verifierKey])
        #expect(policy.logs.first?.url == "https://warden.example/ledger")
        #expect(policy.witnesses.map(\.name) == ["X1", "X2", "X3", "Y1", "Y2", "Y3"])
        #expect(policy.witnesses.map(\.url) == [nil, "https://x2.example/", nil, nil, nil, nil])
        #expect(policy.witnesses[2].key == keys.witnesses["X3"]!.verifierKey)
        #expect(policy.groups.map(\.threshold) == [2, 1, 2])
        #expect(policy.groups.last?.members == ["X-witnesses", "Y-witnesses"])
        #expect(policy.quorum == .named("X-and-Y"))
    }

    @Test(
        "nested quorum: at least 2 X witnesses and at least 1 Y witness",
        arguments: [
            ([], false), (["X1", "X2"], false), (["Y1", "Y2", "Y3"], false), (["X1", "Y1"], false), (["X1", "X2", "Y3"], true),
            (["X2", "X3", "Y1", "Y2"], true), (["X1", "X2", "X3", "Y1", "Y2", "Y3"], true), (["X1", "X1", "Y1"], false),
            (["x1", "x2", "y1"], false),
        ]
    )
    func nestedQuorum(cosigners: [String], satisfied: Bool) throws {
        let policy = try WitnessPolicy(parsing: Keys().example)
        #expect(policy.isSatisfied(byWitnesses: cosigners) == satisfied)
    }

    @Test("k-of-n, any, all, a single witness, and none")
    func simpleQuorums() throws {
        let keys = try Keys()
        let witnesses = ["X1", "X2", "X3"].map { "witness \($0) \(keys.vkey($0))\n" }.joined()
        func policy(_ rule: String) throws -> WitnessPolicy { try WitnessPolicy(parsing: "log \(keys.log.verifierKey)\n" + witnesses + rule) }

        let twoOfThree = try policy("group g 2 X1 X2 X3\nquorum g\n")
        #expect(!twoOfThree.isSatisfied(byWitnesses: ["X3"]))
        #expect(twoOfThree.isSatisfied(byWitnesses: ["X1", "X3"]))

        let any = try policy("group g any X1 X2 X3\nquorum g\n")
        #expect(!any.isSatisfied(byWitnesses: []))
        #expect(any.isSatisfied(byWitnesses: ["X2"]))

        let all = try policy("group g all X1 X2 X3\nquorum g\n")
        #expect(!all.isSatisfied(byWitnesses: ["X1", "X2"]))
        #expect(all.isSatisfied(byWitnesses: ["X1", "X2", "X3"]))

        let single = try policy("quorum X2\n")
        #expect(single.quorum == .named("X2"))
        #expect(!single.isSatisfied(byWitnesses: ["X1", "X3"]))
        #expect(single.isSatisfied(byWitnesses: ["X2"]))

        let none = try policy("quorum none\n")
        #expect(none.quorum == .none)
        #expect(none.isSatisfied(byWitnesses: []))
        #expect(try WitnessPolicy(parsing: "quorum none").witnesses.isEmpty)
    }

    @Test("names are octet strings: a Kelvin sign is not a K, though Swift calls the two strings equal")
    func octetNames() throws {
        let keys = try Keys()
        let kelvin = "\u{212A}"
        #expect(kelvin == "K")  // Swift's canonical equivalence, which the policy must not use
        let policy = try WitnessPolicy(
            parsing: "witness K \(keys.vkey("X1"))\nwitness \(kelvin) \(keys.vkey("X2"))\nquorum \(kelvin)\n"
        )
        #expect(policy.witnesses.count == 2)
        #expect(!policy.isSatisfied(byWitnesses: ["K"]))
        #expect(policy.isSatisfied(byWitnesses: [kelvin]))
    }

    static func errorCases(_ keys: Keys) -> [(String, WitnessPolicyError)] {
        let x1 = "witness X1 \(keys.vkey("X1"))\n"
        return [
            ("frobnicate\nquorum none\n", WitnessPolicyError(line: 1, reason: .unknownKeyword("frobnicate"))),
            ("quorum none\nLog \(keys.log.verifierKey)\n", WitnessPolicyError(line: 2, reason: .unknownKeyword("Log"))),
            ("log\nquorum none\n", WitnessPolicyError(line: 1, reason: .wrongFieldCount(keyword: "log"))),
            ("log \(keys.log.verifierKey) url extra\n", WitnessPolicyError(line: 1, reason: .wrongFieldCount(keyword: "log"))),
            ("witness X1\n", WitnessPolicyError(line: 1, reason: .wrongFieldCount(keyword: "witness"))),
            (x1 + "group g 1\n", WitnessPolicyError(line: 2, reason: .wrongFieldCount(keyword: "group"))),
            (x1 + "quorum X1 X1\n", WitnessPolicyError(line: 2, reason: .wrongFieldCount(keyword: "quorum"))),
            ("log not-a-vkey\n", WitnessPolicyError(line: 1, reason: .invalidKey(.malformedVerifierKey))),
            ("log \(keys.vkey("X1"))\n", WitnessPolicyError(line: 1, reason: .wrongKeyType(.cosignatureV1))),
            ("witness X1 \(keys.log.verifierKey)\n", WitnessPolicyError(line: 1, reason: .wrongKeyType(.ed25519))),
            ("log \(keys.log.verifierKey)\nlog \(keys.log.verifierKey)\n", WitnessPolicyError(line: 2, reason: .duplicateLog)),
            (x1 + "witness X2 \(keys.vkey("X1"))\n", WitnessPolicyError(line: 2, reason: .duplicateWitness)),
            (x1 + "witness X1 \(keys.vkey("X2"))\n", WitnessPolicyError(line: 2, reason: .duplicateName("X1"))),
            (x1 + "group X1 any X1\n", WitnessPolicyError(line: 2, reason: .duplicateName("X1"))),
            ("witness none \(keys.vkey("X1"))\n", WitnessPolicyError(line: 1, reason: .duplicateName("none"))),
            (x1 + "group g 0 X1\n", WitnessPolicyError(line: 2, reason: .invalidThreshold("0"))),
            (x1 + "group g 2 X1\n", WitnessPolicyError(line: 2, reason: .invalidThreshold("2"))),
            (x1 + "group g -1 X1\n", WitnessPolicyError(line: 2, reason: .invalidThreshold("-1"))),
            (x1 + "group g some X1\n", WitnessPolicyError(line: 2, reason: .invalidThreshold("some"))),
            (x1 + "group g any X1 X2\n", WitnessPolicyError(line: 2, reason: .undefinedName("X2"))),
            ("group g any X1\n" + x1, WitnessPolicyError(line: 1, reason: .undefinedName("X1"))),
            (x1 + "group g all X1 X1\n", WitnessPolicyError(line: 2, reason: .duplicateMember("X1"))),
            (x1 + "group g any X1 none\n", WitnessPolicyError(line: 2, reason: .noneAsMember)),
            ("quorum g\n" + x1 + "group g any X1\n", WitnessPolicyError(line: 1, reason: .undefinedName("g"))),
            (x1 + "quorum X1\nquorum none\n", WitnessPolicyError(line: 3, reason: .duplicateQuorum)),
            (x1, WitnessPolicyError(line: 0, reason: .missingQuorum)),
            ("# only a comment\n", WitnessPolicyError(line: 0, reason: .missingQuorum)),
            ("quorum none\r\n", WitnessPolicyError(line: 1, reason: .invalidCharacter(0x0D))),
            ("# comment\u{7F}\nquorum none\n", WitnessPolicyError(line: 1, reason: .invalidCharacter(0x7F))),
            (x1 + "quorum X1 # trailing comment\n", WitnessPolicyError(line: 2, reason: .wrongFieldCount(keyword: "quorum"))),
        ]
    }

    @Test("every malformed policy is refused with the line and the reason")
    func parseErrors() throws {
        let keys = try Keys()
        for (text, expected) in Self.errorCases(keys) {
            #expect(throws: expected, "\(text)") { try WitnessPolicy(parsing: text) }
        }
    }

    @Test("blank lines, indented comments, extra whitespace and a missing final newline are accepted")
    func lenientWhereTheSpecIs() throws {
        let keys = try Keys()
        let text = "\n   \n\t# comment\nlog \(keys.log.verifierKey)\n#quorum X1\nwitness X1 \(keys.vkey("X1"))\n  quorum   X1  \n"
        let policy = try WitnessPolicy(parsing: text)
        #expect(policy.quorum == .named("X1"))
        #expect(try WitnessPolicy(parsing: "quorum none").quorum == .none)  // no final newline
    }

    @Test("verify: a checkpoint signed by the log and cosigned to quorum is accepted; stripped below quorum it is refused")
    func verifyCheckpoint() throws {
        let keys = try Keys()
        let policy = try WitnessPolicy(parsing: keys.example)
        let checkpoint = try NoteFixtures.checkpoint()
        let cosigners = ["X1", "X3", "Y2"].map { keys.witnesses[$0]! }
        let note = try NoteFixtures.cosignedCheckpoint(checkpoint, log: keys.log, witnesses: cosigners)
        #expect(try policy.verify(note) == checkpoint)
        #expect(try policy.verify(SignedNote(parsing: note.serialized)) == checkpoint)

        let withoutY = try SignedNote(text: note.text, signatures: note.signatures.filter { $0.name != "y2.witness.example" })
        #expect(throws: PolicyVerificationError.quorumNotSatisfied(cosigners: ["X1", "X3"])) { try policy.verify(withoutY) }
        let oneX = try SignedNote(text: note.text, signatures: note.signatures.filter { $0.name != "x3.witness.example" })
        #expect(throws: PolicyVerificationError.quorumNotSatisfied(cosigners: ["X1", "Y2"])) { try policy.verify(oneX) }
        // An unknown witness's cosignature counts for nothing.
        let stranger = try Cosigner.generate(name: "x3.witness.example")
        var swapped = oneX
        swapped.add(try stranger.cosign(checkpoint, timestamp: 1).noteSignature)
        #expect(throws: PolicyVerificationError.quorumNotSatisfied(cosigners: ["X1", "Y2"])) { try policy.verify(swapped) }
    }

    @Test("verify: the log's signature is required, by a log whose key name is the origin")
    func verifyRequiresLog() throws {
        let keys = try Keys()
        let policy = try WitnessPolicy(parsing: keys.example)
        let all = keys.witnesses.values.sorted { $0.name < $1.name }
        let checkpoint = try NoteFixtures.checkpoint()
        let note = try NoteFixtures.cosignedCheckpoint(checkpoint, log: keys.log, witnesses: all)
        let cosignaturesOnly = try SignedNote(text: note.text, signatures: Array(note.signatures.dropFirst()))
        #expect(throws: PolicyVerificationError.notSignedByLog(origin: NoteFixtures.origin)) { try policy.verify(cosignaturesOnly) }

        // The listed log signs a checkpoint for another origin: not a checkpoint of that log.
        let foreign = try NoteFixtures.checkpoint(origin: "other.example/log")
        let foreignNote = try NoteFixtures.cosignedCheckpoint(foreign, log: keys.log, witnesses: all)
        #expect(throws: PolicyVerificationError.notSignedByLog(origin: "other.example/log")) { try policy.verify(foreignNote) }

        // A known witness's bad cosignature refuses the whole note.
        var bad = note
        var bytes = try #require(note.signatures.last).signature
        bytes[20] ^= 0x40
        let last = try #require(note.signatures.last)
        bad.add(try NoteSignature(name: last.name, keyID: last.keyID, signature: bytes))
        #expect(throws: PolicyVerificationError.note(.invalidSignature(name: last.name, keyID: last.keyID))) { try policy.verify(bad) }
    }
}
