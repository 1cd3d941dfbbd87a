import Logging
import PostgresNIO
import WardenCore

/// Session resolution on PostgreSQL, with the same rules as on SQLite: an external key names a session per
/// issuer, subject and source; otherwise the longest earlier prefix of the conversation does.
///
/// Replicas may resolve the same key at the same moment. `PostgresBatch` already holds an advisory lock per key
/// it may insert, and a new keyed session is still created with `ON CONFLICT DO NOTHING` on the unique key and,
/// when another writer won, read back: never two sessions for one key. Counters are not touched here;
/// `PostgresBatch` adds them at the end of the batch.
enum PostgresSessions {
    static func resolve(_ opening: ExchangeOpening, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let principal = opening.principal
        let id: String
        if let key = opening.session.key {
            id = try await keyed(opening, key: key, on: connection, logger: logger)
        } else if let linked = try await linked(opening, on: connection, logger: logger) {
            id = linked
        } else {
            // Without an external key there is no unique key to conflict on: the insert always returns the id.
            id = try await create(opening, on: connection, logger: logger)!
        }
        if let digest = opening.session.conversationDigest {
            try await connection.query(
                """
                INSERT INTO conversation_links (issuer, subject, digest, session_id) VALUES (\(principal.issuer), \(principal.subject), \(digest), \(id))
                ON CONFLICT (issuer, subject, digest) DO UPDATE SET session_id = EXCLUDED.session_id
                """,
                logger: logger
            )
        }
        return id
    }

    private static func keyed(_ opening: ExchangeOpening, key: String, on connection: PostgresConnection, logger: Logger) async throws -> String {
        if let id = try await existing(opening, key: key, on: connection, logger: logger) { return id }
        if let id = try await create(opening, on: connection, logger: logger) { return id }
        // Another replica committed this key after our first look; a new statement sees its row.
        guard let id = try await existing(opening, key: key, on: connection, logger: logger) else {
            throw StoreError.corruptRecord("session \(key) conflicted but cannot be found")
        }
        return id
    }

    private static func existing(_ opening: ExchangeOpening, key: String, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let principal = opening.principal
        return try await first(
            connection.query(
                """
                SELECT id FROM sessions
                WHERE issuer = \(principal.issuer) AND subject = \(principal.subject) AND source = \(opening.session.source.rawValue)
                    AND external_key = \(key)
                """,
                logger: logger
            )
        )
    }

    /// The session of the longest prefix already seen, in one round trip for all prefixes.
    private static func linked(_ opening: ExchangeOpening, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let prefixes = opening.session.conversationPrefixes
        guard !prefixes.isEmpty else { return nil }
        var links: [String: String] = [:]
        let rows = try await connection.query(
            """
            SELECT digest, session_id FROM conversation_links
            WHERE issuer = \(opening.principal.issuer) AND subject = \(opening.principal.subject) AND digest = ANY(\(prefixes))
            """,
            logger: logger
        )
        for try await (digest, sessionID) in rows.decode((String, String).self) {
            links[digest] = sessionID
        }
        return prefixes.lazy.compactMap { links[$0] }.first
    }

    /// Inserts a session with no exchanges yet; nil when a keyed session for the same key already exists.
    private static func create(_ opening: ExchangeOpening, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let principal = opening.principal
        let now = StoreCodec.micros(opening.receivedAt)
        return try await first(
            connection.query(
                """
                INSERT INTO sessions (id, issuer, subject, display_name, principal_json, source, external_key, started_at, last_seen_at,
                    exchange_count)
                VALUES (\(ExchangeID(date: opening.receivedAt).rawValue), \(principal.issuer), \(principal.subject), \(principal.displayName),
                    \(StoreCodec.json(principal)), \(opening.session.source.rawValue), \(opening.session.key), \(now), \(now), 0)
                ON CONFLICT (issuer, subject, source, external_key) DO NOTHING
                RETURNING id
                """,
                logger: logger
            )
        )
    }

    private static func first(_ rows: PostgresRowSequence) async throws -> String? {
        for try await id in rows.decode(String.self) { return id }
        return nil
    }
}
