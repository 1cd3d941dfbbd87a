import Foundation
import Logging
import PostgresNIO
import Testing
import WardenCore

@testable import WardenStore

/// What only PostgreSQL faces: batches from two replicas in flight at once.
@Suite("PostgresStore replicas", .enabled(if: PostgresHarness.isConfigured, "set WARDEN_TEST_POSTGRES_URL (scripts/postgres-test-server.sh)"))
struct PostgresReplicaTests {
    /// Each batch creates one new session, does other work, then joins the session the other batch created. Were
    /// the new sessions' rows locked as the writes reach them, each batch would end up waiting for the other.
    /// Bodies differ between the batches: a shared new chunk would make one batch wait for the other from the start.
    @Test("Two replicas' batches creating the same new sessions in opposite orders both commit")
    func oppositeOrdersDoNotDeadlock() async throws {
        try await PostgresHarness.run { harness in
            func batch(first: String, own: String, last: String, at offset: Int64) -> PostgresBatch {
                let keys = [first] + Array(repeating: own, count: 30) + [last]
                return PostgresBatch(
                    keys.enumerated().map { index, key in
                        .opening(
                            Samples.opening(
                                at: Samples.time(offset + Int64(index) * 1_000),
                                session: Samples.keyed(key),
                                body: Data("\(own) \(index)".utf8)
                            )
                        )
                    }
                )
            }
            let batches = [
                batch(first: "left", own: "mine-0", last: "right", at: 0),
                batch(first: "right", own: "mine-1", last: "left", at: 500),
            ]
            let client = PostgresClient(configuration: try PostgresURL(harness.url).clientConfiguration, backgroundLogger: PostgresHarness.logger)
            let running = client.startRunning()
            defer { running.cancel() }
            let results = try await withThrowingTaskGroup(of: [Result<String, any Error>].self) { group in
                for batch in batches {
                    group.addTask {
                        try await client.withTransaction(logger: PostgresHarness.logger) { connection in
                            try await batch.apply(on: connection, logger: PostgresHarness.logger)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }

            #expect(results.count == 64)
            let sessions = try results.map { try $0.get() }
            #expect(Set(sessions).count == 4)
            let listed = try await harness.store.sessions(matching: SessionQuery())
            #expect(listed.map(\.exchangeCount).sorted() == [2, 2, 30, 30])
        }
    }

    @Test("Replicas starting together on an empty database migrate it once")
    func concurrentPrepareMigratesOnce() async throws {
        let harness = try await PostgresHarness.make(preparing: false)
        let replicas = try (0..<4).map { _ in try PostgresStore(url: harness.url, logger: PostgresHarness.logger) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for replica in replicas { group.addTask { try await replica.prepare() } }
                try await group.waitForAll()
            }
            #expect(try await harness.schemaVersions() == Array(1...PostgresSchema.migrations.count))
            let opening = Samples.opening(at: Samples.seconds(0), session: Samples.keyed("after-migration"))
            let session = try await replicas[0].open(opening)
            #expect(try await replicas[3].exchange(id: opening.id)?.sessionID == session)
        } catch {
            Issue.record(error)
        }
        for replica in replicas { try await replica.shutdown() }
        try await harness.dispose()
    }
}
