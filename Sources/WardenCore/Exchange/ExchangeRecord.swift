import Foundation

/// What Warden knows before it forwards a request; made durable first so nothing reaches Claude unrecorded.
public struct ExchangeOpening: Sendable, Equatable {
    public var id: ExchangeID
    public var session: SessionAssignment
    public var principal: Principal
    /// SHA-256 of the caller's token, hex: lets an auditor match a token they hold without Warden storing it.
    public var tokenHash: String
    public var tokenID: String?
    public var clientAddress: String?
    public var userAgent: String?
    public var method: String
    public var path: String
    public var query: String?
    /// Request headers minus credentials.
    public var requestHeaders: [HeaderField]
    /// The request body as the API reads it (inflated when it arrived gzip-compressed).
    public var requestBody: Data
    /// The `Content-Encoding` the body arrived with, if any.
    public var requestEncoding: String?
    public var model: String?
    public var streamed: Bool
    public var receivedAt: Date
    /// What the guardrails found in content this conversation had not shown before; stored with the opening record.
    public var findings: [ExchangeFinding]

    public init(
        id: ExchangeID,
        session: SessionAssignment,
        principal: Principal,
        tokenHash: String,
        tokenID: String? = nil,
        clientAddress: String? = nil,
        userAgent: String? = nil,
        method: String,
        path: String,
        query: String? = nil,
        requestHeaders: [HeaderField] = [],
        requestBody: Data = Data(),
        requestEncoding: String? = nil,
        model: String? = nil,
        streamed: Bool = false,
        receivedAt: Date,
        findings: [ExchangeFinding] = []
    ) {
        self.id = id
        self.session = session
        self.principal = principal
        self.tokenHash = tokenHash
        self.tokenID = tokenID
        self.clientAddress = clientAddress
        self.userAgent = userAgent
        self.method = method
        self.path = path
        self.query = query
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.requestEncoding = requestEncoding
        self.model = model
        self.streamed = streamed
        self.receivedAt = receivedAt
        self.findings = findings
    }
}

/// Where one server-sent event sits in the recorded response bytes and when its last byte arrived,
/// so a replay can reproduce the stream's timing.
public struct EventMark: Sendable, Hashable, Codable {
    public var offset: Int
    public var length: Int
    /// Microseconds after the response's first byte.
    public var arrivalMicros: Int64

    public init(offset: Int, length: Int, arrivalMicros: Int64) {
        self.offset = offset
        self.length = length
        self.arrivalMicros = arrivalMicros
    }
}

/// What Warden learns once the exchange is over, whatever way it ended.
public struct ExchangeClosing: Sendable, Equatable {
    public var id: ExchangeID
    public var outcome: Outcome
    public var upstreamStatus: Int?
    public var responseHeaders: [HeaderField]
    /// The exact bytes the upstream sent (for SSE, the whole event stream).
    public var responseBody: Data
    public var events: [EventMark]
    /// The reassembled Message for streams, or the Message body itself for non-streaming calls.
    public var message: Data?
    public var usage: Usage?
    public var stopReason: String?
    public var upstreamRequestID: String?
    public var forwardedAt: Date?
    public var firstByteAt: Date?
    public var completedAt: Date
    /// A short, secret-free explanation when the outcome is not `complete`.
    public var failure: String?
    /// What the guardrails found in the answer; stored with the closing record.
    public var findings: [ExchangeFinding]

    public init(
        id: ExchangeID,
        outcome: Outcome,
        upstreamStatus: Int? = nil,
        responseHeaders: [HeaderField] = [],
        responseBody: Data = Data(),
        events: [EventMark] = [],
        message: Data? = nil,
        usage: Usage? = nil,
        stopReason: String? = nil,
        upstreamRequestID: String? = nil,
        forwardedAt: Date? = nil,
        firstByteAt: Date? = nil,
        completedAt: Date,
        failure: String? = nil,
        findings: [ExchangeFinding] = []
    ) {
        self.id = id
        self.outcome = outcome
        self.upstreamStatus = upstreamStatus
        self.responseHeaders = responseHeaders
        self.responseBody = responseBody
        self.events = events
        self.message = message
        self.usage = usage
        self.stopReason = stopReason
        self.upstreamRequestID = upstreamRequestID
        self.forwardedAt = forwardedAt
        self.firstByteAt = firstByteAt
        self.completedAt = completedAt
        self.failure = failure
        self.findings = findings
    }
}

/// A request Warden turned away before forwarding: who it claimed to be, why, and from where — never the token.
public struct RefusedAttempt: Sendable, Equatable {
    public var id: ExchangeID
    public var at: Date
    public var reason: String
    public var claimedIssuer: String?
    public var claimedSubject: String?
    public var tokenHash: String?
    public var clientAddress: String?
    public var userAgent: String?
    public var method: String
    public var path: String

    public init(
        id: ExchangeID,
        at: Date,
        reason: String,
        claimedIssuer: String? = nil,
        claimedSubject: String? = nil,
        tokenHash: String? = nil,
        clientAddress: String? = nil,
        userAgent: String? = nil,
        method: String,
        path: String
    ) {
        self.id = id
        self.at = at
        self.reason = reason
        self.claimedIssuer = claimedIssuer
        self.claimedSubject = claimedSubject
        self.tokenHash = tokenHash
        self.clientAddress = clientAddress
        self.userAgent = userAgent
        self.method = method
        self.path = path
    }
}
