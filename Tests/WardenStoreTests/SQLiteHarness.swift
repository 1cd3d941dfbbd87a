import Foundation
import GRDB
import WardenStore

/// `SQLiteStore` on a real file in a temporary directory of its own.
struct SQLiteHarness: StoreHarness {
    let directory: URL
    let store: any RecordingStore

    private var path: String { directory.appending(path: "warden.sqlite").path }

    static func make() async throws -> SQLiteHarness {
        let directory = FileManager.default.temporaryDirectory.appending(path: "warden-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appending(path: "warden.sqlite").path)
        try await store.prepare()
        return SQLiteHarness(directory: directory, store: store)
    }

    func reopen() async throws -> any RecordingStore {
        try SQLiteStore(path: path)
    }

    func chunkBytes() async throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try await queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM body_chunks") ?? 0
        }
    }

    var isPostgres: Bool { false }

    func tamper(_ sql: String) async throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try await queue.write { db in try db.execute(sql: sql) }
    }

    func dispose() async throws {
        try await store.shutdown()
        try FileManager.default.removeItem(at: directory)
    }
}
