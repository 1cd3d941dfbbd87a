import Crypto
import Foundation

/// A finding as an exchange keeps it: what a detector found, where in the exchange, and what Warden did about it.
/// Like `Finding` it never holds the matched value, only a masked excerpt, so it can be stored, listed and alerted on.
public struct ExchangeFinding: Sendable, Equatable, Codable {
    /// Which side of the exchange the content came from.
    public enum Direction: String, Sendable, Codable, CaseIterable {
        case request
        case response
    }

    /// What Warden does when a rule fires, set per category or per rule in `guardrails.actions`.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Keep a finding on the exchange; bodies are recorded as they are (secrets excepted: always masked).
        case record
        /// Keep a finding and record the bodies with the value masked; the request is forwarded unchanged.
        case mask
        /// Refuse the request before forwarding, or cut the answer, with an error naming the rule.
        case block
        /// Rewrite the value in the request's text before forwarding; for clients that tolerate a changed body.
        case redact
    }

    public var ruleID: String
    public var category: Finding.Category
    public var severity: Finding.Severity
    public var direction: Direction
    /// The request's `messages` index, or nil for its `system` prompt and for a response.
    public var message: Int?
    /// The content block within the message, system prompt or response.
    public var block: Int
    /// UTF-8 byte offset and length of the match within the block's scanned text.
    public var offset: Int
    public var length: Int
    public var excerpt: String
    public var action: Action

    public init(
        ruleID: String,
        category: Finding.Category,
        severity: Finding.Severity,
        direction: Direction,
        message: Int?,
        block: Int,
        offset: Int,
        length: Int,
        excerpt: String,
        action: Action
    ) {
        self.ruleID = ruleID
        self.category = category
        self.severity = severity
        self.direction = direction
        self.message = message
        self.block = block
        self.offset = offset
        self.length = length
        self.excerpt = excerpt
        self.action = action
    }

    /// What an exchange's ledger leaf commits to for its findings: SHA-256 (hex) of each finding's fields, one line
    /// each, request findings then answer findings in stored order; nil when there are none, so an exchange without
    /// findings has the same leaf as before findings existed.
    public static func ledgerDigest(_ findings: [ExchangeFinding]) -> String? {
        guard !findings.isEmpty else { return nil }
        var hasher = SHA256()
        for finding in findings {
            let fields: [String] = [
                finding.direction.rawValue, finding.message.map(String.init) ?? "-", String(finding.block), String(finding.offset),
                String(finding.length), finding.ruleID, finding.category.rawValue, String(finding.severity.rawValue),
                finding.action.rawValue, finding.excerpt,
            ]
            hasher.update(data: Data((fields.joined(separator: "\t") + "\n").utf8))
        }
        return hasher.finalize().hexString
    }

    /// Where the match sits, as a reader of the request JSON would point at it: `messages[3].content[0]`, `system[0]`,
    /// `response.content[1]`.
    public var location: String {
        switch (direction, message) {
        case (.response, _): "response.content[\(block)]"
        case (.request, nil): "system[\(block)]"
        case (.request, let index?): "messages[\(index)].content[\(block)]"
        }
    }
}

/// A stored finding with the exchange it belongs to and who made that exchange: what `warden findings list` shows.
public struct FindingRecord: Sendable, Equatable {
    public var exchangeID: String
    public var sessionID: String?
    public var at: Date
    public var issuer: String
    public var subject: String
    public var displayName: String?
    public var finding: ExchangeFinding

    public init(
        exchangeID: String,
        sessionID: String?,
        at: Date,
        issuer: String,
        subject: String,
        displayName: String? = nil,
        finding: ExchangeFinding
    ) {
        self.exchangeID = exchangeID
        self.sessionID = sessionID
        self.at = at
        self.issuer = issuer
        self.subject = subject
        self.displayName = displayName
        self.finding = finding
    }
}
