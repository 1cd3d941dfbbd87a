import Foundation
import GRDB
import Testing
import WardenCore

@testable import WardenStore

/// What a SQLite commit survives, and the WAL under steady traffic: checkpoints must let it start over, or it grows
/// as long as the traffic lasts.
@Suite("SQLite durability and checkpoints")
struct SQLiteCheckpointTests {
    @Test(
        "process durability commits without fsync; power durability syncs every commit",
        arguments: [
            (WardenConfiguration.Durability.process, 1), (.power, 2),
        ]
    )
    func synchronousMode(durability: WardenConfiguration.Durability, expected: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "warden-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appending(path: "warden.sqlite").path, durability: durability)
        try await store.prepare()
        // The writer connection is the one that commits.
        let writer = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(writer == expected)
        try await store.shutdown()
    }

    @Test("Under a steady stream of commits the WAL starts over instead of growing")
    func walStartsOver() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "warden-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "warden.sqlite").path
        let store = try SQLiteStore(path: path, readOnly: false, durability: .process, checkpointInterval: .milliseconds(10))
        try await store.prepare()

        // Each exchange writes about a dozen pages across its two commits: 1,500 of them put some 70 MB through the
        // WAL, which stays a few MB only if it starts over.
        let count = 1500
        var largest = 0
        for index in 0..<count {
            let opening = Samples.opening(at: Samples.time(Int64(index)), session: Samples.keyed("steady"))
            _ = try await store.open(opening)
            try await store.close(ExchangeClosing(id: opening.id, outcome: .complete, upstreamStatus: 200, completedAt: Samples.time(Int64(index))))
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            largest = max(largest, size)
        }
        try await store.shutdown()
        #expect(largest < 8 << 20, "the WAL reached \(largest) bytes")
        #expect(try await SQLiteStore(path: path).exchanges(after: nil, since: nil, limit: count + 1).count == count)
    }
}
