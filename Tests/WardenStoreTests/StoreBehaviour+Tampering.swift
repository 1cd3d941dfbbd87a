import Foundation
import Testing
import WardenCore
import WardenStore

/// The tamper matrix: each case changes the database the way someone with direct access could, then checks that the
/// audit names exactly what happened. Every case starts from a ledger that audits clean (`verifiesAnUntouchedLedger`).
extension StoreBehaviour {
    static func detectsAFlippedBodyByte(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let b = ledger.b.rawValue
        try await harness.tamper(
            harness.isPostgres
                ? "UPDATE body_chunks SET data = set_byte(data, 0, get_byte(data, 0) # 1) WHERE digest = substring((SELECT response_body FROM exchanges WHERE id = '\(b)') from 1 for 32)"
                : "UPDATE body_chunks SET data = CAST(X'00' || substr(data, 2) AS BLOB) WHERE digest = substr((SELECT response_body FROM exchanges WHERE id = '\(b)'), 1, 32)"
        )
        let problems = try await ledger.audit()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("INVALID exchange \(b): response body unreadable") == true)
    }

    static func detectsASwappedBody(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let (a0, b) = (ledger.a[0].rawValue, ledger.b.rawValue)
        try await harness.tamper("UPDATE exchanges SET response_body = (SELECT response_body FROM exchanges WHERE id = '\(a0)') WHERE id = '\(b)'")
        #expect(try await ledger.audit() == ["INVALID exchange \(b): response body hash mismatch"])
    }

    static func detectsAChangedRecord(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let a1 = ledger.a[1].rawValue
        try await harness.tamper("UPDATE exchanges SET model = 'claude-opus-4-1', output_tokens = 2 WHERE id = '\(a1)'")
        #expect(
            try await ledger.audit() == [
                "INVALID exchange \(a1): model differs from the ledger", "INVALID exchange \(a1): output tokens differs from the ledger",
            ]
        )
    }

    static func detectsAChangedCheckpoint(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        try await harness.tamper("UPDATE ledger_checkpoints SET note = replace(note, 'ledger.test/warden', 'ledger.test/wardem')")
        let problems = try await ledger.audit()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("INVALID checkpoint stored: not signed by a trusted key") == true)
    }

    static func detectsADeletedExchange(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let a1 = ledger.a[1].rawValue
        try await harness.tamper("DELETE FROM exchanges WHERE id = '\(a1)'")
        #expect(try await ledger.audit() == ["INVALID exchange \(a1): in the ledger but missing from the store"])
    }

    static func detectsATruncatedTail(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        // Records, leaves and the store's own checkpoint all cut back: only the remembered checkpoint still knows.
        try await harness.tamper(
            """
            DELETE FROM findings WHERE exchange_id IN (SELECT record_id FROM ledger_leaves WHERE idx >= 3);
            DELETE FROM exchanges WHERE id IN (SELECT record_id FROM ledger_leaves WHERE idx >= 3);
            DELETE FROM refusals WHERE id IN (SELECT record_id FROM ledger_leaves WHERE idx >= 3);
            DELETE FROM ledger_leaves WHERE idx >= 3; DELETE FROM ledger_checkpoints
            """
        )
        #expect(
            try await ledger.audit() == [
                "INVALID ledger: checkpoint remembered covers 5 leaves but the store holds 3 (leaves were removed from the end)"
            ]
        )
    }

    static func detectsALeafRemovedFromTheMiddle(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        try await harness.tamper(
            """
            DELETE FROM findings WHERE exchange_id IN (SELECT record_id FROM ledger_leaves WHERE idx = 2);
            DELETE FROM exchanges WHERE id IN (SELECT record_id FROM ledger_leaves WHERE idx = 2);
            DELETE FROM refusals WHERE id IN (SELECT record_id FROM ledger_leaves WHERE idx = 2);
            DELETE FROM ledger_leaves WHERE idx = 2
            """
        )
        #expect(
            try await ledger.audit() == [
                "INVALID ledger: leaf 3 sits where leaf 2 belongs (leaves were removed or inserted)",
                "INVALID ledger: leaf 4 sits where leaf 3 belongs (leaves were removed or inserted)",
                "INVALID ledger: checkpoint stored covers 5 leaves but the store holds 4 (leaves were removed from the end)",
                "INVALID ledger: checkpoint remembered covers 5 leaves but the store holds 4 (leaves were removed from the end)",
            ]
        )
    }

    static func detectsAChangedOrRemovedFinding(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let b = ledger.b.rawValue
        try await harness.tamper("UPDATE findings SET action = 'record' WHERE exchange_id = '\(b)' AND stage = 1")
        #expect(try await ledger.audit() == ["INVALID exchange \(b): findings differs from the ledger"])
        try await harness.tamper("DELETE FROM findings WHERE exchange_id = '\(b)'")
        #expect(try await ledger.audit() == ["INVALID exchange \(b): findings differs from the ledger"])
    }

    static func detectsReorderedLeaves(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let a1 = ledger.a[1].rawValue
        try await harness.tamper(
            """
            UPDATE ledger_leaves SET idx = 100 WHERE idx = 0; UPDATE ledger_leaves SET idx = 0 WHERE idx = 1;
            UPDATE ledger_leaves SET idx = 1 WHERE idx = 100
            """
        )
        let problems = try await ledger.audit()
        #expect(problems.contains { $0.hasPrefix("INVALID exchange \(a1): session ") && $0.contains("goes from leaf 0 to 2") })
        #expect(problems.contains("INVALID ledger: the first 5 leaves do not have the root of checkpoint stored (the ledger was rewritten)"))
    }

    static func detectsADuplicatedExchange(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let original = try #require(try await ledger.store.exchange(id: ledger.b))
        var opening = original.opening
        opening.id = ExchangeID(date: opening.receivedAt)
        _ = try await ledger.store.open(opening)
        var closing = try #require(original.closing)
        closing.id = opening.id
        try await ledger.store.close(closing)
        #expect(try await ledger.audit() == ["INVALID exchange \(opening.id): recorded but never entered the ledger"])
    }

    static func detectsAForgedInsertion(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let forged = try await SealedLedger.record(ledger.store, at: Samples.seconds(1), session: "z", seed: 66)
        var entry = try #require(try await ledger.store.unsequencedEntries(limit: 10).first { $0.id == forged.rawValue })
        entry.origin = "ledger.test/warden"
        entry.sessionSequence = 1
        let hex = entry.encoded.map { String(format: "%02x", $0) }.joined()
        let blob = harness.isPostgres ? "'\\x\(hex)'::bytea" : "X'\(hex)'"
        try await harness.tamper(
            """
            UPDATE ledger_leaves SET idx = idx + 100 WHERE idx >= 2; UPDATE ledger_leaves SET idx = idx - 99 WHERE idx >= 100;
            INSERT INTO ledger_leaves (idx, record_id, kind, session_id, session_sequence, entry)
                VALUES (2, '\(forged)', 1, '\(entry.sessionID ?? "")', 1, \(blob));
            DELETE FROM ledger_pending WHERE record_id = '\(forged)'
            """
        )
        let problems = try await ledger.audit()
        #expect(
            problems == [
                "INVALID ledger: the first 5 leaves do not have the root of checkpoint stored (the ledger was rewritten)",
                "INVALID ledger: the first 5 leaves do not have the root of checkpoint remembered (the ledger was rewritten)",
            ]
        )
    }

    static func detectsAnExchangeMovedToAnotherSession(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let (a1, b) = (ledger.a[1].rawValue, ledger.b.rawValue)
        try await harness.tamper("UPDATE exchanges SET session_id = (SELECT session_id FROM exchanges WHERE id = '\(b)') WHERE id = '\(a1)'")
        #expect(try await ledger.audit() == ["INVALID exchange \(a1): session differs from the ledger"])
    }

    static func detectsAnExchangeMovedToAnotherUser(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let a1 = ledger.a[1].rawValue
        try await harness.tamper("UPDATE exchanges SET subject = 'bob', display_name = 'Bob' WHERE id = '\(a1)'")
        #expect(
            try await ledger.audit() == [
                "INVALID exchange \(a1): user differs from the ledger", "INVALID exchange \(a1): display name differs from the ledger",
            ]
        )
    }

    static func detectsASubstitutedSigningKey(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        // The same log name, another key: every checkpoint re-signed and put back where Warden keeps them.
        let impostor = try NoteSignerKey.generate(name: "ledger.test/warden")
        let stored = try #require(try await ledger.store.latestCheckpoint())
        let resigned = try Checkpoint(body: try SignedNote(parsing: stored.note).text).signed(by: impostor).serialized
        try await harness.tamper("UPDATE ledger_checkpoints SET note = '\(resigned)'")
        try Data(resigned.utf8).write(to: ledger.checkpointFile)
        let problems = try await ledger.audit()
        #expect(problems.count == 2)
        #expect(problems.allSatisfy { $0.hasPrefix("INVALID checkpoint ") && $0.contains(": not signed by a trusted key") })
        // Trusting the impostor's key instead (as an auditor who took the key from the compromised host would) passes.
        #expect(try await ledger.audit(keys: [impostor.verifierKey]) == [])
    }

    static func detectsADeletedSession(_ harness: any StoreHarness) async throws {
        let ledger = try await SealedLedger.make(harness)
        defer { ledger.dispose() }
        let a0 = ledger.a[0].rawValue
        try await harness.tamper(
            """
            DELETE FROM ledger_leaves WHERE session_id = (SELECT session_id FROM exchanges WHERE id = '\(a0)');
            UPDATE ledger_leaves SET idx = idx - 3;
            DELETE FROM exchanges WHERE session_id = (SELECT session_id FROM exchanges WHERE id = '\(a0)')
            """
        )
        #expect(
            try await ledger.audit() == [
                "INVALID ledger: checkpoint stored covers 5 leaves but the store holds 2 (leaves were removed from the end)",
                "INVALID ledger: checkpoint remembered covers 5 leaves but the store holds 2 (leaves were removed from the end)",
            ]
        )
    }
}
