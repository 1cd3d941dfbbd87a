import Foundation
import PostgresNIO
import WardenCore

/// Turns PostgreSQL rows back into records, field for field as `SQLiteStore` does, so both stores read alike.
enum PostgresRecords {
    /// Reads columns by name, as GRDB rows do.
    private struct Fields {
        let row: PostgresRandomAccessRow

        subscript<T: PostgresDecodable>(_ column: String) -> T {
            get throws { try row[column].decode(T.self) }
        }
    }

    /// Expects the session columns plus `models`, the session's distinct models in byte order.
    static func summary(_ row: PostgresRandomAccessRow) throws -> SessionSummary {
        let fields = Fields(row: row)
        return SessionSummary(
            id: try fields["id"],
            source: SessionSource(rawValue: try fields["source"]) ?? .conversation,
            externalKey: try fields["external_key"],
            principal: try StoreCodec.decode(Principal.self, try fields["principal_json"], field: "session principal"),
            startedAt: StoreCodec.date(micros: try fields["started_at"]),
            lastSeenAt: StoreCodec.date(micros: try fields["last_seen_at"]),
            exchangeCount: try fields["exchange_count"],
            models: try fields["models"]
        )
    }

    /// The chunk digests an exchange row's bodies refer to, to fetch them all in one query.
    static func chunkDigests(_ row: PostgresRandomAccessRow) throws -> [Data] {
        let fields = Fields(row: row)
        let lists: [Data?] = [try fields["request_body"], try fields["response_body"]]
        return try lists.compactMap(\.self).flatMap(ChunkedBody.digests(fromList:))
    }

    /// `findings` are the exchange's own, as `StoredFindings.Split` gathers them from the findings table.
    static func exchange(_ row: PostgresRandomAccessRow, chunks: [Data: Data], findings: StoredFindings.Split) throws -> StoredExchange {
        let fields = Fields(row: row)
        guard let id = ExchangeID(try fields["id"] as String) else { throw StoreError.corruptRecord("exchange id") }
        let opening = ExchangeOpening(
            id: id,
            session: SessionAssignment(
                source: SessionSource(rawValue: try fields["session_source"]) ?? .conversation,
                key: try fields["session_key"]
            ),
            principal: try StoreCodec.decode(Principal.self, try fields["principal_json"], field: "principal"),
            tokenHash: try fields["token_hash"],
            tokenID: try fields["token_id"],
            clientAddress: try fields["client_address"],
            userAgent: try fields["user_agent"],
            method: try fields["method"],
            path: try fields["path"],
            query: try fields["query"],
            requestHeaders: try StoreCodec.decode([HeaderField].self, try fields["request_headers"], field: "request headers"),
            requestBody: try body(try fields["request_body"], chunks),
            requestEncoding: try fields["request_encoding"],
            model: try fields["model"],
            streamed: try fields["streamed"],
            receivedAt: StoreCodec.date(micros: try fields["received_at"]),
            findings: findings.opening
        )
        let outcome = Outcome(rawValue: try fields["outcome"]) ?? .open
        var closing: ExchangeClosing?
        if outcome != .open {
            let usage: Usage? = (try fields["usage"] as String?).flatMap { try? StoreCodec.decode(Usage.self, $0, field: "usage") }
            closing = ExchangeClosing(
                id: id,
                outcome: outcome,
                upstreamStatus: try fields["upstream_status"],
                responseHeaders: try StoreCodec.decode([HeaderField].self, try fields["response_headers"] ?? "[]", field: "response headers"),
                responseBody: try body(try fields["response_body"], chunks),
                events: try StoreCodec.events(from: try fields["events"]),
                message: (try fields["message"] as String?).map { Data($0.utf8) },
                usage: usage,
                stopReason: try fields["stop_reason"],
                upstreamRequestID: try fields["upstream_request_id"],
                forwardedAt: (try fields["forwarded_at"] as Int64?).map(StoreCodec.date(micros:)),
                firstByteAt: (try fields["first_byte_at"] as Int64?).map(StoreCodec.date(micros:)),
                completedAt: StoreCodec.date(micros: try fields["completed_at"] ?? fields["received_at"]),
                failure: try fields["failure"],
                findings: findings.closing
            )
        }
        return StoredExchange(opening: opening, sessionID: try fields["session_id"], closing: closing)
    }

    static func finding(_ row: PostgresRandomAccessRow) throws -> ExchangeFinding {
        let fields = Fields(row: row)
        return try StoredFindings.finding(
            ruleID: try fields["rule_id"],
            category: try fields["category"],
            severity: try fields["severity"],
            direction: try fields["direction"],
            message: try fields["message_index"],
            block: try fields["block_index"],
            offset: try fields["byte_offset"],
            length: try fields["byte_length"],
            excerpt: try fields["excerpt"],
            action: try fields["action"]
        )
    }

    static func findingRecord(_ row: PostgresRandomAccessRow) throws -> FindingRecord {
        let fields = Fields(row: row)
        return FindingRecord(
            exchangeID: try fields["exchange_id"],
            sessionID: try fields["session_id"],
            at: StoreCodec.date(micros: try fields["at"]),
            issuer: try fields["issuer"],
            subject: try fields["subject"],
            displayName: try fields["display_name"],
            finding: try finding(row)
        )
    }

    static func refusal(_ row: PostgresRandomAccessRow) throws -> RefusedAttempt {
        let fields = Fields(row: row)
        guard let id = ExchangeID(try fields["id"] as String) else { throw StoreError.corruptRecord("refusal id") }
        return RefusedAttempt(
            id: id,
            at: StoreCodec.date(micros: try fields["at"]),
            reason: try fields["reason"],
            claimedIssuer: try fields["claimed_issuer"],
            claimedSubject: try fields["claimed_subject"],
            tokenHash: try fields["token_hash"],
            clientAddress: try fields["client_address"],
            userAgent: try fields["user_agent"],
            method: try fields["method"],
            path: try fields["path"]
        )
    }

    static func body(_ list: Data?, _ chunks: [Data: Data]) throws -> Data {
        guard let list, !list.isEmpty else { return Data() }
        return try ChunkedBody.reassemble(digests: ChunkedBody.digests(fromList: list)) { chunks[$0] }
    }
}
