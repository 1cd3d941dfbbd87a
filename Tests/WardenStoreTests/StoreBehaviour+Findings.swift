import Foundation
import Testing
import WardenCore
import WardenStore

/// Guardrail findings: kept with the record that carried them, read back with their exchange, and listed for auditors.
extension StoreBehaviour {
    static func finding(
        _ rule: String,
        _ category: Finding.Category = .secret,
        _ severity: Finding.Severity = .high,
        direction: ExchangeFinding.Direction = .request,
        message: Int? = 0,
        block: Int = 0,
        action: ExchangeFinding.Action = .mask
    ) -> ExchangeFinding {
        ExchangeFinding(
            ruleID: rule,
            category: category,
            severity: severity,
            direction: direction,
            message: message,
            block: block,
            offset: 17,
            length: 40,
            excerpt: "AKIA…\(rule.count)",
            action: action
        )
    }

    static func roundTripsFindings(_ harness: any StoreHarness) async throws {
        let store = harness.store
        // Written out of any sort order the store could fall back on: not by rule, severity, location or category.
        var opening = Samples.opening(at: Samples.seconds(0), session: Samples.keyed("f"))
        opening.findings = [
            finding("z-rule", .personalData, .low, message: 3, block: 2, action: .record),
            finding("a-rule", .secret, .critical, message: nil, block: 1),
            finding("m-rule", .secret, .medium, message: 0, block: 0, action: .redact),
        ]
        let session = try await store.open(opening)
        let plain = Samples.opening(at: Samples.seconds(1), session: Samples.keyed("f"))
        _ = try await store.open(plain)

        #expect(try await store.exchange(id: opening.id) == StoredExchange(opening: opening, sessionID: session, closing: nil))

        let closing = ExchangeClosing(
            id: opening.id,
            outcome: .complete,
            upstreamStatus: 200,
            completedAt: Samples.seconds(5),
            findings: [
                finding("unsafe-b", .unsafeCode, .high, direction: .response, message: nil, block: 1, action: .record),
                finding("unsafe-a", .unsafeCode, .medium, direction: .response, message: nil, block: 0, action: .record),
            ]
        )
        try await store.close(closing)
        try await store.close(ExchangeClosing(id: plain.id, outcome: .complete, upstreamStatus: 200, completedAt: Samples.seconds(6)))

        let expected = StoredExchange(opening: opening, sessionID: session, closing: closing)
        #expect(try await store.exchange(id: opening.id) == expected)
        let both = try await store.exchanges(inSession: session)
        #expect(both.first == expected)
        #expect(both.last?.opening.findings == [])
        #expect(both.last?.closing?.findings == [])
        #expect(try await store.exchanges(after: nil, since: nil, limit: 10) == both)

        let listed = try await store.findings(matching: FindingQuery())
        #expect(listed.map(\.finding.ruleID) == ["unsafe-b", "unsafe-a", "z-rule", "a-rule", "m-rule"])
        #expect(listed.map(\.at) == [Samples.seconds(5), Samples.seconds(5), Samples.seconds(0), Samples.seconds(0), Samples.seconds(0)])
        #expect(
            listed.first
                == FindingRecord(
                    exchangeID: opening.id.rawValue,
                    sessionID: session,
                    at: Samples.seconds(5),
                    issuer: Samples.issuer,
                    subject: "alice",
                    finding: closing.findings[0]
                )
        )

        let restarted = try await harness.reopen()
        #expect(try await restarted.exchange(id: opening.id) == expected)
        #expect(try await restarted.exchanges(inSession: session) == both)
        #expect(try await restarted.findings(matching: FindingQuery()) == listed)
        try await restarted.shutdown()
    }

    static func listsFindingsMatchingAQuery(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let alice = Samples.principal("alice", displayName: "Alice A")
        let bob = Samples.principal("bob-1", displayName: "Bob B")

        var first = Samples.opening(at: Samples.seconds(0), session: Samples.keyed("a"), principal: alice)
        first.findings = [finding("aws-key", .secret, .critical), finding("email", .personalData, .low)]
        var second = Samples.opening(at: Samples.seconds(10), session: Samples.keyed("b"), principal: bob)
        second.findings = [finding("card", .personalData, .high)]
        var third = Samples.opening(at: Samples.seconds(20), session: Samples.keyed("a"), principal: alice)
        third.findings = [finding("github-token", .secret, .medium)]
        let sessionA = try await store.open(first)
        let sessionB = try await store.open(second)
        #expect(try await store.open(third) == sessionA)
        try await store.close(
            ExchangeClosing(
                id: second.id,
                outcome: .complete,
                completedAt: Samples.seconds(30),
                findings: [finding("curl-sh", .unsafeCode, .high, direction: .response, message: nil)]
            )
        )

        func rules(_ query: FindingQuery) async throws -> [String] {
            try await store.findings(matching: query).map(\.finding.ruleID)
        }
        #expect(try await rules(FindingQuery()) == ["curl-sh", "github-token", "card", "aws-key", "email"])
        #expect(try await rules(FindingQuery(limit: 2)) == ["curl-sh", "github-token"])
        #expect(try await rules(FindingQuery(since: Samples.seconds(10))) == ["curl-sh", "github-token", "card"])
        #expect(try await rules(FindingQuery(since: Samples.seconds(21))) == ["curl-sh"])
        #expect(try await rules(FindingQuery(minimumSeverity: .high)) == ["curl-sh", "card", "aws-key"])
        #expect(try await rules(FindingQuery(minimumSeverity: .critical)) == ["aws-key"])
        #expect(try await rules(FindingQuery(minimumSeverity: .low)) == ["curl-sh", "github-token", "card", "aws-key", "email"])
        #expect(try await rules(FindingQuery(user: "alice")) == ["github-token", "aws-key", "email"])
        #expect(try await rules(FindingQuery(user: "Bob B")) == ["curl-sh", "card"])
        #expect(try await rules(FindingQuery(user: "bob")) == [])
        #expect(try await rules(FindingQuery(category: .secret)) == ["github-token", "aws-key"])
        #expect(try await rules(FindingQuery(category: .unsafeCode)) == ["curl-sh"])
        #expect(try await rules(FindingQuery(minimumSeverity: .high, user: "Alice A", category: .secret)) == ["aws-key"])
        #expect(try await rules(FindingQuery(since: Samples.seconds(1), user: "alice", category: .personalData)) == [])

        let bobs = try await store.findings(matching: FindingQuery(user: "bob-1"))
        #expect(bobs.map(\.exchangeID) == [second.id.rawValue, second.id.rawValue])
        #expect(bobs.map(\.sessionID) == [sessionB, sessionB])
        #expect(bobs.map(\.subject) == ["bob-1", "bob-1"])
        #expect(bobs.map(\.displayName) == ["Bob B", "Bob B"])
        #expect(bobs.map(\.at) == [Samples.seconds(30), Samples.seconds(10)])
        #expect(bobs.map(\.finding.direction) == [.response, .request])
    }

    /// A request a `block` rule refused: opened with the finding that stopped it, closed as blocked without an upstream.
    static func keepsABlockedExchange(_ harness: any StoreHarness) async throws {
        let store = harness.store
        var opening = Samples.opening(at: Samples.seconds(0), session: Samples.keyed("blocked"))
        opening.findings = [finding("private-key", .secret, .critical, message: 2, block: 1, action: .block)]
        let session = try await store.open(opening)
        let closing = ExchangeClosing(
            id: opening.id,
            outcome: .blocked,
            completedAt: Samples.time(1_234),
            failure: "blocked by guardrail rule private-key"
        )
        try await store.close(closing)

        let stored = try #require(try await store.exchange(id: opening.id))
        #expect(stored == StoredExchange(opening: opening, sessionID: session, closing: closing))
        #expect(stored.outcome == .blocked)
        #expect(stored.closing?.upstreamStatus == nil)
        let listed = try await store.findings(matching: FindingQuery(minimumSeverity: .critical))
        #expect(listed.map(\.finding) == opening.findings)
        #expect(listed.map(\.at) == [Samples.seconds(0)])
    }
}
