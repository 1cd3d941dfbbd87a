import Crypto
import Foundation
import GRDB
import WardenCore

/// One unit of group-committed work, the same for every store; `apply` is its SQLite form.
enum StoreWrite: Sendable {
    case open(ExchangeOpening, StoredBody)
    case close(ExchangeClosing, StoredBody)
    case refuse(RefusedAttempt)

    static func opening(_ opening: ExchangeOpening) -> StoreWrite { .open(opening, StoredBody(opening.requestBody)) }
    static func closing(_ closing: ExchangeClosing) -> StoreWrite { .close(closing, StoredBody(closing.responseBody)) }

    /// Applies the write inside the caller's transaction; returns the session id for openings.
    func apply(_ db: Database) throws -> String {
        switch self {
        case .open(let opening, let body): return try Self.open(opening, body, db)
        case .close(let closing, let body):
            try Self.close(closing, body, db)
            return ""
        case .refuse(let attempt):
            try Self.run(
                db,
                """
                INSERT INTO refusals (id, at, reason, claimed_issuer, claimed_subject, token_hash, client_address, user_agent, method, path)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    attempt.id.rawValue, StoreCodec.micros(attempt.at), attempt.reason, attempt.claimedIssuer, attempt.claimedSubject,
                    attempt.tokenHash, attempt.clientAddress, attempt.userAgent, attempt.method, attempt.path,
                ]
            )
            return ""
        }
    }

    private static func open(_ opening: ExchangeOpening, _ body: StoredBody, _ db: Database) throws -> String {
        let sessionID = try resolveSession(opening, db)
        try storeChunks(body, db)
        try run(
            db,
            """
            INSERT INTO exchanges (id, session_id, session_source, session_key, issuer, subject, display_name, principal_json,
                token_hash, token_id, client_address, user_agent, method, path, query, request_headers, request_body,
                request_body_length, request_body_sha256, request_encoding, model, streamed, received_at, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')
            """,
            [
                opening.id.rawValue, sessionID, opening.session.source.rawValue, opening.session.key, opening.principal.issuer,
                opening.principal.subject, opening.principal.displayName, StoreCodec.json(opening.principal), opening.tokenHash,
                opening.tokenID, opening.clientAddress, opening.userAgent, opening.method, opening.path, opening.query,
                StoreCodec.json(opening.requestHeaders), body.list, opening.requestBody.count, body.sha256, opening.requestEncoding,
                opening.model, opening.streamed, StoreCodec.micros(opening.receivedAt),
            ]
        )
        try storeFindings(opening.findings, of: opening.id, stage: .opening, at: opening.receivedAt, db)
        return sessionID
    }

    private static func close(_ closing: ExchangeClosing, _ body: StoredBody, _ db: Database) throws {
        try storeChunks(body, db)
        try run(
            db,
            """
            UPDATE exchanges SET outcome = ?, upstream_status = ?, response_headers = ?, response_body = ?, response_body_length = ?,
                response_body_sha256 = ?, events = ?, message = ?, usage = ?, input_tokens = ?, output_tokens = ?, stop_reason = ?,
                upstream_request_id = ?, forwarded_at = ?, first_byte_at = ?, completed_at = ?, failure = ?
            WHERE id = ?
            """,
            [
                closing.outcome.rawValue, closing.upstreamStatus, StoreCodec.json(closing.responseHeaders), body.list,
                closing.responseBody.count, body.sha256, StoreCodec.events(closing.events),
                closing.message.map { String(decoding: $0, as: UTF8.self) }, closing.usage.map(StoreCodec.json),
                closing.usage?.inputTokens, closing.usage?.outputTokens, closing.stopReason, closing.upstreamRequestID,
                closing.forwardedAt.map(StoreCodec.micros), closing.firstByteAt.map(StoreCodec.micros), StoreCodec.micros(closing.completedAt),
                closing.failure, closing.id.rawValue,
            ]
        )
        guard db.changesCount == 1 else { throw StoreError.corruptRecord("closing an exchange that was never opened") }
        try storeFindings(closing.findings, of: closing.id, stage: .closing, at: closing.completedAt, db)
    }

    /// Inserts a record's findings in order, with the session and user of the exchange row they belong to.
    private static func storeFindings(
        _ findings: [ExchangeFinding],
        of id: ExchangeID,
        stage: StoredFindings.Stage,
        at date: Date,
        _ db: Database
    ) throws {
        for (seq, finding) in findings.enumerated() {
            try run(
                db,
                """
                INSERT INTO findings (exchange_id, stage, seq, at, session_id, issuer, subject, display_name, rule_id, category, severity,
                    direction, message_index, block_index, byte_offset, byte_length, excerpt, action)
                SELECT id, ?, ?, ?, session_id, issuer, subject, display_name, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM exchanges WHERE id = ?
                """,
                [
                    stage.rawValue, seq, StoreCodec.micros(date), finding.ruleID, finding.category.rawValue, finding.severity.rawValue,
                    finding.direction.rawValue, finding.message, finding.block, finding.offset, finding.length, finding.excerpt,
                    finding.action.rawValue, id.rawValue,
                ]
            )
        }
    }

    /// Stores the chunks of a body that the database does not have yet.
    private static func storeChunks(_ body: StoredBody, _ db: Database) throws {
        for chunk in body.chunks {
            try run(db, "INSERT OR IGNORE INTO body_chunks (digest, data) VALUES (?, ?)", [chunk.digest, chunk.bytes])
        }
    }

    private static func resolveSession(_ opening: ExchangeOpening, _ db: Database) throws -> String {
        let principal = opening.principal
        let now = StoreCodec.micros(opening.receivedAt)
        var sessionID: String?
        if let key = opening.session.key {
            sessionID = try String.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM sessions WHERE issuer = ? AND subject = ? AND source = ? AND external_key = ?"),
                arguments: [principal.issuer, principal.subject, opening.session.source.rawValue, key]
            )
        } else {
            for digest in opening.session.conversationPrefixes {
                sessionID = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT session_id FROM conversation_links WHERE issuer = ? AND subject = ? AND digest = ?"),
                    arguments: [principal.issuer, principal.subject, digest]
                )
                if sessionID != nil { break }
            }
        }
        let id: String
        if let sessionID {
            id = sessionID
            try run(
                db,
                "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?), exchange_count = exchange_count + 1 WHERE id = ?",
                [now, id]
            )
        } else {
            id = ExchangeID(date: opening.receivedAt).rawValue
            try run(
                db,
                """
                INSERT INTO sessions (id, issuer, subject, display_name, principal_json, source, external_key, started_at, last_seen_at, exchange_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                """,
                [
                    id, principal.issuer, principal.subject, principal.displayName, StoreCodec.json(principal),
                    opening.session.source.rawValue, opening.session.key, now, now,
                ]
            )
        }
        if let digest = opening.session.conversationDigest {
            try run(
                db,
                "INSERT OR REPLACE INTO conversation_links (issuer, subject, digest, session_id) VALUES (?, ?, ?, ?)",
                [principal.issuer, principal.subject, digest, id]
            )
        }
        return id
    }

    /// Runs a write through SQLite's statement cache: the same few statements run for every exchange, so they are
    /// compiled once per connection instead of once per record.
    private static func run(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
