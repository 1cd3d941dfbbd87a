import Crypto
import Foundation
import Logging
import PostgresNIO
import WardenCore

/// One group-committed batch of writes against PostgreSQL, where several replicas write at once.
///
/// Bodies are chunked before the transaction opens, so it stays short. Whatever two replicas can both insert
/// or update is locked in phases, each in sorted order: first advisory locks on the session keys and conversation
/// digests the batch may insert, then the batch's chunks, then, after the writes, the session counters. Two
/// replicas whose batches touch the same sessions or chunks in different orders therefore queue behind each
/// other instead of deadlocking, which would fail a write that is otherwise fine.
struct PostgresBatch: Sendable {
    private enum Write: Sendable {
        case open(ExchangeOpening, StoredBody)
        case close(ExchangeClosing, StoredBody)
        case refuse(RefusedAttempt)
    }

    /// What a batch's committed openings add to one session, applied once per session at the end of the batch.
    private struct SessionTouch {
        var exchanges = 0
        var lastSeen = Int64.min

        mutating func add(receivedAt date: Date) {
            exchanges += 1
            lastSeen = max(lastSeen, StoreCodec.micros(date))
        }
    }

    /// Keeps one chunk-insert statement well below PostgreSQL's 1 GB message limit.
    private static let chunkBytesPerStatement = 16 << 20

    private let writes: [Write]

    init(_ writes: [StoreWrite]) {
        self.writes = writes.map { write in
            switch write {
            case .open(let opening, let body): .open(opening, body)
            case .close(let closing, let body): .close(closing, body)
            case .refuse(let attempt): .refuse(attempt)
            }
        }
    }

    /// Applies every write inside the caller's transaction, each in its own savepoint so that one bad write
    /// fails alone. Throws only when the transaction itself is lost; then nothing of the batch commits.
    func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Result<String, any Error>] {
        try await lockInsertedKeys(on: connection, logger: logger)
        try await storeChunks(on: connection, logger: logger)
        var touches: [String: SessionTouch] = [:]
        var results: [Result<String, any Error>] = []
        results.reserveCapacity(writes.count)
        for write in writes {
            try await connection.query("SAVEPOINT write", logger: logger)
            do {
                let output = try await apply(write, on: connection, logger: logger)
                try await connection.query("RELEASE SAVEPOINT write", logger: logger)
                if case .open(let opening, _) = write {
                    touches[output, default: SessionTouch()].add(receivedAt: opening.receivedAt)
                }
                results.append(.success(output))
            } catch {
                try await connection.query("ROLLBACK TO SAVEPOINT write", logger: logger)
                try await connection.query("RELEASE SAVEPOINT write", logger: logger)
                results.append(.failure(error))
            }
        }
        try await touchSessions(touches, on: connection, logger: logger)
        return results
    }

    /// Takes a transaction-scoped advisory lock for every session key and conversation digest the batch may insert,
    /// so that the inserts themselves never wait on another replica's uncommitted row.
    private func lockInsertedKeys(on connection: PostgresConnection, logger: Logger) async throws {
        var keys: Set<Int64> = []
        for case .open(let opening, _) in writes {
            let principal = opening.principal
            if let key = opening.session.key {
                keys.insert(Self.lockKey(["session", principal.issuer, principal.subject, opening.session.source.rawValue, key]))
            }
            if let digest = opening.session.conversationDigest {
                keys.insert(Self.lockKey(["link", principal.issuer, principal.subject, digest]))
            }
        }
        guard !keys.isEmpty else { return }
        try await connection.query(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(\(keys.sorted())::bigint[]) AS k ORDER BY k",
            logger: logger
        )
    }

    /// 64 bits of a SHA-256 over the parts; a collision only makes two unrelated writes queue.
    private static func lockKey(_ parts: [String]) -> Int64 {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }

    /// Inserts the batch's distinct chunks, sorted by digest, a few statements in all instead of one per chunk.
    /// Chunks are immutable and content-addressed, so those of a write that then fails are merely unreferenced.
    private func storeChunks(on connection: PostgresConnection, logger: Logger) async throws {
        var unique: [Data: Data] = [:]
        for write in writes {
            switch write {
            case .open(_, let body), .close(_, let body):
                for chunk in body.chunks { unique[chunk.digest] = chunk.bytes }
            case .refuse: break
            }
        }
        var digests: [ByteBuffer] = []
        var contents: [ByteBuffer] = []
        var pending = 0
        for (digest, bytes) in unique.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            digests.append(ByteBuffer(bytes: digest))
            contents.append(ByteBuffer(bytes: bytes))
            pending += bytes.count
            if pending >= Self.chunkBytesPerStatement {
                try await insertChunks(digests, contents, on: connection, logger: logger)
                digests.removeAll(keepingCapacity: true)
                contents.removeAll(keepingCapacity: true)
                pending = 0
            }
        }
        if !digests.isEmpty {
            try await insertChunks(digests, contents, on: connection, logger: logger)
        }
    }

    private func insertChunks(_ digests: [ByteBuffer], _ contents: [ByteBuffer], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO body_chunks (digest, data) SELECT * FROM unnest(\(digests)::bytea[], \(contents)::bytea[])
            ON CONFLICT (digest) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Adds the batch's openings to their sessions' counters, locking the session rows in id order first.
    private func touchSessions(_ touches: [String: SessionTouch], on connection: PostgresConnection, logger: Logger) async throws {
        guard !touches.isEmpty else { return }
        let sorted = touches.sorted { $0.key < $1.key }
        let ids = sorted.map(\.key)
        try await connection.query(
            "SELECT id FROM sessions WHERE id = ANY(\(ids)) ORDER BY id FOR NO KEY UPDATE",
            logger: logger
        )
        let counts = sorted.map(\.value.exchanges)
        let seen = sorted.map(\.value.lastSeen)
        try await connection.query(
            """
            UPDATE sessions s SET exchange_count = s.exchange_count + t.exchanges, last_seen_at = GREATEST(s.last_seen_at, t.seen)
            FROM unnest(\(ids)::text[], \(counts)::bigint[], \(seen)::bigint[]) AS t (id, exchanges, seen)
            WHERE s.id = t.id
            """,
            logger: logger
        )
    }

    /// Returns the session id for openings, "" otherwise.
    private func apply(_ write: Write, on connection: PostgresConnection, logger: Logger) async throws -> String {
        switch write {
        case .open(let opening, let body):
            return try await open(opening, body, on: connection, logger: logger)
        case .close(let closing, let body):
            try await close(closing, body, on: connection, logger: logger)
            return ""
        case .refuse(let attempt):
            try await connection.query(
                """
                INSERT INTO refusals (id, at, reason, claimed_issuer, claimed_subject, token_hash, client_address, user_agent, method, path)
                VALUES (\(attempt.id.rawValue), \(StoreCodec.micros(attempt.at)), \(attempt.reason), \(attempt.claimedIssuer),
                    \(attempt.claimedSubject), \(attempt.tokenHash), \(attempt.clientAddress), \(attempt.userAgent), \(attempt.method),
                    \(attempt.path))
                """,
                logger: logger
            )
            return ""
        }
    }

    private func open(_ opening: ExchangeOpening, _ body: StoredBody, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let sessionID = try await PostgresSessions.resolve(opening, on: connection, logger: logger)
        let principal = opening.principal
        try await connection.query(
            """
            INSERT INTO exchanges (id, session_id, session_source, session_key, issuer, subject, display_name, principal_json,
                token_hash, token_id, client_address, user_agent, method, path, query, request_headers, request_body,
                request_body_length, request_body_sha256, request_encoding, model, streamed, received_at, outcome)
            VALUES (\(opening.id.rawValue), \(sessionID), \(opening.session.source.rawValue), \(opening.session.key), \(principal.issuer),
                \(principal.subject), \(principal.displayName), \(StoreCodec.json(principal)), \(opening.tokenHash), \(opening.tokenID),
                \(opening.clientAddress), \(opening.userAgent), \(opening.method), \(opening.path), \(opening.query),
                \(StoreCodec.json(opening.requestHeaders)), \(body.list), \(opening.requestBody.count), \(body.sha256),
                \(opening.requestEncoding), \(opening.model), \(opening.streamed), \(StoreCodec.micros(opening.receivedAt)), 'open')
            """,
            logger: logger
        )
        try await storeFindings(opening.findings, of: opening.id, stage: .opening, at: opening.receivedAt, on: connection, logger: logger)
        return sessionID
    }

    private func close(_ closing: ExchangeClosing, _ body: StoredBody, on connection: PostgresConnection, logger: Logger) async throws {
        let updated = try await connection.query(
            """
            UPDATE exchanges SET outcome = \(closing.outcome.rawValue), upstream_status = \(closing.upstreamStatus),
                response_headers = \(StoreCodec.json(closing.responseHeaders)), response_body = \(body.list),
                response_body_length = \(closing.responseBody.count), response_body_sha256 = \(body.sha256),
                events = \(StoreCodec.events(closing.events)), message = \(closing.message.map { String(decoding: $0, as: UTF8.self) }),
                usage = \(closing.usage.map(StoreCodec.json)), input_tokens = \(closing.usage?.inputTokens),
                output_tokens = \(closing.usage?.outputTokens), stop_reason = \(closing.stopReason),
                upstream_request_id = \(closing.upstreamRequestID), forwarded_at = \(closing.forwardedAt.map(StoreCodec.micros)),
                first_byte_at = \(closing.firstByteAt.map(StoreCodec.micros)), completed_at = \(StoreCodec.micros(closing.completedAt)),
                failure = \(closing.failure)
            WHERE id = \(closing.id.rawValue)
            RETURNING id
            """,
            logger: logger
        ).collect()
        guard updated.count == 1 else { throw StoreError.corruptRecord("closing an exchange that was never opened") }
        try await storeFindings(closing.findings, of: closing.id, stage: .closing, at: closing.completedAt, on: connection, logger: logger)
    }

    /// Inserts a record's findings in order, in one statement, with the session and user of the exchange row they belong
    /// to. Arrays cannot hold NULL here, so a finding without a message index travels as -1, which no index can be.
    private func storeFindings(
        _ findings: [ExchangeFinding],
        of id: ExchangeID,
        stage: StoredFindings.Stage,
        at date: Date,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !findings.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO findings (exchange_id, stage, seq, at, session_id, issuer, subject, display_name, rule_id, category, severity,
                direction, message_index, block_index, byte_offset, byte_length, excerpt, action)
            SELECT e.id, \(stage.rawValue), f.seq - 1, \(StoreCodec.micros(date)), e.session_id, e.issuer, e.subject, e.display_name,
                f.rule_id, f.category, f.severity, f.direction, NULLIF(f.message_index, -1), f.block_index, f.byte_offset, f.byte_length,
                f.excerpt, f.action
            FROM exchanges e,
                unnest(\(findings.map(\.ruleID))::text[], \(findings.map(\.category.rawValue))::text[],
                    \(findings.map(\.severity.rawValue))::smallint[], \(findings.map(\.direction.rawValue))::text[],
                    \(findings.map { $0.message ?? -1 })::integer[], \(findings.map(\.block))::integer[], \(findings.map(\.offset))::integer[],
                    \(findings.map(\.length))::integer[], \(findings.map(\.excerpt))::text[], \(findings.map(\.action.rawValue))::text[])
                WITH ORDINALITY AS f (rule_id, category, severity, direction, message_index, block_index, byte_offset, byte_length, excerpt,
                    action, seq)
            WHERE e.id = \(id.rawValue)
            """,
            logger: logger
        )
    }
}
