import Foundation
import Logging
import PostgresNIO
import WardenCore

/// The shared store for several gateway replicas: one PostgreSQL database, written with the same group commit,
/// chunked bodies and session rules as `SQLiteStore`, and read back into identical records.
public final class PostgresStore: RecordingStore {
    let client: PostgresClient
    let logger: Logger
    /// The client's `run()`, which must be going for any query to complete; cancelled by `shutdown()`.
    private let running: Task<Void, Never>
    private let writes: GroupCommit<StoreWrite, String>

    /// `url` is `postgres://user:password@host:port/database[?sslmode=disable|prefer|require]`; the password
    /// goes to the server and nowhere else, not into errors or logs.
    public init(url: String, logger: Logger = Logger(label: "warden.store.postgres")) throws {
        let client = PostgresClient(configuration: try PostgresURL(url).clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        running = client.startRunning()
        writes = GroupCommit { writes in
            let batch = PostgresBatch(writes)
            return try await client.withTransaction(logger: logger) { connection in
                try await batch.apply(on: connection, logger: logger)
            }
        }
    }

    public func prepare() async throws {
        try await PostgresSchema.migrate(client, logger: logger)
    }

    public func open(_ opening: ExchangeOpening) async throws -> String {
        try await writes.submit(.opening(opening))
    }

    public func close(_ closing: ExchangeClosing) async throws {
        _ = try await writes.submit(.closing(closing))
    }

    public func refuse(_ attempt: RefusedAttempt) async throws {
        _ = try await writes.submit(.refuse(attempt))
    }

    public func markInterrupted(at date: Date) async throws -> Int {
        let rows = try await client.query(
            """
            WITH marked AS (
                UPDATE exchanges SET outcome = 'interrupted', completed_at = \(StoreCodec.micros(date)),
                    failure = \("Warden stopped before the exchange finished")
                WHERE outcome = 'open'
                RETURNING 1
            )
            SELECT count(*) FROM marked
            """,
            logger: logger
        )
        var count = 0
        for try await marked in rows.decode(Int.self) { count = marked }
        return count
    }

    public func shutdown() async throws {
        await writes.close()
        running.cancel()
        await running.value
    }

    // MARK: Reading

    public func sessions(matching query: SessionQuery) async throws -> [SessionSummary] {
        let since = query.since.map(StoreCodec.micros)
        return try await summaries(
            """
            SELECT \(unescaped: Self.summaryColumns) FROM sessions s
            WHERE (\(query.user)::text IS NULL OR s.subject = \(query.user) OR s.display_name = \(query.user))
                AND (\(since)::bigint IS NULL OR s.last_seen_at >= \(since))
                AND (\(query.model)::text IS NULL OR EXISTS (SELECT 1 FROM exchanges e WHERE e.session_id = s.id AND e.model = \(query.model)))
            ORDER BY s.last_seen_at DESC LIMIT \(query.limit)
            """
        )
    }

    public func session(id: String) async throws -> SessionSummary? {
        try await summaries("SELECT \(unescaped: Self.summaryColumns) FROM sessions s WHERE s.id = \(id)").first
    }

    public func exchanges(inSession id: String) async throws -> [StoredExchange] {
        try await exchanges("SELECT * FROM exchanges WHERE session_id = \(id) ORDER BY id")
    }

    public func exchange(id: ExchangeID) async throws -> StoredExchange? {
        try await exchanges("SELECT * FROM exchanges WHERE id = \(id.rawValue)").first
    }

    public func exchanges(after cursor: ExchangeID?, since: Date?, limit: Int) async throws -> [StoredExchange] {
        try await exchanges(
            """
            SELECT * FROM exchanges WHERE id > \(cursor?.rawValue ?? "") AND received_at >= \(since.map(StoreCodec.micros) ?? Int64.min)
            ORDER BY id LIMIT \(limit)
            """
        )
    }

    public func refusals(since: Date?, limit: Int) async throws -> [RefusedAttempt] {
        try await client.query(
            "SELECT * FROM refusals WHERE at >= \(since.map(StoreCodec.micros) ?? Int64.min) ORDER BY id LIMIT \(limit)",
            logger: logger
        ).collect().map { try PostgresRecords.refusal($0.makeRandomAccess()) }
    }

    public func findings(matching query: FindingQuery) async throws -> [FindingRecord] {
        let since = query.since.map(StoreCodec.micros)
        let severity = query.minimumSeverity?.rawValue
        let category = query.category?.rawValue
        return try await client.query(
            """
            SELECT * FROM findings
            WHERE (\(since)::bigint IS NULL OR at >= \(since))
                AND (\(severity)::smallint IS NULL OR severity >= \(severity))
                AND (\(query.user)::text IS NULL OR subject = \(query.user) OR display_name = \(query.user))
                AND (\(category)::text IS NULL OR category = \(category))
            \(unescaped: StoredFindings.listOrder) LIMIT \(query.limit)
            """,
            logger: logger
        ).collect().map { try PostgresRecords.findingRecord($0.makeRandomAccess()) }
    }

    /// A session's columns plus its distinct models, gathered in the same query.
    private static let summaryColumns = """
        s.*, ARRAY(SELECT DISTINCT e.model FROM exchanges e WHERE e.session_id = s.id AND e.model IS NOT NULL ORDER BY e.model) AS models
        """

    private func summaries(_ query: PostgresQuery) async throws -> [SessionSummary] {
        try await client.query(query, logger: logger).collect().map { try PostgresRecords.summary($0.makeRandomAccess()) }
    }

    /// Exchanges with their bodies rebuilt, fetching every chunk the rows refer to in one more query.
    private func exchanges(_ query: PostgresQuery) async throws -> [StoredExchange] {
        let rows = try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        var digests: Set<Data> = []
        for row in rows { digests.formUnion(try PostgresRecords.chunkDigests(row)) }
        var chunks: [Data: Data] = [:]
        if !digests.isEmpty {
            let wanted = digests.map { ByteBuffer(bytes: $0) }
            let found = try await client.query("SELECT digest, data FROM body_chunks WHERE digest = ANY(\(wanted)::bytea[])", logger: logger)
            for try await (digest, data) in found.decode((Data, Data).self) { chunks[digest] = data }
        }
        var findings: [String: StoredFindings.Split] = [:]
        let ids = try rows.map { try $0["id"].decode(String.self) }
        if !ids.isEmpty {
            let found = try await client.query(
                "SELECT * FROM findings WHERE exchange_id = ANY(\(ids)::text[]) ORDER BY exchange_id, stage, seq",
                logger: logger
            )
            for try await row in found {
                let row = row.makeRandomAccess()
                try findings[try row["exchange_id"].decode(String.self), default: StoredFindings.Split()]
                    .append(try PostgresRecords.finding(row), stage: try row["stage"].decode(Int.self))
            }
        }
        return try rows.map { row in
            try PostgresRecords.exchange(row, chunks: chunks, findings: findings[try row["id"].decode(String.self)] ?? StoredFindings.Split())
        }
    }
}
