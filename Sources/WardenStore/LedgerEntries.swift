import Foundation
import WardenCore

/// Read access to one stored row by column position, so both stores turn rows into ledger entries with the same
/// code: a leaf recomputed from PostgreSQL must equal the one recomputed from SQLite for the same record. Positions,
/// not names: looking a column up by name costs more than the rest of the row.
protocol LedgerColumns {
    func text(at index: Int) throws -> String?
    func integer(at index: Int) throws -> Int64?
}

/// Reads a row's columns in the order they were selected.
private struct ColumnReader<Row: LedgerColumns> {
    let row: Row
    var position: Int

    mutating func text() throws -> String? {
        defer { position += 1 }
        return try row.text(at: position)
    }

    mutating func integer() throws -> Int64? {
        defer { position += 1 }
        return try row.integer(at: position)
    }

    mutating func unsigned(_ column: String) throws -> UInt64? {
        guard let value = try integer() else { return nil }
        guard value >= 0 else { throw StoreError.corruptRecord(column) }
        return UInt64(value)
    }

    mutating func required(_ column: String) throws -> String {
        guard let value = try text() else { throw StoreError.corruptRecord(column) }
        return value
    }
}

/// The columns each kind of record contributes to its leaf, and how they map onto a `LedgerEntry`. Each mapping reads
/// the columns in exactly the order its column list names them, starting at column `first`.
enum LedgerEntries {
    static let exchangeColumns = """
        id, session_id, issuer, subject, display_name, principal_json, token_hash, token_id, client_address, user_agent, \
        method, path, query, model, request_body_sha256, request_body_length, response_body_sha256, response_body_length, \
        upstream_status, upstream_request_id, outcome, stop_reason, input_tokens, output_tokens, received_at, forwarded_at, \
        first_byte_at, completed_at
        """
    static let refusalColumns = "id, at, reason, claimed_issuer, claimed_subject, token_hash, client_address, user_agent, method, path"
    static let accessColumns = "id, at, actor, action, target"

    /// The entry without origin and session chain: those belong to the ledger, not to the record. `principals` caches
    /// decoded principals by their JSON, which repeats for every exchange of the same caller.
    static func exchange(_ row: some LedgerColumns, from first: Int = 0, principals: inout [String: Principal]) throws -> LedgerEntry {
        var columns = ColumnReader(row: row, position: first)
        var entry = LedgerEntry(kind: .exchange, origin: "", id: try columns.required("id"))
        entry.sessionID = try columns.text()
        entry.issuer = try columns.text()
        entry.subject = try columns.text()
        entry.displayName = try columns.text()
        let json = try columns.required("principal_json")
        let principal: Principal
        if let known = principals[json] {
            principal = known
        } else {
            principal = try StoreCodec.decode(Principal.self, json, field: "principal")
            principals[json] = principal
        }
        entry.groups = principal.groups
        entry.attributes = principal.attributes
        entry.runID = principal.runID
        entry.tokenHash = try columns.text()
        entry.tokenID = try columns.text()
        entry.clientAddress = try columns.text()
        entry.userAgent = try columns.text()
        entry.method = try columns.text()
        entry.path = try columns.text()
        entry.query = try columns.text()
        entry.model = try columns.text()
        entry.requestBodySHA256 = try columns.text()
        entry.requestBodyLength = try columns.unsigned("request_body_length")
        entry.responseBodySHA256 = try columns.text()
        entry.responseBodyLength = try columns.unsigned("response_body_length")
        entry.upstreamStatus = try columns.unsigned("upstream_status")
        entry.upstreamRequestID = try columns.text()
        entry.outcome = try columns.text()
        entry.stopReason = try columns.text()
        entry.inputTokens = try columns.unsigned("input_tokens")
        entry.outputTokens = try columns.unsigned("output_tokens")
        entry.receivedAtMicros = try columns.integer()
        entry.forwardedAtMicros = try columns.integer()
        entry.firstByteAtMicros = try columns.integer()
        entry.completedAtMicros = try columns.integer()
        return entry
    }

    static func refusal(_ row: some LedgerColumns, from first: Int = 0) throws -> LedgerEntry {
        var columns = ColumnReader(row: row, position: first)
        var entry = LedgerEntry(kind: .refusal, origin: "", id: try columns.required("id"))
        entry.receivedAtMicros = try columns.integer()
        entry.reason = try columns.text()
        entry.issuer = try columns.text()
        entry.subject = try columns.text()
        entry.tokenHash = try columns.text()
        entry.clientAddress = try columns.text()
        entry.userAgent = try columns.text()
        entry.method = try columns.text()
        entry.path = try columns.text()
        return entry
    }

    static func access(_ row: some LedgerColumns, from first: Int = 0) throws -> LedgerEntry {
        var columns = ColumnReader(row: row, position: first)
        var entry = LedgerEntry(kind: .access, origin: "", id: try columns.required("id"))
        entry.receivedAtMicros = try columns.integer()
        entry.subject = try columns.text()
        entry.reason = try columns.text()
        entry.target = try columns.text()
        return entry
    }

    /// The moment that orders unsequenced records: when an exchange closed, when a refusal or access happened.
    static func orderingMicros(_ entry: LedgerEntry) -> Int64 {
        entry.completedAtMicros ?? entry.receivedAtMicros ?? 0
    }

    /// Merges per-table lists into one list, oldest first, cut at `limit`. Each store returns its lists in waiting
    /// order, so usually one list is all there is and is returned as it is; otherwise small (time, position) keys are
    /// sorted and each entry moved once, as entries are large.
    static func oldestFirst(_ lists: [[LedgerEntry]], limit: Int) -> [LedgerEntry] {
        let filled = lists.filter { !$0.isEmpty }
        if filled.count == 1, let only = filled.first, only.count <= limit, isOldestFirst(only) { return only }
        let all = Array(filled.joined())
        let order = all.indices.map { (orderingMicros(all[$0]), $0) }.sorted { left, right in
            left.0 != right.0 ? left.0 < right.0 : all[left.1].id < all[right.1].id
        }
        return order.prefix(limit).map { all[$0.1] }
    }

    private static func isOldestFirst(_ entries: [LedgerEntry]) -> Bool {
        zip(entries, entries.dropFirst()).allSatisfy { (orderingMicros($0), $0.id) < (orderingMicros($1), $1.id) }
    }

    /// Selects the records of one kind waiting for a leaf, oldest first, at most `limit`, optionally only those after
    /// a position: the same SQL for both stores. Every value is a number or an id Warden made, quoted here.
    static func waiting(_ columns: String, _ table: String, _ kind: LedgerEntry.Kind, limit: Int, after: UnsequencedPosition?) -> String {
        let bound = after.map { " AND (at, record_id) > (\($0.micros), '\($0.id.replacingOccurrences(of: "'", with: "''"))')" } ?? ""
        return """
            SELECT \(columns)
            FROM (
                SELECT record_id AS pending_id, at AS pending_at FROM ledger_pending WHERE kind = \(kind.rawValue)\(bound)
                ORDER BY at, record_id LIMIT \(limit)
            ) AS p
            JOIN \(table) ON \(table).id = p.pending_id ORDER BY p.pending_at, p.pending_id
            """
    }

    /// Selects the records named by the leaves `first...last`, each row led by its leaf's index (so the record columns
    /// start at column 1): the same SQL for both stores. The bounds are leaf indexes, never caller text.
    static func recordsOfLeaves(_ columns: String, _ table: String, _ first: UInt64, _ last: UInt64) -> String {
        """
        SELECT leaf_idx, \(columns)
        FROM (SELECT idx AS leaf_idx, record_id AS leaf_record FROM ledger_leaves WHERE idx BETWEEN \(first) AND \(last)) AS l
        JOIN \(table) ON \(table).id = l.leaf_record
        """
    }

    /// Where each record row belongs in a page of leaves sorted by index: a binary search, as tampering can leave
    /// gaps in the indexes.
    static func position(of index: Int64, in page: [LeafWithRecord]) -> Int? {
        var low = 0
        var high = page.count
        while low < high {
            let middle = (low + high) / 2
            if Int64(page[middle].leaf.index) < index { low = middle + 1 } else { high = middle }
        }
        return low < page.count && Int64(page[low].leaf.index) == index ? low : nil
    }
}
