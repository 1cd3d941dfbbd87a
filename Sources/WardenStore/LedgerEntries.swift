import Foundation
import WardenCore

/// Read access to one stored row by column name, so both stores turn rows into ledger entries with the same code:
/// a leaf recomputed from PostgreSQL must equal the one recomputed from SQLite for the same record.
protocol LedgerColumns {
    func text(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int64?
}

/// The columns each kind of record contributes to its leaf, and how they map onto a `LedgerEntry`.
enum LedgerEntries {
    static let exchangeColumns = """
        id, session_id, issuer, subject, display_name, principal_json, token_hash, token_id, client_address, user_agent,
        method, path, query, model, request_body_sha256, request_body_length, response_body_sha256, response_body_length,
        upstream_status, upstream_request_id, outcome, stop_reason, input_tokens, output_tokens, received_at, forwarded_at,
        first_byte_at, completed_at
        """
    static let refusalColumns = "id, at, reason, claimed_issuer, claimed_subject, token_hash, client_address, user_agent, method, path"
    static let accessColumns = "id, at, actor, action, target"

    /// The entry without origin and session chain: those belong to the ledger, not to the record.
    static func exchange(_ row: some LedgerColumns) throws -> LedgerEntry {
        var entry = LedgerEntry(kind: .exchange, origin: "", id: try required(row, "id"))
        entry.sessionID = try row.text("session_id")
        entry.issuer = try row.text("issuer")
        entry.subject = try row.text("subject")
        entry.displayName = try row.text("display_name")
        let principal = try StoreCodec.decode(Principal.self, try row.text("principal_json"), field: "principal")
        entry.groups = principal.groups
        entry.attributes = principal.attributes
        entry.runID = principal.runID
        entry.tokenHash = try row.text("token_hash")
        entry.tokenID = try row.text("token_id")
        entry.clientAddress = try row.text("client_address")
        entry.userAgent = try row.text("user_agent")
        entry.method = try row.text("method")
        entry.path = try row.text("path")
        entry.query = try row.text("query")
        entry.model = try row.text("model")
        entry.requestBodySHA256 = try row.text("request_body_sha256")
        entry.requestBodyLength = try unsigned(row, "request_body_length")
        entry.responseBodySHA256 = try row.text("response_body_sha256")
        entry.responseBodyLength = try unsigned(row, "response_body_length")
        entry.upstreamStatus = try unsigned(row, "upstream_status")
        entry.upstreamRequestID = try row.text("upstream_request_id")
        entry.outcome = try row.text("outcome")
        entry.stopReason = try row.text("stop_reason")
        entry.inputTokens = try unsigned(row, "input_tokens")
        entry.outputTokens = try unsigned(row, "output_tokens")
        entry.receivedAtMicros = try row.integer("received_at")
        entry.forwardedAtMicros = try row.integer("forwarded_at")
        entry.firstByteAtMicros = try row.integer("first_byte_at")
        entry.completedAtMicros = try row.integer("completed_at")
        return entry
    }

    static func refusal(_ row: some LedgerColumns) throws -> LedgerEntry {
        var entry = LedgerEntry(kind: .refusal, origin: "", id: try required(row, "id"))
        entry.receivedAtMicros = try row.integer("at")
        entry.reason = try row.text("reason")
        entry.issuer = try row.text("claimed_issuer")
        entry.subject = try row.text("claimed_subject")
        entry.tokenHash = try row.text("token_hash")
        entry.clientAddress = try row.text("client_address")
        entry.userAgent = try row.text("user_agent")
        entry.method = try row.text("method")
        entry.path = try row.text("path")
        return entry
    }

    static func access(_ row: some LedgerColumns) throws -> LedgerEntry {
        var entry = LedgerEntry(kind: .access, origin: "", id: try required(row, "id"))
        entry.receivedAtMicros = try row.integer("at")
        entry.subject = try row.text("actor")
        entry.reason = try row.text("action")
        entry.target = try row.text("target")
        return entry
    }

    /// The moment that orders unsequenced records: when an exchange closed, when a refusal or access happened.
    static func orderingMicros(_ entry: LedgerEntry) -> Int64 {
        entry.completedAtMicros ?? entry.receivedAtMicros ?? 0
    }

    /// Merges per-table lists (each already oldest first) into one list, oldest first, cut at `limit`.
    static func oldestFirst(_ lists: [[LedgerEntry]], limit: Int) -> [LedgerEntry] {
        lists.joined().sorted { (orderingMicros($0), $0.id) < (orderingMicros($1), $1.id) }.prefix(limit).map { $0 }
    }

    /// The table that holds records of a kind.
    static func table(for kind: LedgerEntry.Kind) -> String {
        switch kind {
        case .exchange: "exchanges"
        case .refusal: "refusals"
        case .access: "accesses"
        }
    }

    private static func required(_ row: some LedgerColumns, _ column: String) throws -> String {
        guard let value = try row.text(column) else { throw StoreError.corruptRecord(column) }
        return value
    }

    private static func unsigned(_ row: some LedgerColumns, _ column: String) throws -> UInt64? {
        guard let value = try row.integer(column) else { return nil }
        guard value >= 0 else { throw StoreError.corruptRecord(column) }
        return UInt64(value)
    }
}
