import Foundation
import WardenCore

/// Where exchanges are kept. Writes are durable when they return (group commit), so the gateway can
/// promise that nothing reaches Claude unrecorded; reads serve the CLI and auditors.
public protocol RecordingStore: LedgerStore {
    /// Creates or upgrades the schema.
    func prepare() async throws
    /// Records an exchange before it is forwarded; returns the session id it joined.
    func open(_ opening: ExchangeOpening) async throws -> String
    func close(_ closing: ExchangeClosing) async throws
    func refuse(_ attempt: RefusedAttempt) async throws
    /// Marks exchanges left open by a crash as interrupted; returns how many.
    func markInterrupted(at date: Date) async throws -> Int

    func sessions(matching query: SessionQuery) async throws -> [SessionSummary]
    func session(id: String) async throws -> SessionSummary?
    func exchanges(inSession id: String) async throws -> [StoredExchange]
    func exchange(id: ExchangeID) async throws -> StoredExchange?
    /// Exchanges in id order after `cursor`, for exports that page through millions of rows.
    func exchanges(after cursor: ExchangeID?, since: Date?, limit: Int) async throws -> [StoredExchange]
    func refusals(since: Date?, limit: Int) async throws -> [RefusedAttempt]
    /// Guardrail findings across exchanges, newest first; within one record in the order they were written.
    func findings(matching query: FindingQuery) async throws -> [FindingRecord]

    /// Finishes pending writes and releases the store.
    func shutdown() async throws
}

/// Filters for `warden sessions list`.
public struct SessionQuery: Sendable, Equatable {
    /// Matches the subject or the display name exactly.
    public var user: String?
    public var since: Date?
    public var model: String?
    public var limit: Int

    public init(user: String? = nil, since: Date? = nil, model: String? = nil, limit: Int = 100) {
        self.user = user
        self.since = since
        self.model = model
        self.limit = limit
    }
}

/// Filters for `warden findings list`.
public struct FindingQuery: Sendable, Equatable {
    /// Findings recorded at or after this time: a request's when it arrived, an answer's when it ended.
    public var since: Date?
    /// This severity and above.
    public var minimumSeverity: Finding.Severity?
    /// Matches the subject or the display name exactly, as `SessionQuery.user` does.
    public var user: String?
    public var category: Finding.Category?
    public var limit: Int

    public init(
        since: Date? = nil,
        minimumSeverity: Finding.Severity? = nil,
        user: String? = nil,
        category: Finding.Category? = nil,
        limit: Int = 100
    ) {
        self.since = since
        self.minimumSeverity = minimumSeverity
        self.user = user
        self.category = category
        self.limit = limit
    }
}

public struct SessionSummary: Sendable, Equatable, Codable {
    public var id: String
    public var source: SessionSource
    public var externalKey: String?
    public var principal: Principal
    public var startedAt: Date
    public var lastSeenAt: Date
    public var exchangeCount: Int
    public var models: [String]

    public init(
        id: String,
        source: SessionSource,
        externalKey: String?,
        principal: Principal,
        startedAt: Date,
        lastSeenAt: Date,
        exchangeCount: Int,
        models: [String]
    ) {
        self.id = id
        self.source = source
        self.externalKey = externalKey
        self.principal = principal
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.exchangeCount = exchangeCount
        self.models = models
    }
}

/// One exchange as stored: what was known when it opened, its session, and how it closed (nil while in flight).
public struct StoredExchange: Sendable, Equatable {
    public var opening: ExchangeOpening
    public var sessionID: String
    public var closing: ExchangeClosing?

    public init(opening: ExchangeOpening, sessionID: String, closing: ExchangeClosing?) {
        self.opening = opening
        self.sessionID = sessionID
        self.closing = closing
    }

    public var outcome: Outcome { closing?.outcome ?? .open }
}

/// Errors a store raises about its own state (as opposed to the database's).
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case corruptRecord(String)
    case closed
    /// An append that does not continue where the ledger ends: another sequencer got there first, or a leaf's record
    /// is missing or already has a leaf.
    case ledgerConflict(String)
    /// The file that remembers the last signed checkpoint could not be written.
    case checkpointNotKept(String)

    public var description: String {
        switch self {
        case .corruptRecord(let what): "stored record is unreadable: \(what)"
        case .closed: "the store is shut down"
        case .ledgerConflict(let what): "ledger append refused: \(what)"
        case .checkpointNotKept(let why): "the signed checkpoint could not be kept: \(why)"
        }
    }
}
