import Crypto
import Foundation
import WardenCore
import WardenStore

/// One exchange as `warden export` and `--json` print it. The schema is versioned (docs/export.md);
/// fields are only ever added within a version.
struct ExportRecord: Encodable {
    static let schema = "warden.exchange/1"

    struct Body: Encodable {
        /// `utf8` when the bytes are valid UTF-8 (then `data` is the text), else `base64`.
        var encoding: String
        var data: String
        var length: Int
        var sha256: String

        init(_ bytes: Data) {
            if let text = String(data: bytes, encoding: .utf8) {
                encoding = "utf8"
                data = text
            } else {
                encoding = "base64"
                data = bytes.base64EncodedString()
            }
            length = bytes.count
            sha256 = SHA256.hash(data: bytes).hexString
        }
    }

    struct PrincipalRecord: Encodable {
        var issuer: String
        var subject: String
        var displayName: String?
        var groups: [String]
        var attributes: [String: String]
        var runID: String?

        enum CodingKeys: String, CodingKey {
            case issuer, subject, groups, attributes
            case displayName = "display_name"
            case runID = "run_id"
        }
    }

    var schema = ExportRecord.schema
    var id: String
    var sessionID: String
    var sessionSource: String
    var sessionKey: String?
    var principal: PrincipalRecord
    var tokenSHA256: String
    var tokenID: String?
    var clientAddress: String?
    var userAgent: String?
    var method: String
    var path: String
    var query: String?
    var requestHeaders: [[String]]
    var requestEncoding: String?
    var requestBody: Body
    var model: String?
    var streamed: Bool
    var receivedAt: Date
    var forwardedAt: Date?
    var firstByteAt: Date?
    var completedAt: Date?
    var outcome: String
    var failure: String?
    var upstreamStatus: Int?
    var upstreamRequestID: String?
    var responseHeaders: [[String]]?
    var responseBody: Body?
    /// `[offset, length, microseconds after first byte]` per server-sent event.
    var events: [[Int64]]?
    var message: JSONFragment?
    var usage: Usage?
    var stopReason: String?
    /// What the guardrails found: the request's findings, then the answer's, each in the order they were recorded.
    var findings: [FindingJSON]

    enum CodingKeys: String, CodingKey {
        case schema, id, principal, method, path, query, model, streamed, outcome, failure, events, message, usage, findings
        case sessionID = "session_id"
        case sessionSource = "session_source"
        case sessionKey = "session_key"
        case tokenSHA256 = "token_sha256"
        case tokenID = "token_id"
        case clientAddress = "client_address"
        case userAgent = "user_agent"
        case requestHeaders = "request_headers"
        case requestEncoding = "request_content_encoding"
        case requestBody = "request_body"
        case receivedAt = "received_at"
        case forwardedAt = "forwarded_at"
        case firstByteAt = "first_byte_at"
        case completedAt = "completed_at"
        case upstreamStatus = "upstream_status"
        case upstreamRequestID = "upstream_request_id"
        case responseHeaders = "response_headers"
        case responseBody = "response_body"
        case stopReason = "stop_reason"
    }

    init(_ exchange: StoredExchange) {
        let opening = exchange.opening
        id = opening.id.rawValue
        sessionID = exchange.sessionID
        sessionSource = opening.session.source.rawValue
        sessionKey = opening.session.key
        principal = PrincipalRecord(
            issuer: opening.principal.issuer,
            subject: opening.principal.subject,
            displayName: opening.principal.displayName,
            groups: opening.principal.groups,
            attributes: opening.principal.attributes,
            runID: opening.principal.runID
        )
        tokenSHA256 = opening.tokenHash
        tokenID = opening.tokenID
        clientAddress = opening.clientAddress
        userAgent = opening.userAgent
        method = opening.method
        path = opening.path
        query = opening.query
        requestHeaders = opening.requestHeaders.map { [$0.name, $0.value] }
        requestEncoding = opening.requestEncoding
        requestBody = Body(opening.requestBody)
        model = opening.model
        streamed = opening.streamed
        receivedAt = opening.receivedAt
        outcome = exchange.outcome.rawValue
        findings = (opening.findings + (exchange.closing?.findings ?? [])).map(FindingJSON.init)
        guard let closing = exchange.closing else { return }
        forwardedAt = closing.forwardedAt
        firstByteAt = closing.firstByteAt
        completedAt = closing.completedAt
        failure = closing.failure
        upstreamStatus = closing.upstreamStatus
        upstreamRequestID = closing.upstreamRequestID
        responseHeaders = closing.responseHeaders.map { [$0.name, $0.value] }
        responseBody = Body(closing.responseBody)
        events = closing.events.map { [Int64($0.offset), Int64($0.length), $0.arrivalMicros] }
        message = closing.message.map(JSONFragment.init)
        usage = closing.usage
        stopReason = closing.stopReason
    }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
        }
        return encoder
    }
}

/// Already-serialized JSON embedded as itself (not as a string) in an export line.
struct JSONFragment: Encodable {
    let data: Data

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let object = try? JSONDecoder().decode(JSONValue.self, from: data) {
            try container.encode(object)
        } else {
            try container.encode(String(decoding: data, as: UTF8.self))
        }
    }
}
