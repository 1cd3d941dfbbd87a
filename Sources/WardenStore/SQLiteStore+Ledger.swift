import Foundation
import GRDB
import WardenCore

extension Row: LedgerColumns {
    func text(at index: Int) throws -> String? { self[index] }
    func integer(at index: Int) throws -> Int64? { self[index] }
}

extension SQLiteStore {
    public func unsequencedEntries(limit: Int, after: UnsequencedPosition?) async throws -> [LedgerEntry] {
        try await pool.read { db in
            // Cursors, not arrays of rows: each row is mapped where SQLite holds it, never copied.
            var principals: [String: Principal] = [:]
            var exchangeEntries: [LedgerEntry] = []
            let exchanges = try Row.fetchCursor(
                db,
                sql: LedgerEntries.waiting(LedgerEntries.exchangeColumns, "exchanges", .exchange, limit: limit, after: after)
            )
            while let row = try exchanges.next() { exchangeEntries.append(try LedgerEntries.exchange(row, principals: &principals)) }
            let digests = try SQLiteStore.findingDigests(of: exchangeEntries.map(\.id), db)
            for index in exchangeEntries.indices { exchangeEntries[index].findingsSHA256 = digests[exchangeEntries[index].id] }
            let refusals = try Row.fetchCursor(
                db,
                sql: LedgerEntries.waiting(LedgerEntries.refusalColumns, "refusals", .refusal, limit: limit, after: after)
            ).map { try LedgerEntries.refusal($0) }
            let accesses = try Row.fetchCursor(
                db,
                sql: LedgerEntries.waiting(LedgerEntries.accessColumns, "accesses", .access, limit: limit, after: after)
            ).map { try LedgerEntries.access($0) }
            return LedgerEntries.oldestFirst([exchangeEntries, try Array(refusals), try Array(accesses)], limit: limit)
        }
    }

    public func sessionTips(_ sessionIDs: Set<String>) async throws -> [String: SessionTip] {
        try await pool.read { db in
            var tips: [String: SessionTip] = [:]
            let statement = try db.cachedStatement(
                sql: "SELECT session_sequence, entry FROM ledger_leaves WHERE session_id = ? ORDER BY session_sequence DESC LIMIT 1"
            )
            for id in sessionIDs {
                guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
                let sequence: Int64 = row["session_sequence"]
                let entry: Data = row["entry"]
                tips[id] = SessionTip(sequence: UInt64(sequence), hash: RFC6962.leafHash(Array(entry)))
            }
            return tips
        }
    }

    public func appendLeaves(_ leaves: [LedgerLeaf], at size: UInt64) async throws {
        try await pool.write { db in
            let end = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_leaves") ?? 0
            guard end == Int64(size) else { throw StoreError.ledgerConflict("the ledger holds \(end) leaves, not \(size)") }
            for (offset, leaf) in leaves.enumerated() {
                let index = Int64(size) + Int64(offset)
                guard leaf.index == UInt64(index) else { throw StoreError.ledgerConflict("leaf \(leaf.index) out of place") }
                // Taking the record off the queue is the link: a record that is not waiting cannot get a leaf.
                try db.cachedStatement(sql: "DELETE FROM ledger_pending WHERE record_id = ? AND kind = ?")
                    .execute(arguments: [leaf.recordID, Int64(leaf.kind.rawValue)])
                guard db.changesCount == 1 else {
                    throw StoreError.ledgerConflict("record \(leaf.recordID) is missing, still open or already sequenced")
                }
                try db.cachedStatement(
                    sql: "INSERT INTO ledger_leaves (idx, record_id, kind, session_id, session_sequence, entry) VALUES (?, ?, ?, ?, ?, ?)"
                ).execute(arguments: [
                    index, leaf.recordID, Int64(leaf.kind.rawValue), leaf.sessionID, leaf.sessionSequence.map(Int64.init), Data(leaf.encoded),
                ])
            }
        }
    }

    public func leaves(from index: UInt64, limit: Int) async throws -> [LedgerLeaf] {
        try await pool.read { db in
            try Array(
                Row.fetchCursor(
                    db,
                    sql: "SELECT \(Self.leafColumns) FROM ledger_leaves WHERE idx >= ? ORDER BY idx LIMIT ?",
                    arguments: [Int64(index), limit]
                )
                .map(Self.leaf)
            )
        }
    }

    public func leaf(recordID: String) async throws -> LedgerLeaf? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.leafColumns) FROM ledger_leaves WHERE record_id = ?", arguments: [recordID]).map(Self.leaf)
        }
    }

    public func leavesWithRecords(from index: UInt64, limit: Int) async throws -> [LeafWithRecord] {
        try await pool.read { db in
            var page = try Array(
                Row.fetchCursor(
                    db,
                    sql: "SELECT \(Self.leafColumns) FROM ledger_leaves WHERE idx >= ? ORDER BY idx LIMIT ?",
                    arguments: [Int64(index), limit]
                )
                .map { LeafWithRecord(leaf: try Self.leaf($0), record: nil) }
            )
            guard let first = page.first?.leaf.index, let last = page.last?.leaf.index else { return [] }
            var principals: [String: Principal] = [:]
            let exchanges = try Row.fetchCursor(db, sql: LedgerEntries.recordsOfLeaves(LedgerEntries.exchangeColumns, "exchanges", first, last))
            while let row = try exchanges.next() {
                guard let position = LedgerEntries.position(of: row[0], in: page) else { continue }
                page[position].record = try LedgerEntries.exchange(row, from: 1, principals: &principals)
            }
            let exchangeIDs = Array(page.lazy.filter { $0.leaf.kind == .exchange }.map(\.leaf.recordID))
            let digests = try SQLiteStore.findingDigests(of: exchangeIDs, db)
            if !digests.isEmpty {
                for position in page.indices where page[position].leaf.kind == .exchange {
                    let digest = digests[page[position].leaf.recordID]
                    page[position].record?.findingsSHA256 = digest
                }
            }
            let others: [(String, String, (Row) throws -> LedgerEntry)] = [
                ("refusals", LedgerEntries.refusalColumns, { try LedgerEntries.refusal($0, from: 1) }),
                ("accesses", LedgerEntries.accessColumns, { try LedgerEntries.access($0, from: 1) }),
            ]
            for (table, columns, map) in others {
                let rows = try Row.fetchCursor(db, sql: LedgerEntries.recordsOfLeaves(columns, table, first, last))
                while let row = try rows.next() {
                    guard let position = LedgerEntries.position(of: row[0], in: page) else { continue }
                    page[position].record = try map(row)
                }
            }
            return page
        }
    }

    public func bodyDigests(exchangeIDs: [String]) async throws -> [String: BodyDigests] {
        try await pool.read { db in
            var digests: [String: BodyDigests] = [:]
            let statement = try db.cachedStatement(sql: "SELECT request_body, response_body FROM exchanges WHERE id = ?")
            for id in exchangeIDs {
                guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
                let response: Data? = row["response_body"]
                digests[id] = BodyDigests(
                    request: BodyDigest.of { try Self.body(row["request_body"], db) },
                    response: response.map { list in BodyDigest.of { try Self.body(list, db) } }
                )
            }
            return digests
        }
    }

    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO ledger_checkpoints (size, note, signed_at) VALUES (?, ?, ?)",
                arguments: [Int64(checkpoint.size), checkpoint.note, StoreCodec.micros(checkpoint.signedAt)]
            )
        }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM ledger_checkpoints ORDER BY size DESC LIMIT 1").map { row in
                StoredCheckpoint(size: UInt64(row["size"] as Int64), note: row["note"], signedAt: StoreCodec.date(micros: row["signed_at"]))
            }
        }
    }

    public func recordAccess(_ access: AccessRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO accesses (id, at, actor, action, target) VALUES (?, ?, ?, ?, ?)",
                arguments: [access.id.rawValue, StoreCodec.micros(access.at), access.actor, access.action, access.target]
            )
        }
    }

    /// Read by position in `leaf(_:)`.
    private static let leafColumns = "idx, record_id, kind, session_id, session_sequence, entry"

    private static func leaf(_ row: Row) throws -> LedgerLeaf {
        let kind = try LedgerEntry.Kind(rawValue: UInt8(exactly: row[2] as Int64) ?? 0).orThrow(StoreError.corruptRecord("leaf kind"))
        let entry: Data = row[5]
        return LedgerLeaf(
            index: UInt64(row[0] as Int64),
            recordID: row[1],
            kind: kind,
            sessionID: row[3],
            sessionSequence: (row[4] as Int64?).map(UInt64.init),
            encoded: Array(entry)
        )
    }
}
