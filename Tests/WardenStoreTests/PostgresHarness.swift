import Foundation
import Logging
import PostgresNIO
import Testing

@testable import WardenStore

/// `PostgresStore` on a database created for the one case, on the server `WARDEN_TEST_POSTGRES_URL` names
/// (scripts/postgres-test-server.sh starts one).
struct PostgresHarness: StoreHarness {
    static let serverURL = ProcessInfo.processInfo.environment["WARDEN_TEST_POSTGRES_URL"]
    static var isConfigured: Bool { serverURL != nil }

    /// Warnings and errors only: the cases open many stores.
    static var logger: Logger {
        var logger = Logger(label: "warden.store.tests")
        logger.logLevel = .warning
        return logger
    }

    let database: String
    let url: String
    let store: any RecordingStore

    static func make() async throws -> PostgresHarness {
        try await make(preparing: true)
    }

    /// `preparing: false` leaves the database empty, as a first deployment finds it.
    static func make(preparing: Bool) async throws -> PostgresHarness {
        let server = try #require(serverURL)
        let database = "warden_test_\(UUID().uuidString.lowercased().filter { $0 != "-" })"
        try await withClient(try PostgresURL(server).clientConfiguration) { client in
            _ = try await client.query("CREATE DATABASE \(unescaped: database)", logger: logger)
        }
        var components = try #require(URLComponents(string: server))
        components.path = "/" + database
        let url = try #require(components.string)
        let store = try PostgresStore(url: url, logger: logger)
        if preparing { try await store.prepare() }
        return PostgresHarness(database: database, url: url, store: store)
    }

    func reopen() async throws -> any RecordingStore {
        let store = try PostgresStore(url: url, logger: Self.logger)
        try await store.prepare()
        return store
    }

    func chunkBytes() async throws -> Int {
        try await Self.withClient(try PostgresURL(url).clientConfiguration) { client in
            var total = 0
            let rows = try await client.query("SELECT COALESCE(SUM(length(data)), 0)::bigint FROM body_chunks", logger: Self.logger)
            for try await bytes in rows.decode(Int.self) { total = bytes }
            return total
        }
    }

    /// The migrations recorded in `schema_version`, in order.
    func schemaVersions() async throws -> [Int] {
        try await Self.withClient(try PostgresURL(url).clientConfiguration) { client in
            var versions: [Int] = []
            let rows = try await client.query("SELECT version FROM schema_version ORDER BY version", logger: Self.logger)
            for try await version in rows.decode(Int.self) { versions.append(version) }
            return versions
        }
    }

    var isPostgres: Bool { true }

    func tamper(_ sql: String) async throws {
        try await Self.withClient(try PostgresURL(url).clientConfiguration) { client in
            for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                _ = try await client.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger)
            }
        }
    }

    func dispose() async throws {
        try await store.shutdown()
        try await Self.withClient(try PostgresURL(try #require(Self.serverURL)).clientConfiguration) { client in
            _ = try await client.query("DROP DATABASE \(unescaped: database) WITH (FORCE)", logger: Self.logger)
        }
    }

    /// Runs `body` with a client whose `run()` lasts exactly as long.
    private static func withClient<Result: Sendable>(
        _ configuration: PostgresClient.Configuration,
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let running = client.startRunning()
        defer { running.cancel() }
        return try await body(client)
    }
}
