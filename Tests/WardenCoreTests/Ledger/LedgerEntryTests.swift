import Testing
import WardenCore

@Suite("Ledger entry encoding")
struct LedgerEntryTests {
    static var exchange: LedgerEntry {
        var entry = LedgerEntry(kind: .exchange, origin: "warden.example/ledger", id: "01JD0000000000000000000001")
        entry.sessionID = "01JD0000000000000000000000"
        entry.sessionSequence = 2
        entry.previousSessionLeaf = RFC6962.leafHash(Array("previous".utf8))
        entry.issuer = "https://token.actions.githubusercontent.com"
        entry.subject = "repo:acme/api:ref:refs/heads/main"
        entry.displayName = "ci-bot"
        entry.groups = ["platform", "admins"]
        entry.attributes = ["repository": "acme/api", "run_id": "42", "workflow": "ci=yes"]
        entry.runID = "42"
        entry.tokenHash = String(repeating: "ab", count: 32)
        entry.method = "POST"
        entry.path = "/v1/messages"
        entry.query = "beta=true"
        entry.model = "claude-sonnet-4-5"
        entry.requestBodySHA256 = String(repeating: "01", count: 32)
        entry.requestBodyLength = 1234
        entry.responseBodySHA256 = String(repeating: "02", count: 32)
        entry.responseBodyLength = 5678
        entry.upstreamStatus = 200
        entry.outcome = "complete"
        entry.stopReason = "end_turn"
        entry.inputTokens = 10
        entry.outputTokens = 20
        entry.receivedAtMicros = 1_700_000_000_000_000
        entry.completedAtMicros = -1
        return entry
    }

    @Test("an entry decodes back to itself, for every kind")
    func roundTrip() throws {
        #expect(try LedgerEntry(encoded: Self.exchange.encoded) == Self.exchange)
        var refusal = LedgerEntry(kind: .refusal, origin: "o", id: "r")
        refusal.reason = "token expired"
        #expect(try LedgerEntry(encoded: refusal.encoded) == refusal)
        var access = LedgerEntry(kind: .access, origin: "o", id: "a")
        access.reason = "replay"
        access.target = "session 01JD"
        #expect(try LedgerEntry(encoded: access.encoded) == access)
    }

    /// Pins format version 1: a change here changes every leaf hash ever published, so it must be a new version.
    @Test("the encoding of a small entry is byte for byte the documented layout")
    func pinnedLayout() {
        var entry = LedgerEntry(kind: .refusal, origin: "o", id: "i")
        entry.upstreamStatus = 401
        entry.attributes = ["k": "v"]
        let expected: [UInt8] =
            Array("WLEAF".utf8) + [1, 2]
            + [1, 0, 0, 0, 1, UInt8(ascii: "o")]
            + [2, 0, 0, 0, 1, UInt8(ascii: "i")]
            + [14, 0, 0, 0, 6, 0, 0, 0, 1, UInt8(ascii: "k"), UInt8(ascii: "v")]
            + [40, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 0x91]
        #expect(entry.encoded == expected)
    }

    @Test("attributes are encoded in key order, whatever order the dictionary holds them in")
    func attributesSorted() {
        var first = LedgerEntry(kind: .exchange, origin: "o", id: "i")
        var second = first
        for key in (0..<20).map({ "key\($0)" }) { first.attributes[key] = key }
        for key in (0..<20).reversed().map({ "key\($0)" }) { second.attributes[key] = key }
        #expect(first.encoded == second.encoded)
    }

    @Test("every field takes part in the leaf hash")
    func everyFieldCounts() {
        let base = Self.exchange
        let changes: [(String, (inout LedgerEntry) -> Void)] = [
            ("kind", { $0.kind = .access }), ("origin", { $0.origin += "x" }), ("id", { $0.id += "x" }),
            ("session", { $0.sessionID = "other" }), ("sequence", { $0.sessionSequence = 3 }),
            ("previous", { $0.previousSessionLeaf = nil }), ("issuer", { $0.issuer = "https://evil" }),
            ("subject", { $0.subject = "mallory" }), ("display name", { $0.displayName = nil }),
            ("groups order", { $0.groups.reverse() }), ("attribute", { $0.attributes["run_id"] = "43" }),
            ("run", { $0.runID = "43" }), ("token hash", { $0.tokenHash = nil }), ("path", { $0.path = "/v1/models" }),
            ("query", { $0.query = nil }), ("model", { $0.model = "other" }), ("request hash", { $0.requestBodySHA256 = "00" }),
            ("request length", { $0.requestBodyLength = 1235 }), ("response hash", { $0.responseBodySHA256 = "00" }),
            ("status", { $0.upstreamStatus = 500 }), ("outcome", { $0.outcome = "truncated" }),
            ("tokens", { $0.outputTokens = 21 }), ("received", { $0.receivedAtMicros = 1 }),
            ("completed", { $0.completedAtMicros = nil }), ("reason", { $0.reason = "x" }), ("target", { $0.target = "x" }),
        ]
        for (name, change) in changes {
            var changed = base
            change(&changed)
            #expect(changed.leafHash != base.leafHash, "\(name)")
        }
    }

    @Test("decoding refuses everything encoding would not produce")
    func strictDecoding() {
        let good = Self.exchange.encoded
        #expect(throws: LedgerEntryDecodingError.badMagic) { try LedgerEntry(encoded: Array("WLEAF".utf8) + [2, 1]) }
        #expect(throws: LedgerEntryDecodingError.unknownKind(9)) { try LedgerEntry(encoded: LedgerEntry.magic + [9]) }
        #expect(throws: LedgerEntryDecodingError.truncated) { try LedgerEntry(encoded: good.dropLast()) }
        #expect(throws: LedgerEntryDecodingError.truncated) { try LedgerEntry(encoded: good + [60, 0]) }
        #expect(throws: LedgerEntryDecodingError.unknownField(99)) { try LedgerEntry(encoded: good + [99, 0, 0, 0, 0]) }
        #expect(throws: LedgerEntryDecodingError.nonCanonicalOrder(1)) { try LedgerEntry(encoded: good + [1, 0, 0, 0, 1, 65]) }
        let duplicateID = LedgerEntry.magic + [1, 1, 0, 0, 0, 1, 65, 2, 0, 0, 0, 1, 65, 2, 0, 0, 0, 1, 66]
        #expect(throws: LedgerEntryDecodingError.nonCanonicalOrder(2)) { try LedgerEntry(encoded: duplicateID) }
        let shortNumber = LedgerEntry.magic + [1, 1, 0, 0, 0, 1, 65, 2, 0, 0, 0, 1, 65, 40, 0, 0, 0, 2, 1, 1]
        #expect(throws: LedgerEntryDecodingError.malformedField(40)) { try LedgerEntry(encoded: shortNumber) }
        let badUTF8 = LedgerEntry.magic + [1, 1, 0, 0, 0, 1, 0xFF]
        #expect(throws: LedgerEntryDecodingError.malformedField(1)) { try LedgerEntry(encoded: badUTF8) }
        #expect(throws: LedgerEntryDecodingError.missingField("id")) { try LedgerEntry(encoded: LedgerEntry.magic + [1, 1, 0, 0, 0, 1, 65]) }
        let unsortedAttributes =
            LedgerEntry.magic + [1, 1, 0, 0, 0, 1, 65, 2, 0, 0, 0, 1, 65] + [14, 0, 0, 0, 5, 0, 0, 0, 1, 98]
            + [14, 0, 0, 0, 5, 0, 0, 0, 1, 97]
        #expect(throws: LedgerEntryDecodingError.nonCanonicalOrder(14)) { try LedgerEntry(encoded: unsortedAttributes) }
    }
}
