import Foundation
import PostgresNIO
import WardenCore

extension PostgresRandomAccessRow: LedgerColumns {
    func text(at index: Int) throws -> String? { try self[index].decode(String?.self) }
    func integer(at index: Int) throws -> Int64? { try self[index].decode(Int64?.self) }
}

extension PostgresStore {
    /// Serialises ledger appends across replicas ("WARDEN" + 2); the size check inside the lock does the rest.
    private static let ledgerLock: Int64 = 0x5741_5244_454E_0002

    public func unsequencedEntries(limit: Int, after: UnsequencedPosition?) async throws -> [LedgerEntry] {
        let exchanges = try await rows(
            "\(unescaped: LedgerEntries.waiting(LedgerEntries.exchangeColumns, "exchanges", .exchange, limit: limit, after: after))"
        )
        var principals: [String: Principal] = [:]
        var exchangeEntries = try exchanges.map { try LedgerEntries.exchange($0, principals: &principals) }
        let digests = try await findingDigests(exchangeIDs: exchangeEntries.map(\.id))
        for index in exchangeEntries.indices { exchangeEntries[index].findingsSHA256 = digests[exchangeEntries[index].id] }
        let refusals = try await rows(
            "\(unescaped: LedgerEntries.waiting(LedgerEntries.refusalColumns, "refusals", .refusal, limit: limit, after: after))"
        ).map { try LedgerEntries.refusal($0) }
        let accesses = try await rows(
            "\(unescaped: LedgerEntries.waiting(LedgerEntries.accessColumns, "accesses", .access, limit: limit, after: after))"
        ).map { try LedgerEntries.access($0) }
        return LedgerEntries.oldestFirst([exchangeEntries, refusals, accesses], limit: limit)
    }

    public func sessionTips(_ sessionIDs: Set<String>) async throws -> [String: SessionTip] {
        guard !sessionIDs.isEmpty else { return [:] }
        let found = try await client.query(
            """
            SELECT DISTINCT ON (session_id) session_id, session_sequence, entry FROM ledger_leaves
            WHERE session_id = ANY(\(Array(sessionIDs))::text[]) ORDER BY session_id, session_sequence DESC
            """,
            logger: logger
        )
        var tips: [String: SessionTip] = [:]
        for try await (id, sequence, entry) in found.decode((String, Int64, Data).self) {
            tips[id] = SessionTip(sequence: UInt64(sequence), hash: RFC6962.leafHash(Array(entry)))
        }
        return tips
    }

    public func appendLeaves(_ leaves: [LedgerLeaf], at size: UInt64) async throws {
        guard !leaves.isEmpty else { return }
        for (offset, leaf) in leaves.enumerated() where leaf.index != size + UInt64(offset) {
            throw StoreError.ledgerConflict("leaf \(leaf.index) out of place")
        }
        do {
            try await appendInTransaction(leaves, at: size)
        } catch let error as PostgresTransactionError {
            // The refusal is the store's own decision; callers should see it, not the rollback it caused.
            if let refusal = error.closureError as? StoreError { throw refusal }
            throw error
        }
    }

    private func appendInTransaction(_ leaves: [LedgerLeaf], at size: UInt64) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.ledgerLock))", logger: logger)
            var end: Int64 = 0
            for try await value in try await connection.query("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_leaves", logger: logger)
                .decode(Int64.self)
            {
                end = value
            }
            guard end == Int64(size) else { throw StoreError.ledgerConflict("the ledger holds \(end) leaves, not \(size)") }
            let indexes = leaves.map { Int64($0.index) }
            let ids = leaves.map(\.recordID)
            let kinds = leaves.map { Int16($0.kind.rawValue) }
            // PostgresNIO binds no arrays of optionals: absent values travel as '' and -1, which no real session has.
            let sessions = leaves.map { $0.sessionID ?? "" }
            let sequences = leaves.map { $0.sessionSequence.map(Int64.init) ?? -1 }
            let entries = leaves.map { ByteBuffer(bytes: $0.encoded) }
            // Taking the records off the queue is the link: a record that is not waiting cannot get a leaf.
            let taken = try await connection.query(
                """
                WITH taken AS (
                    DELETE FROM ledger_pending AS p USING unnest(\(ids)::text[], \(kinds)::smallint[]) AS l(id, kind)
                    WHERE p.record_id = l.id AND p.kind = l.kind
                    RETURNING 1
                )
                SELECT count(*) FROM taken
                """,
                logger: logger
            )
            var count = 0
            for try await value in taken.decode(Int.self) { count = value }
            guard count == leaves.count else { throw StoreError.ledgerConflict("a record is missing, still open or already sequenced") }
            try await connection.query(
                """
                INSERT INTO ledger_leaves (idx, record_id, kind, session_id, session_sequence, entry)
                SELECT idx, id, kind, NULLIF(session, ''), NULLIF(sequence, -1), entry
                FROM unnest(\(indexes)::bigint[], \(ids)::text[], \(kinds)::smallint[], \(sessions)::text[],
                    \(sequences)::bigint[], \(entries)::bytea[]) AS l(idx, id, kind, session, sequence, entry)
                """,
                logger: logger
            )
        }
    }

    public func leaves(from index: UInt64, limit: Int) async throws -> [LedgerLeaf] {
        try await rows("SELECT * FROM ledger_leaves WHERE idx >= \(Int64(index)) ORDER BY idx LIMIT \(limit)").map(Self.leaf)
    }

    public func leaf(recordID: String) async throws -> LedgerLeaf? {
        try await rows("SELECT * FROM ledger_leaves WHERE record_id = \(recordID)").first.map(Self.leaf)
    }

    public func leavesWithRecords(from index: UInt64, limit: Int) async throws -> [LeafWithRecord] {
        var page = try await rows("SELECT * FROM ledger_leaves WHERE idx >= \(Int64(index)) ORDER BY idx LIMIT \(limit)").map {
            LeafWithRecord(leaf: try Self.leaf($0), record: nil)
        }
        guard let first = page.first?.leaf.index, let last = page.last?.leaf.index else { return [] }
        var principals: [String: Principal] = [:]
        let others: [(String, String, (PostgresRandomAccessRow) throws -> LedgerEntry)] = [
            ("exchanges", LedgerEntries.exchangeColumns, { try LedgerEntries.exchange($0, from: 1, principals: &principals) }),
            ("refusals", LedgerEntries.refusalColumns, { try LedgerEntries.refusal($0, from: 1) }),
            ("accesses", LedgerEntries.accessColumns, { try LedgerEntries.access($0, from: 1) }),
        ]
        for (table, columns, map) in others {
            for row in try await rows("\(unescaped: LedgerEntries.recordsOfLeaves(columns, table, first, last))") {
                guard let position = LedgerEntries.position(of: try row[0].decode(Int64.self), in: page) else { continue }
                page[position].record = try map(row)
            }
        }
        let exchangeIDs = Array(page.lazy.filter { $0.leaf.kind == .exchange }.map(\.leaf.recordID))
        let digests = try await findingDigests(exchangeIDs: exchangeIDs)
        if !digests.isEmpty {
            for position in page.indices where page[position].leaf.kind == .exchange {
                let digest = digests[page[position].leaf.recordID]
                page[position].record?.findingsSHA256 = digest
            }
        }
        return page
    }

    /// The findings digest of each of these exchanges that has findings, for its ledger entry. Findings are few
    /// beside exchanges, so they are read by the span of the (time-ordered) ids, not looked up id by id.
    func findingDigests(exchangeIDs: [String]) async throws -> [String: String] {
        guard let low = exchangeIDs.min(), let high = exchangeIDs.max() else { return [:] }
        let wanted = Set(exchangeIDs)
        var splits: [String: StoredFindings.Split] = [:]
        let found = try await client.query(
            "SELECT * FROM findings WHERE exchange_id BETWEEN \(low) AND \(high) ORDER BY exchange_id, stage, seq",
            logger: logger
        )
        for try await row in found {
            let row = row.makeRandomAccess()
            let id = try row["exchange_id"].decode(String.self)
            guard wanted.contains(id) else { continue }
            try splits[id, default: StoredFindings.Split()].append(try PostgresRecords.finding(row), stage: try row["stage"].decode(Int.self))
        }
        return splits.compactMapValues { ExchangeFinding.ledgerDigest($0.opening + $0.closing) }
    }

    public func bodyDigests(exchangeIDs: [String]) async throws -> [String: BodyDigests] {
        var digests: [String: BodyDigests] = [:]
        for batch in exchangeIDs.chunked(1000).map(Array.init) {
            let found = try await rows("SELECT id, request_body, response_body FROM exchanges WHERE id = ANY(\(batch)::text[])")
            let wanted = try found.flatMap(PostgresRecords.chunkDigests).map { ByteBuffer(bytes: $0) }
            var chunks: [Data: Data] = [:]
            if !wanted.isEmpty {
                let stored = try await client.query("SELECT digest, data FROM body_chunks WHERE digest = ANY(\(wanted)::bytea[])", logger: logger)
                for try await (digest, data) in stored.decode((Data, Data).self) { chunks[digest] = data }
            }
            for row in found {
                let request = try row["request_body"].decode(Data.self)
                let response = try row["response_body"].decode(Data?.self)
                digests[try row["id"].decode(String.self)] = BodyDigests(
                    request: BodyDigest.of { try PostgresRecords.body(request, chunks) },
                    response: response.map { list in BodyDigest.of { try PostgresRecords.body(list, chunks) } }
                )
            }
        }
        return digests
    }

    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) async throws {
        try await client.query(
            """
            INSERT INTO ledger_checkpoints (size, note, signed_at)
            VALUES (\(Int64(checkpoint.size)), \(checkpoint.note), \(StoreCodec.micros(checkpoint.signedAt)))
            ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note, signed_at = EXCLUDED.signed_at
            """,
            logger: logger
        )
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        let found = try await client.query("SELECT size, note, signed_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1", logger: logger)
        for try await (size, note, signedAt) in found.decode((Int64, String, Int64).self) {
            return StoredCheckpoint(size: UInt64(size), note: note, signedAt: StoreCodec.date(micros: signedAt))
        }
        return nil
    }

    public func recordAccess(_ access: AccessRecord) async throws {
        try await client.query(
            """
            INSERT INTO accesses (id, at, actor, action, target)
            VALUES (\(access.id.rawValue), \(StoreCodec.micros(access.at)), \(access.actor), \(access.action), \(access.target))
            """,
            logger: logger
        )
    }

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    private static func leaf(_ row: PostgresRandomAccessRow) throws -> LedgerLeaf {
        let kind = try LedgerEntry.Kind(rawValue: UInt8(exactly: try row["kind"].decode(Int16.self)) ?? 0)
            .orThrow(StoreError.corruptRecord("leaf kind"))
        return LedgerLeaf(
            index: UInt64(try row["idx"].decode(Int64.self)),
            recordID: try row["record_id"].decode(String.self),
            kind: kind,
            sessionID: try row["session_id"].decode(String?.self),
            sessionSequence: try row["session_sequence"].decode(Int64?.self).map(UInt64.init),
            encoded: Array(try row["entry"].decode(Data.self))
        )
    }
}
