import Foundation
import GRDB
import Testing
import WardenCore

@testable import WardenStore

/// A newer Warden opening a data directory an older one wrote.
@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    @Test("A store from before findings upgrades: old exchanges read back without findings, and can still close with some")
    func upgradesAStoreWithoutFindings() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "warden-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "warden.sqlite").path
        let old = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(old, upTo: "v2-ledger")
        try old.close()

        let store = try SQLiteStore(path: path)
        let done = Samples.opening(at: Samples.seconds(0), session: Samples.keyed("old"))
        let inFlight = Samples.opening(at: Samples.seconds(1), session: Samples.keyed("old"))
        let session = try await store.open(done)
        _ = try await store.open(inFlight)
        let doneClosing = ExchangeClosing(id: done.id, outcome: .complete, upstreamStatus: 200, completedAt: Samples.seconds(2))
        try await store.close(doneClosing)

        try await store.prepare()
        #expect(try await store.exchange(id: done.id) == StoredExchange(opening: done, sessionID: session, closing: doneClosing))
        #expect(try await store.findings(matching: FindingQuery()) == [])

        let finding = StoreBehaviour.finding("curl-sh", .unsafeCode, .high, direction: .response, message: nil)
        let closing = ExchangeClosing(id: inFlight.id, outcome: .complete, completedAt: Samples.seconds(3), findings: [finding])
        try await store.close(closing)
        #expect(try await store.exchange(id: inFlight.id) == StoredExchange(opening: inFlight, sessionID: session, closing: closing))
        #expect(try await store.findings(matching: FindingQuery()).map(\.finding) == [finding])
        try await store.shutdown()
    }
}
