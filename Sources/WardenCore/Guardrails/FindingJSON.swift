import Foundation

/// A finding as every JSON output prints it — `--json` listings, `warden export`, alert webhooks — so an auditor's tools
/// read one shape wherever a finding comes from: severity by name, and where it sits as a path.
public struct FindingJSON: Encodable, Sendable {
    public var rule: String
    public var category: String
    public var severity: String
    public var direction: String
    public var message: Int?
    public var block: Int
    public var offset: Int
    public var length: Int
    public var location: String
    public var excerpt: String
    public var action: String

    public init(_ finding: ExchangeFinding) {
        rule = finding.ruleID
        category = finding.category.rawValue
        severity = finding.severity.description
        direction = finding.direction.rawValue
        message = finding.message
        block = finding.block
        offset = finding.offset
        length = finding.length
        location = finding.location
        excerpt = finding.excerpt
        action = finding.action.rawValue
    }
}

/// A finding with the exchange and caller it belongs to, in one flat object: `warden findings list --json` prints it,
/// and an alert is the same object with `"type": "warden.finding"`.
public struct FindingRecordJSON: Encodable, Sendable {
    public var type: String?
    public var at: Date
    public var exchangeID: String
    public var sessionID: String?
    public var issuer: String
    public var subject: String
    public var displayName: String?
    public var finding: FindingJSON

    enum CodingKeys: String, CodingKey {
        case type, at, issuer, subject
        case exchangeID = "exchange_id"
        case sessionID = "session_id"
        case displayName = "display_name"
    }

    public init(_ record: FindingRecord, type: String? = nil) {
        self.type = type
        at = record.at
        exchangeID = record.exchangeID
        sessionID = record.sessionID
        issuer = record.issuer
        subject = record.subject
        displayName = record.displayName
        finding = FindingJSON(record.finding)
    }

    public func encode(to encoder: any Encoder) throws {
        try finding.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encode(at, forKey: .at)
        try container.encode(exchangeID, forKey: .exchangeID)
        try container.encodeIfPresent(sessionID, forKey: .sessionID)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
        try container.encodeIfPresent(displayName, forKey: .displayName)
    }
}
