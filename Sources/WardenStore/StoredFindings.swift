import WardenCore

/// How both stores keep guardrail findings: one row per finding in `findings`, written in the transaction of the record
/// that carried it and copied with its exchange's session and user, so that listing by time, severity or user reads
/// one indexed table.
enum StoredFindings {
    /// Which record a finding was written with; it reads back into the same one.
    enum Stage: Int {
        case opening = 0
        case closing = 1
    }

    /// An exchange's findings, each list in the order it was written.
    struct Split {
        var opening: [ExchangeFinding] = []
        var closing: [ExchangeFinding] = []

        mutating func append(_ finding: ExchangeFinding, stage: Int) throws {
            switch Stage(rawValue: stage) {
            case .opening: opening.append(finding)
            case .closing: closing.append(finding)
            case nil: throw StoreError.corruptRecord("finding stage \(stage)")
            }
        }
    }

    /// Orders `warden findings list`: newest record first, each record's findings in the order it held them.
    static let listOrder = "ORDER BY at DESC, exchange_id DESC, stage DESC, seq"

    /// Rebuilds a finding from its columns; unknown names mean the row was not written by Warden.
    static func finding(
        ruleID: String,
        category: String,
        severity: Int,
        direction: String,
        message: Int?,
        block: Int,
        offset: Int,
        length: Int,
        excerpt: String,
        action: String
    ) throws -> ExchangeFinding {
        guard let category = Finding.Category(rawValue: category),
            let severity = Finding.Severity(rawValue: severity),
            let direction = ExchangeFinding.Direction(rawValue: direction),
            let action = ExchangeFinding.Action(rawValue: action)
        else { throw StoreError.corruptRecord("finding \(ruleID)") }
        return ExchangeFinding(
            ruleID: ruleID,
            category: category,
            severity: severity,
            direction: direction,
            message: message,
            block: block,
            offset: offset,
            length: length,
            excerpt: excerpt,
            action: action
        )
    }
}
