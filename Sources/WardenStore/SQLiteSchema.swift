import GRDB

/// The SQLite schema, versioned through GRDB migrations so a newer Warden opens an older data directory.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY,
                        issuer TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        display_name TEXT,
                        principal_json TEXT NOT NULL,
                        source TEXT NOT NULL,
                        external_key TEXT,
                        started_at INTEGER NOT NULL,
                        last_seen_at INTEGER NOT NULL,
                        exchange_count INTEGER NOT NULL
                    );
                    CREATE UNIQUE INDEX sessions_key ON sessions (issuer, subject, source, external_key) WHERE external_key IS NOT NULL;
                    CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
                    CREATE TABLE conversation_links (
                        issuer TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        session_id TEXT NOT NULL REFERENCES sessions(id),
                        PRIMARY KEY (issuer, subject, digest)
                    ) WITHOUT ROWID;
                    CREATE TABLE body_chunks (
                        digest BLOB PRIMARY KEY,
                        data BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE exchanges (
                        id TEXT PRIMARY KEY,
                        session_id TEXT NOT NULL REFERENCES sessions(id),
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
                        request_body BLOB NOT NULL,
                        request_body_length INTEGER NOT NULL,
                        request_body_sha256 TEXT NOT NULL,
                        request_encoding TEXT,
                        model TEXT,
                        streamed INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        upstream_status INTEGER,
                        response_headers TEXT,
                        response_body BLOB,
                        response_body_length INTEGER,
                        response_body_sha256 TEXT,
                        events TEXT,
                        message TEXT,
                        usage TEXT,
                        input_tokens INTEGER,
                        output_tokens INTEGER,
                        stop_reason TEXT,
                        upstream_request_id TEXT,
                        forwarded_at INTEGER,
                        first_byte_at INTEGER,
                        completed_at INTEGER,
                        failure TEXT
                    );
                    CREATE INDEX exchanges_session ON exchanges (session_id, id);
                    CREATE INDEX exchanges_subject ON exchanges (subject, id);
                    CREATE INDEX exchanges_open ON exchanges (outcome) WHERE outcome = 'open';
                    CREATE TABLE refusals (
                        id TEXT PRIMARY KEY,
                        at INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        claimed_issuer TEXT,
                        claimed_subject TEXT,
                        token_hash TEXT,
                        client_address TEXT,
                        user_agent TEXT,
                        method TEXT NOT NULL,
                        path TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2-ledger") { db in
            // The record-to-leaf link lives only in ledger_leaves: marking the wide record rows would rewrite each of
            // them once more. ledger_pending is the narrow queue of closed records still waiting for a leaf; triggers
            // fill it in the transaction that closes a record (so nothing closed is ever missed, whoever writes it)
            // and the sequencer empties it in the transaction that appends the leaves.
            try db.execute(
                sql: """
                    CREATE TABLE accesses (
                        id TEXT PRIMARY KEY,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL
                    );
                    CREATE TABLE ledger_pending (
                        record_id TEXT PRIMARY KEY,
                        kind INTEGER NOT NULL,
                        at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX ledger_pending_order ON ledger_pending (kind, at, record_id);
                    INSERT INTO ledger_pending (record_id, kind, at)
                        SELECT id, 1, COALESCE(completed_at, received_at) FROM exchanges WHERE outcome != 'open';
                    INSERT INTO ledger_pending (record_id, kind, at) SELECT id, 2, at FROM refusals;
                    CREATE TRIGGER exchanges_closed AFTER UPDATE OF outcome ON exchanges
                        WHEN OLD.outcome = 'open' AND NEW.outcome != 'open'
                        BEGIN
                            INSERT INTO ledger_pending (record_id, kind, at) VALUES (NEW.id, 1, COALESCE(NEW.completed_at, NEW.received_at));
                        END;
                    CREATE TRIGGER exchanges_recorded_closed AFTER INSERT ON exchanges WHEN NEW.outcome != 'open'
                        BEGIN
                            INSERT INTO ledger_pending (record_id, kind, at) VALUES (NEW.id, 1, COALESCE(NEW.completed_at, NEW.received_at));
                        END;
                    CREATE TRIGGER refusals_recorded AFTER INSERT ON refusals
                        BEGIN
                            INSERT INTO ledger_pending (record_id, kind, at) VALUES (NEW.id, 2, NEW.at);
                        END;
                    CREATE TRIGGER accesses_recorded AFTER INSERT ON accesses
                        BEGIN
                            INSERT INTO ledger_pending (record_id, kind, at) VALUES (NEW.id, 3, NEW.at);
                        END;
                    CREATE TABLE ledger_leaves (
                        idx INTEGER PRIMARY KEY,
                        record_id TEXT NOT NULL UNIQUE,
                        kind INTEGER NOT NULL,
                        session_id TEXT,
                        session_sequence INTEGER,
                        entry BLOB NOT NULL
                    );
                    CREATE INDEX ledger_leaves_session ON ledger_leaves (session_id, session_sequence) WHERE session_id IS NOT NULL;
                    CREATE TABLE ledger_checkpoints (
                        size INTEGER PRIMARY KEY,
                        note TEXT NOT NULL,
                        signed_at INTEGER NOT NULL
                    );
                    """
            )
        }
        // Findings are copied with their exchange's session and user (StoredFindings), so each listing filter has an index.
        migrator.registerMigration("v3-findings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE findings (
                        exchange_id TEXT NOT NULL REFERENCES exchanges(id),
                        stage INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        session_id TEXT NOT NULL,
                        issuer TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        display_name TEXT,
                        rule_id TEXT NOT NULL,
                        category TEXT NOT NULL,
                        severity INTEGER NOT NULL,
                        direction TEXT NOT NULL,
                        message_index INTEGER,
                        block_index INTEGER NOT NULL,
                        byte_offset INTEGER NOT NULL,
                        byte_length INTEGER NOT NULL,
                        excerpt TEXT NOT NULL,
                        action TEXT NOT NULL,
                        PRIMARY KEY (exchange_id, stage, seq)
                    );
                    CREATE INDEX findings_at ON findings (at, severity);
                    CREATE INDEX findings_severity ON findings (severity, at);
                    CREATE INDEX findings_subject ON findings (subject, at);
                    CREATE INDEX findings_display_name ON findings (display_name, at) WHERE display_name IS NOT NULL;
                    """
            )
        }
        return migrator
    }
}
