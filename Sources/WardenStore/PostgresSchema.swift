import Logging
import PostgresNIO

/// The PostgreSQL schema: the SQLite one in PostgreSQL types, versioned in `schema_version`.
///
/// Identifiers and model names use the "C" collation so that they sort byte-wise, as in SQLite, whatever
/// locale the database was created with: exports page by id, and both stores must list in the same order.
enum PostgresSchema {
    /// Every migration in order; each runs once per database, in the same transaction as its version row.
    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE IF NOT EXISTS sessions (
                id TEXT COLLATE "C" PRIMARY KEY,
                issuer TEXT NOT NULL,
                subject TEXT NOT NULL,
                display_name TEXT,
                principal_json TEXT NOT NULL,
                source TEXT NOT NULL,
                external_key TEXT,
                started_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                exchange_count BIGINT NOT NULL,
                CONSTRAINT sessions_key UNIQUE (issuer, subject, source, external_key)
            )
            """,
            "CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen_at)",
            """
            CREATE TABLE IF NOT EXISTS conversation_links (
                issuer TEXT NOT NULL,
                subject TEXT NOT NULL,
                digest TEXT NOT NULL,
                session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
                PRIMARY KEY (issuer, subject, digest)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS body_chunks (
                digest BYTEA PRIMARY KEY,
                data BYTEA NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS exchanges (
                id TEXT COLLATE "C" PRIMARY KEY,
                session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id),
                session_source TEXT NOT NULL,
                session_key TEXT,
                issuer TEXT NOT NULL,
                subject TEXT NOT NULL,
                display_name TEXT,
                principal_json TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                token_id TEXT,
                client_address TEXT,
                user_agent TEXT,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                query TEXT,
                request_headers TEXT NOT NULL,
                request_body BYTEA NOT NULL,
                request_body_length BIGINT NOT NULL,
                request_body_sha256 TEXT NOT NULL,
                request_encoding TEXT,
                model TEXT COLLATE "C",
                streamed BOOLEAN NOT NULL,
                received_at BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                upstream_status INTEGER,
                response_headers TEXT,
                response_body BYTEA,
                response_body_length BIGINT,
                response_body_sha256 TEXT,
                events TEXT,
                message TEXT,
                usage TEXT,
                input_tokens BIGINT,
                output_tokens BIGINT,
                stop_reason TEXT,
                upstream_request_id TEXT,
                forwarded_at BIGINT,
                first_byte_at BIGINT,
                completed_at BIGINT,
                failure TEXT
            )
            """,
            "CREATE INDEX IF NOT EXISTS exchanges_session ON exchanges (session_id, id)",
            "CREATE INDEX IF NOT EXISTS exchanges_subject ON exchanges (subject, id)",
            "CREATE INDEX IF NOT EXISTS exchanges_open ON exchanges (outcome) WHERE outcome = 'open'",
            """
            CREATE TABLE IF NOT EXISTS refusals (
                id TEXT COLLATE "C" PRIMARY KEY,
                at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                claimed_issuer TEXT,
                claimed_subject TEXT,
                token_hash TEXT,
                client_address TEXT,
                user_agent TEXT,
                method TEXT NOT NULL,
                path TEXT NOT NULL
            )
            """,
        ],
        [
            // As in SQLite: the record-to-leaf link lives only in ledger_leaves, and ledger_pending is the narrow queue
            // of closed records waiting for a leaf, filled by triggers in the transaction that closes a record.
            """
            CREATE TABLE IF NOT EXISTS accesses (
                id TEXT COLLATE "C" PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS ledger_pending (
                record_id TEXT COLLATE "C" PRIMARY KEY,
                kind SMALLINT NOT NULL,
                at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX IF NOT EXISTS ledger_pending_order ON ledger_pending (kind, at, record_id)",
            """
            INSERT INTO ledger_pending (record_id, kind, at)
            SELECT id, 1, COALESCE(completed_at, received_at) FROM exchanges WHERE outcome <> 'open' ON CONFLICT DO NOTHING
            """,
            "INSERT INTO ledger_pending (record_id, kind, at) SELECT id, 2, at FROM refusals ON CONFLICT DO NOTHING",
            """
            CREATE OR REPLACE FUNCTION ledger_pend_exchange() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO ledger_pending (record_id, kind, at) VALUES (NEW.id, 1, COALESCE(NEW.completed_at, NEW.received_at));
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE OR REPLACE FUNCTION ledger_pend_record() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO ledger_pending (record_id, kind, at) VALUES (NEW.id, TG_ARGV[0]::smallint, NEW.at);
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE OR REPLACE TRIGGER exchanges_closed AFTER UPDATE OF outcome ON exchanges FOR EACH ROW
            WHEN (OLD.outcome = 'open' AND NEW.outcome <> 'open') EXECUTE FUNCTION ledger_pend_exchange()
            """,
            """
            CREATE OR REPLACE TRIGGER exchanges_recorded_closed AFTER INSERT ON exchanges FOR EACH ROW
            WHEN (NEW.outcome <> 'open') EXECUTE FUNCTION ledger_pend_exchange()
            """,
            "CREATE OR REPLACE TRIGGER refusals_recorded AFTER INSERT ON refusals FOR EACH ROW EXECUTE FUNCTION ledger_pend_record('2')",
            "CREATE OR REPLACE TRIGGER accesses_recorded AFTER INSERT ON accesses FOR EACH ROW EXECUTE FUNCTION ledger_pend_record('3')",
            """
            CREATE TABLE IF NOT EXISTS ledger_leaves (
                idx BIGINT PRIMARY KEY,
                record_id TEXT COLLATE "C" NOT NULL UNIQUE,
                kind SMALLINT NOT NULL,
                session_id TEXT COLLATE "C",
                session_sequence BIGINT,
                entry BYTEA NOT NULL
            )
            """,
            """
            CREATE INDEX IF NOT EXISTS ledger_leaves_session ON ledger_leaves (session_id, session_sequence)
            WHERE session_id IS NOT NULL
            """,
            """
            CREATE TABLE IF NOT EXISTS ledger_checkpoints (
                size BIGINT PRIMARY KEY,
                note TEXT NOT NULL,
                signed_at BIGINT NOT NULL
            )
            """,
        ],
        [
            """
            CREATE TABLE IF NOT EXISTS findings (
                exchange_id TEXT COLLATE "C" NOT NULL REFERENCES exchanges (id),
                stage SMALLINT NOT NULL,
                seq INTEGER NOT NULL,
                at BIGINT NOT NULL,
                session_id TEXT COLLATE "C" NOT NULL,
                issuer TEXT NOT NULL,
                subject TEXT NOT NULL,
                display_name TEXT,
                rule_id TEXT NOT NULL,
                category TEXT NOT NULL,
                severity SMALLINT NOT NULL,
                direction TEXT NOT NULL,
                message_index INTEGER,
                block_index INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                byte_length INTEGER NOT NULL,
                excerpt TEXT NOT NULL,
                action TEXT NOT NULL,
                PRIMARY KEY (exchange_id, stage, seq)
            )
            """,
            "CREATE INDEX IF NOT EXISTS findings_at ON findings (at, severity)",
            "CREATE INDEX IF NOT EXISTS findings_severity ON findings (severity, at)",
            "CREATE INDEX IF NOT EXISTS findings_subject ON findings (subject, at)",
            "CREATE INDEX IF NOT EXISTS findings_display_name ON findings (display_name, at) WHERE display_name IS NOT NULL",
        ],
    ]

    /// Arbitrary, fixed: the advisory lock every replica takes before migrating ("WARDEN" + 1).
    private static let migrationLock: Int64 = 0x5741_5244_454E_0001

    /// Brings the database up to the newest version. Replicas starting together queue on the advisory lock,
    /// so each migration runs exactly once and the others find it done.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            )
            var current = 0
            for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", logger: logger)
                .decode(Int.self)
            {
                current = version
            }
            for (index, statements) in migrations.enumerated() where index + 1 > current {
                for statement in statements {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO schema_version (version) VALUES (\(index + 1))", logger: logger)
                logger.info("migrated the PostgreSQL store", metadata: ["version": "\(index + 1)"])
            }
        }
    }
}
