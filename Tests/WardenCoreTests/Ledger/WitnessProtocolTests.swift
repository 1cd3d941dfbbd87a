import Foundation
import Testing
import WardenCore

/// A witness that follows c2sp.org/tlog-witness over the request and response bodies, with the Merkle consistency check
/// injected (this layer has no tree code).
struct FakeWitness {
    struct Reply {
        let status: Int
        let contentType: String?
        let body: String
    }

    let cosigner: Cosigner
    let logKeys: [String: [NoteVerifierKey]]
    var latest: [String: Checkpoint] = [:]
    var now: UInt64 = 1_700_000_000
    var proofVerifies: @Sendable (_ old: Checkpoint, _ new: Checkpoint, _ proof: [MerkleHash]) -> Bool = { _, _, _ in true }

    init(name: String, logs: [NoteVerifierKey]) throws {
        cosigner = try Cosigner.generate(name: name)
        logKeys = Dictionary(grouping: logs, by: \.name)
    }

    mutating func addCheckpoint(_ body: String) -> Reply {
        guard let request = try? WitnessRequest(parsing: body) else { return Reply(status: 400, contentType: nil, body: "malformed\n") }
        let checkpoint = request.checkpoint
        guard let keys = logKeys[checkpoint.origin] else { return Reply(status: 404, contentType: nil, body: "unknown log\n") }
        guard (try? request.signedCheckpoint.open(verifiers: keys)) != nil else {
            return Reply(status: 403, contentType: nil, body: "untrusted\n")
        }
        guard request.oldSize <= checkpoint.size else { return Reply(status: 400, contentType: nil, body: "old > new\n") }
        let known = latest[checkpoint.origin]
        guard request.oldSize == known?.size ?? 0 else {
            return Reply(status: 409, contentType: WitnessResponse.sizeContentType, body: WitnessResponse.sizeBody(known?.size ?? 0))
        }
        if let known {
            if known.size == checkpoint.size && known.rootHash != checkpoint.rootHash {
                return Reply(status: 409, contentType: WitnessResponse.sizeContentType, body: WitnessResponse.sizeBody(known.size))
            }
            guard proofVerifies(known, checkpoint, request.consistencyProof) else {
                return Reply(status: 422, contentType: nil, body: "inconsistent\n")
            }
        }
        latest[checkpoint.origin] = checkpoint
        let cosignature = try! cosigner.cosign(checkpoint, timestamp: now)
        return Reply(status: 200, contentType: "text/plain", body: WitnessResponse.cosignatureBody([cosignature]))
    }
}

@Suite("Witness protocol: add-checkpoint requests and the responses a log must act on")
struct WitnessProtocolTests {
    static let specRequest = """
        old 20852014
        PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
        jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
        5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
        /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

        example.com/behind-the-sofa
        20852163
        CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

        — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
        — example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

        """

    static let specResponse = """
        — witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==
        — witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==
        — witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==

        """

    @Test("the tlog-witness example request parses and serialises back byte for byte")
    func specRequestExample() throws {
        let request = try WitnessRequest(parsing: Self.specRequest)
        #expect(request.oldSize == 20_852_014)
        #expect(request.consistencyProof.count == 4)
        #expect(request.consistencyProof.first?.base64 == "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=")
        #expect(request.checkpoint.origin == "example.com/behind-the-sofa")
        #expect(request.checkpoint.size == 20_852_163)
        #expect(request.signedCheckpoint.signatures.count == 2)
        #expect(request.body == Self.specRequest)
    }

    @Test("a request built by the log round-trips through the witness's parser")
    func requestRoundTrip() throws {
        let log = try NoteFixtures.logKey()
        let signed = try NoteFixtures.checkpoint(size: 20).signed(by: log)
        let proof = (1...5).map { NoteFixtures.hash($0) }
        let request = try WitnessRequest(oldSize: 12, consistencyProof: proof, signedCheckpoint: signed)
        #expect(request.body.hasPrefix("old 12\n" + NoteFixtures.hash(1).base64 + "\n"))
        #expect(request.body.contains(NoteFixtures.hash(5).base64 + "\n\n" + NoteFixtures.origin + "\n20\n"))
        let parsed = try WitnessRequest(parsing: request.body)
        #expect(parsed == request)
        #expect(try parsed.signedCheckpoint.open(verifiers: [log.verifierKey]).verifiedSignatures.count == 1)

        let first = try WitnessRequest(oldSize: 0, consistencyProof: [], signedCheckpoint: signed)
        #expect(first.body.hasPrefix("old 0\n\n" + NoteFixtures.origin + "\n"))
        #expect(try WitnessRequest(parsing: first.body) == first)
    }

    @Test("at most 63 proof lines, and none from the empty tree")
    func proofLimits() throws {
        let signed = try NoteFixtures.checkpoint(size: 20).signed(by: NoteFixtures.logKey())
        let sixtyThree = [MerkleHash](repeating: NoteFixtures.hash(1), count: 63)
        let request = try WitnessRequest(oldSize: 1, consistencyProof: sixtyThree, signedCheckpoint: signed)
        #expect(try WitnessRequest(parsing: request.body).consistencyProof.count == 63)
        #expect(throws: WitnessRequestError.tooManyProofLines) {
            try WitnessRequest(oldSize: 1, consistencyProof: sixtyThree + [NoteFixtures.hash(2)], signedCheckpoint: signed)
        }
        let sixtyFour = request.body.replacingOccurrences(of: "old 1\n", with: "old 1\n" + NoteFixtures.hash(2).base64 + "\n")
        #expect(throws: WitnessRequestError.tooManyProofLines) { try WitnessRequest(parsing: sixtyFour) }
        #expect(throws: WitnessRequestError.proofFromEmptyTree) {
            try WitnessRequest(oldSize: 0, consistencyProof: [NoteFixtures.hash(1)], signedCheckpoint: signed)
        }
    }

    @Test(
        "malformed request bodies are refused precisely",
        arguments: [
            ("old 01\n\n", WitnessRequestError.malformedOldSize),
            ("old -1\n\n", .malformedOldSize),
            ("old  1\n\n", .malformedOldSize),
            ("Old 1\n\n", .malformedOldSize),
            ("1\n\n", .malformedOldSize),
            ("old 1\nnot base64\n\n", .malformedProofLine(1)),
            ("old 1\n" + NoteFixtures.hash(1).base64 + "\nAAAA\n\n", .malformedProofLine(2)),
            // Without its own blank line, the request's header runs into the checkpoint, whose origin is no hash.
            ("old 1\n", .malformedProofLine(1)),
        ]
    )
    func malformedRequests(prefix: String, error: WitnessRequestError) throws {
        let signed = try NoteFixtures.checkpoint(size: 20).signed(by: NoteFixtures.logKey())
        #expect(throws: error) { try WitnessRequest(parsing: prefix + signed.serialized) }
    }

    @Test("a request whose checkpoint is not a signed checkpoint is refused")
    func malformedCheckpointInRequest() throws {
        #expect(throws: WitnessRequestError.missingBlankLine) { try WitnessRequest(parsing: "old 0\nlog\n") }
        #expect(throws: WitnessRequestError.checkpoint(.note(.missingBlankLine))) {
            try WitnessRequest(parsing: "old 0\n\nlog\n5\n" + NoteFixtures.hash(1).base64 + "\n")
        }
        let notCheckpoint = try SignedNote(text: "hello\n").signed(by: NoteFixtures.logKey())
        #expect(throws: WitnessRequestError.checkpoint(.tooFewLines)) { try WitnessRequest(parsing: "old 0\n\n" + notCheckpoint.serialized) }
    }

    @Test("200: the example response body is three signature lines (whose bytes are illustrative, not real cosignatures)")
    func cosignedResponse() throws {
        let response = try WitnessResponse(status: 200, contentType: "text/plain", body: NoteFixtures.bytes(Self.specResponse))
        guard case .cosigned(let signatures) = response else {
            Issue.record("expected cosignatures, got \(response)")
            return
        }
        #expect(signatures.map(\.name) == ["witness.example/w1", "witness.example/w1", "witness.example/w2"])
        #expect(signatures.map(\.keyID) == [0x08ca_7ee8, 0x23ba_c4a6, 0x016b_a2f1])
        // The example's bytes are random: two would carry timestamps above 2^63 - 1, which a client must refuse.
        #expect(throws: CosignatureError.timestampOutOfRange) { try Cosignature(signatures[0]) }
        #expect(throws: CosignatureError.timestampOutOfRange) { try Cosignature(signatures[1]) }
        #expect(try Cosignature(signatures[2]).timestamp == 2_970_657_736_413_210_787)
    }

    @Test(
        "200 bodies that are not newline-terminated signature lines are refused",
        arguments: [
            "", "\n", "— w AAAA\n", "— w CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==",
            "garbage\n",
        ]
    )
    func malformedCosignedResponse(body: String) {
        #expect(throws: WitnessResponseError.malformedCosignatures) {
            try WitnessResponse(status: 200, contentType: nil, body: NoteFixtures.bytes(body))
        }
    }

    @Test("409: the witness's size is read from a text/x.tlog.size body")
    func conflictResponse() throws {
        #expect(
            try WitnessResponse(status: 409, contentType: "text/x.tlog.size", body: NoteFixtures.bytes("20852014\n"))
                == .conflict(witnessSize: 20_852_014)
        )
        #expect(
            try WitnessResponse(status: 409, contentType: "Text/X.TLog.Size; charset=utf-8", body: NoteFixtures.bytes("0\n"))
                == .conflict(witnessSize: 0)
        )
        for body in ["", "12", "012\n", "12\n13\n", "twelve\n", " 12\n", "-1\n"] {
            #expect(throws: WitnessResponseError.malformedSize, "\(body)") {
                try WitnessResponse(status: 409, contentType: "text/x.tlog.size", body: NoteFixtures.bytes(body))
            }
        }
        #expect(throws: WitnessResponseError.unexpectedContentType("text/plain")) {
            try WitnessResponse(status: 409, contentType: "text/plain", body: NoteFixtures.bytes("12\n"))
        }
        #expect(throws: WitnessResponseError.unexpectedContentType(nil)) {
            try WitnessResponse(status: 409, contentType: nil, body: NoteFixtures.bytes("12\n"))
        }
    }

    @Test(
        "other statuses map to the action the log must take",
        arguments: [
            (403, WitnessResponse.untrusted), (404, .unknownLog), (400, .badRequest), (422, .inconsistent), (500, .unexpectedStatus(500)),
            (503, .unexpectedStatus(503)),
        ]
    )
    func otherStatuses(status: Int, expected: WitnessResponse) throws {
        #expect(try WitnessResponse(status: status, contentType: nil, body: NoteFixtures.bytes("whatever\n")) == expected)
    }

    @Test("end to end with a fake witness: cosign, resync after 409, and the 400/403/404/422 refusals")
    func fakeWitnessFlow() throws {
        let log = try NoteFixtures.logKey()
        var witness = try FakeWitness(name: "witness.example/w1", logs: [log.verifierKey])

        func submit(old: UInt64, _ checkpoint: Checkpoint, signer: NoteSignerKey? = nil, proof: [MerkleHash] = []) throws -> WitnessResponse {
            let request = try WitnessRequest(oldSize: old, consistencyProof: proof, signedCheckpoint: checkpoint.signed(by: signer ?? log))
            let reply = witness.addCheckpoint(request.body)
            return try WitnessResponse(status: reply.status, contentType: reply.contentType, body: NoteFixtures.bytes(reply.body))
        }

        // First contact, from size 0: the witness cosigns, and the cosignature verifies on the checkpoint.
        let first = try NoteFixtures.checkpoint(size: 10, seed: 1)
        guard case .cosigned(let lines) = try submit(old: 0, first) else {
            Issue.record("expected a cosignature")
            return
        }
        let cosignature = try Cosignature(try #require(lines.first))
        try cosignature.verify(on: first, by: witness.cosigner.verifierKey)
        #expect(cosignature.timestamp == witness.now)

        // The log forgot what the witness saw: 409 tells it the size to resend from.
        let second = try NoteFixtures.checkpoint(size: 15, seed: 2)
        #expect(try submit(old: 0, second) == .conflict(witnessSize: 10))
        guard case .cosigned = try submit(old: 10, second, proof: [NoteFixtures.hash(9)]) else {
            Issue.record("expected a cosignature after resync")
            return
        }

        // A fork at the same size is a conflict; a rollback is a bad request; a proof that fails is inconsistent.
        #expect(try submit(old: 15, NoteFixtures.checkpoint(size: 15, seed: 3)) == .conflict(witnessSize: 15))
        #expect(try submit(old: 15, NoteFixtures.checkpoint(size: 14, seed: 3)) == .badRequest)
        witness.proofVerifies = { _, _, _ in false }
        #expect(try submit(old: 15, NoteFixtures.checkpoint(size: 16, seed: 4), proof: [NoteFixtures.hash(1)]) == .inconsistent)

        // Unknown origin, and a checkpoint signed by a key the witness does not trust.
        #expect(try submit(old: 0, NoteFixtures.checkpoint(origin: "other.example/log")) == .unknownLog)
        let impostor = try NoteSignerKey.generate(name: NoteFixtures.origin)
        #expect(try submit(old: 15, NoteFixtures.checkpoint(size: 16, seed: 4), signer: impostor) == .untrusted)
    }

    @Test("a witness response can be merged into the checkpoint and opened with the witness key, as the spec suggests")
    func mergeResponse() throws {
        let log = try NoteFixtures.logKey()
        var witness = try FakeWitness(name: "witness.example/w1", logs: [log.verifierKey])
        let checkpoint = try NoteFixtures.checkpoint()
        var signed = try checkpoint.signed(by: log)
        let reply = witness.addCheckpoint(try WitnessRequest(oldSize: 0, consistencyProof: [], signedCheckpoint: signed).body)
        let merged = try SignedNote(parsing: signed.serialized + reply.body)
        let opened = try merged.open(verifiers: [witness.cosigner.verifierKey])
        #expect(opened.verifiedSignatures.map(\.name) == ["witness.example/w1"])
        #expect(opened.unverifiedSignatures.map(\.name) == [NoteFixtures.origin])
        guard case .cosigned(let lines) = try WitnessResponse(status: reply.status, contentType: nil, body: NoteFixtures.bytes(reply.body)) else {
            Issue.record("expected cosignatures")
            return
        }
        for line in lines { signed.add(line) }
        #expect(signed == merged)
    }
}
