import Crypto
import Foundation
import GRDB
import Synchronization
import WardenCore

/// The embedded store: one SQLite file in WAL mode. Bodies are split into content-defined chunks stored once
/// each, so an agent resending its whole history each turn adds only what is new.
public final class SQLiteStore: RecordingStore {
    let pool: DatabasePool
    private let openings: GroupCommit<StoreWrite, String>
    private let path: String
    private let checkpointer = Mutex<SQLiteCheckpointer?>(nil)
    private let checkpointInterval: Duration

    /// Opens (creating if needed) the database file; `readOnly` is for the CLI reading a live gateway's file.
    /// `durability` says what a commit survives once `open`, `close` or `refuse` returns.
    public convenience init(path: String, readOnly: Bool = false, durability: WardenConfiguration.Durability = .process) throws {
        try self.init(path: path, readOnly: readOnly, durability: durability, checkpointInterval: .seconds(1))
    }

    init(path: String, readOnly: Bool, durability: WardenConfiguration.Durability, checkpointInterval: Duration) throws {
        self.checkpointInterval = checkpointInterval
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        if !readOnly {
            // Checkpoints run in the background (SQLiteCheckpointer), never inside an exchange's commit.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        self.path = path
        let pool = try DatabasePool(path: path, configuration: configuration)
        if !readOnly {
            // Set on the one writer connection, after GRDB's own set-up. In WAL mode NORMAL commits without fsync (the
            // background checkpoint syncs); FULL syncs every commit.
            let synchronous = durability == .power ? "FULL" : "NORMAL"
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        }
        self.pool = pool
        // A synchronous write: the committing task does the commit itself (no hop to GRDB's queue and back),
        // which is most of the latency of an idle gateway's opening record.
        self.openings = GroupCommit { writes in
            try pool.write { db in
                // A write alone in its batch needs no savepoint: if it fails, the whole transaction rolls back.
                if writes.count == 1 { return [.success(try writes[0].apply(db))] }
                return writes.map { write in
                    Result {
                        var output = ""
                        try db.inSavepoint {
                            output = try write.apply(db)
                            return .commit
                        }
                        return output
                    }
                }
            }
        }
    }

    public func prepare() async throws {
        try SQLiteSchema.migrator.migrate(pool)
        let started = try SQLiteCheckpointer(path: path, interval: checkpointInterval)
        let previous = checkpointer.withLock { current in
            defer { current = started }
            return current
        }
        await previous?.stop()
    }

    public func open(_ opening: ExchangeOpening) async throws -> String {
        try await openings.submit(.opening(opening))
    }

    public func close(_ closing: ExchangeClosing) async throws {
        _ = try await openings.submit(.closing(closing))
    }

    public func refuse(_ attempt: RefusedAttempt) async throws {
        _ = try await openings.submit(.refuse(attempt))
    }

    public func markInterrupted(at date: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE exchanges SET outcome = 'interrupted', completed_at = ?, failure = ? WHERE outcome = 'open'",
                arguments: [StoreCodec.micros(date), "Warden stopped before the exchange finished"]
            )
            return db.changesCount
        }
    }

    public func shutdown() async throws {
        await openings.close()
        await checkpointer.withLock { current in
            defer { current = nil }
            return current
        }?.stop()
        // Closing waits until every reader is back in the pool, and GRDB hands readers back from async code. Waiting
        // on a cooperative thread could leave no thread to hand them back: the wait happens on a dispatch queue.
        let pool = self.pool
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { continuation.resume(with: Result { try pool.close() }) }
        }
    }

    // MARK: Reading

    public func sessions(matching query: SessionQuery) async throws -> [SessionSummary] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let user = query.user {
                conditions.append("(s.subject = ? OR s.display_name = ?)")
                arguments += [user, user]
            }
            if let since = query.since {
                conditions.append("s.last_seen_at >= ?")
                arguments += [StoreCodec.micros(since)]
            }
            if let model = query.model {
                conditions.append("EXISTS (SELECT 1 FROM exchanges e WHERE e.session_id = s.id AND e.model = ?)")
                arguments += [model]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit]
            let rows = try Row.fetchAll(db, sql: "SELECT s.* FROM sessions s \(filter) ORDER BY s.last_seen_at DESC LIMIT ?", arguments: arguments)
            return try rows.map { try Self.summary($0, db) }
        }
    }

    public func session(id: String) async throws -> SessionSummary? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]).map { try Self.summary($0, db) }
        }
    }

    public func exchanges(inSession id: String) async throws -> [StoredExchange] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exchanges WHERE session_id = ? ORDER BY id", arguments: [id]).map { try Self.exchange($0, db) }
        }
    }

    public func exchange(id: ExchangeID) async throws -> StoredExchange? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM exchanges WHERE id = ?", arguments: [id.rawValue]).map { try Self.exchange($0, db) }
        }
    }

    public func exchanges(after cursor: ExchangeID?, since: Date?, limit: Int) async throws -> [StoredExchange] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM exchanges WHERE id > ? AND received_at >= ? ORDER BY id LIMIT ?",
                arguments: [cursor?.rawValue ?? "", since.map(StoreCodec.micros) ?? Int64.min, limit]
            ).map { try Self.exchange($0, db) }
        }
    }

    public func refusals(since: Date?, limit: Int) async throws -> [RefusedAttempt] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM refusals WHERE at >= ? ORDER BY id LIMIT ?",
                arguments: [since.map(StoreCodec.micros) ?? Int64.min, limit]
            ).map { row in
                guard let id = ExchangeID(row["id"] as String) else { throw StoreError.corruptRecord("refusal id") }
                return RefusedAttempt(
                    id: id,
                    at: StoreCodec.date(micros: row["at"]),
                    reason: row["reason"],
                    claimedIssuer: row["claimed_issuer"],
                    claimedSubject: row["claimed_subject"],
                    tokenHash: row["token_hash"],
                    clientAddress: row["client_address"],
                    userAgent: row["user_agent"],
                    method: row["method"],
                    path: row["path"]
                )
            }
        }
    }

    public func findings(matching query: FindingQuery) async throws -> [FindingRecord] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let since = query.since {
                conditions.append("at >= ?")
                arguments += [StoreCodec.micros(since)]
            }
            if let severity = query.minimumSeverity {
                conditions.append("severity >= ?")
                arguments += [severity.rawValue]
            }
            if let user = query.user {
                conditions.append("(subject = ? OR display_name = ?)")
                arguments += [user, user]
            }
            if let category = query.category {
                conditions.append("category = ?")
                arguments += [category.rawValue]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM findings \(filter) \(StoredFindings.listOrder) LIMIT ?", arguments: arguments)
            return try rows.map { row in
                FindingRecord(
                    exchangeID: row["exchange_id"],
                    sessionID: row["session_id"],
                    at: StoreCodec.date(micros: row["at"]),
                    issuer: row["issuer"],
                    subject: row["subject"],
                    displayName: row["display_name"],
                    finding: try Self.finding(row)
                )
            }
        }
    }

    private static func finding(_ row: Row) throws -> ExchangeFinding {
        try StoredFindings.finding(
            ruleID: row["rule_id"],
            category: row["category"],
            severity: row["severity"],
            direction: row["direction"],
            message: row["message_index"],
            block: row["block_index"],
            offset: row["byte_offset"],
            length: row["byte_length"],
            excerpt: row["excerpt"],
            action: row["action"]
        )
    }

    /// The findings digest of each of these exchanges that has findings, for its ledger entry. Findings are few
    /// beside exchanges, so they are read by the span of the (time-ordered) ids, not looked up id by id.
    static func findingDigests(of exchangeIDs: [String], _ db: Database) throws -> [String: String] {
        guard let low = exchangeIDs.min(), let high = exchangeIDs.max() else { return [:] }
        let wanted = Set(exchangeIDs)
        var splits: [String: StoredFindings.Split] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT * FROM findings WHERE exchange_id BETWEEN ? AND ? ORDER BY exchange_id, stage, seq"),
            arguments: [low, high]
        )
        while let row = try rows.next() {
            let id: String = row["exchange_id"]
            guard wanted.contains(id) else { continue }
            try splits[id, default: StoredFindings.Split()].append(try finding(row), stage: row["stage"])
        }
        return splits.compactMapValues { ExchangeFinding.ledgerDigest($0.opening + $0.closing) }
    }

    /// An exchange's findings, split by the record each was written with.
    private static func findings(of id: String, _ db: Database) throws -> StoredFindings.Split {
        var split = StoredFindings.Split()
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM findings WHERE exchange_id = ? ORDER BY stage, seq"), arguments: [id])
        while let row = try rows.next() {
            try split.append(try finding(row), stage: row["stage"])
        }
        return split
    }

    private static func summary(_ row: Row, _ db: Database) throws -> SessionSummary {
        let id: String = row["id"]
        let models = try String.fetchAll(
            db,
            sql: "SELECT DISTINCT model FROM exchanges WHERE session_id = ? AND model IS NOT NULL ORDER BY model",
            arguments: [id]
        )
        return SessionSummary(
            id: id,
            source: SessionSource(rawValue: row["source"]) ?? .conversation,
            externalKey: row["external_key"],
            principal: try StoreCodec.decode(Principal.self, row["principal_json"], field: "session principal"),
            startedAt: StoreCodec.date(micros: row["started_at"]),
            lastSeenAt: StoreCodec.date(micros: row["last_seen_at"]),
            exchangeCount: row["exchange_count"],
            models: models
        )
    }

    static func body(_ list: Data?, _ db: Database) throws -> Data {
        guard let list, !list.isEmpty else { return Data() }
        return try ChunkedBody.reassemble(digests: ChunkedBody.digests(fromList: list)) { digest in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM body_chunks WHERE digest = ?"), arguments: [digest])
        }
    }

    private static func exchange(_ row: Row, _ db: Database) throws -> StoredExchange {
        guard let id = ExchangeID(row["id"] as String) else { throw StoreError.corruptRecord("exchange id") }
        let found = try findings(of: id.rawValue, db)
        let opening = ExchangeOpening(
            id: id,
            session: SessionAssignment(source: SessionSource(rawValue: row["session_source"]) ?? .conversation, key: row["session_key"]),
            principal: try StoreCodec.decode(Principal.self, row["principal_json"], field: "principal"),
            tokenHash: row["token_hash"],
            tokenID: row["token_id"],
            clientAddress: row["client_address"],
            userAgent: row["user_agent"],
            method: row["method"],
            path: row["path"],
            query: row["query"],
            requestHeaders: try StoreCodec.decode([HeaderField].self, row["request_headers"], field: "request headers"),
            requestBody: try body(row["request_body"], db),
            requestEncoding: row["request_encoding"],
            model: row["model"],
            streamed: row["streamed"],
            receivedAt: StoreCodec.date(micros: row["received_at"]),
            findings: found.opening
        )
        let outcome = Outcome(rawValue: row["outcome"]) ?? .open
        var closing: ExchangeClosing?
        if outcome != .open {
            let usage: Usage? = (row["usage"] as String?).flatMap { try? StoreCodec.decode(Usage.self, $0, field: "usage") }
            closing = ExchangeClosing(
                id: id,
                outcome: outcome,
                upstreamStatus: row["upstream_status"],
                responseHeaders: try StoreCodec.decode([HeaderField].self, (row["response_headers"] as String?) ?? "[]", field: "response headers"),
                responseBody: try body(row["response_body"], db),
                events: try StoreCodec.events(from: row["events"]),
                message: (row["message"] as String?).map { Data($0.utf8) },
                usage: usage,
                stopReason: row["stop_reason"],
                upstreamRequestID: row["upstream_request_id"],
                forwardedAt: (row["forwarded_at"] as Int64?).map(StoreCodec.date(micros:)),
                firstByteAt: (row["first_byte_at"] as Int64?).map(StoreCodec.date(micros:)),
                completedAt: StoreCodec.date(micros: row["completed_at"] ?? row["received_at"]),
                failure: row["failure"],
                findings: found.closing
            )
        }
        return StoredExchange(opening: opening, sessionID: row["session_id"], closing: closing)
    }
}
