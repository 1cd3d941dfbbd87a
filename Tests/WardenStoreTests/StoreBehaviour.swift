import Foundation
import Testing
import WardenCore
import WardenStore

/// What every `RecordingStore` must do, written once; `SQLiteStoreTests` and `PostgresStoreTests` run each
/// case against their backend. This file: recording exchanges and reading them back.
enum StoreBehaviour {
    static func roundTripsEveryField(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let principal = Principal(
            issuer: Samples.issuer,
            subject: "alice",
            displayName: "Alice Example",
            groups: ["eng", "admins"],
            attributes: ["repository": "acme/api", "workflow": "release"],
            runID: "run-42"
        )
        let received = Samples.time(0)
        let opening = ExchangeOpening(
            id: ExchangeID(date: received),
            session: Samples.keyed("cc-session-1"),
            principal: principal,
            tokenHash: String(repeating: "ab", count: 32),
            tokenID: "jti-1",
            clientAddress: "192.0.2.7",
            userAgent: "claude-cli/2.1.0 (external, cli)",
            method: "POST",
            path: "/v1/messages",
            query: "beta=true",
            requestHeaders: [
                HeaderField("content-type", "application/json"),
                HeaderField("anthropic-beta", "b1"),
                HeaderField("anthropic-beta", "b2"),
                HeaderField("X-Note", "ünïcödé ✓ \"quoted\""),
            ],
            requestBody: Samples.noise(1 << 20, seed: 1),
            requestEncoding: "gzip",
            model: "claude-sonnet-4-5",
            streamed: true,
            receivedAt: received
        )
        let sessionID = try await store.open(opening)

        let inFlight = try #require(try await store.exchange(id: opening.id))
        #expect(inFlight == StoredExchange(opening: opening, sessionID: sessionID, closing: nil))
        #expect(inFlight.outcome == .open)

        var responseBody = Data("event: message_start\ndata: {\"type\":\"message_start\"}\n\n".utf8)
        responseBody.append(contentsOf: (0...255).map(UInt8.init))
        let closing = ExchangeClosing(
            id: opening.id,
            outcome: .complete,
            upstreamStatus: 200,
            responseHeaders: [HeaderField("content-type", "text/event-stream"), HeaderField("request-id", "req_011")],
            responseBody: responseBody,
            events: [
                EventMark(offset: 0, length: 51, arrivalMicros: 0),
                EventMark(offset: 51, length: 256, arrivalMicros: 1_234_567),
            ],
            message: Data(#"{"content":[{"text":"héllo","type":"text"}],"id":"msg_1","type":"message"}"#.utf8),
            usage: Usage(inputTokens: 1200, outputTokens: 345, cacheCreationInputTokens: 17, cacheReadInputTokens: 900),
            stopReason: "end_turn",
            upstreamRequestID: "req_011",
            forwardedAt: Samples.time(1_251),
            firstByteAt: Samples.time(250_001),
            completedAt: Samples.time(2_000_003)
        )
        try await store.close(closing)

        let stored = try #require(try await store.exchange(id: opening.id))
        #expect(stored.opening.requestBody == opening.requestBody)
        #expect(stored.closing?.responseBody == responseBody)
        #expect(stored == StoredExchange(opening: opening, sessionID: sessionID, closing: closing))
        #expect(try await store.exchanges(inSession: sessionID) == [stored])
        #expect(
            try await store.session(id: sessionID)
                == SessionSummary(
                    id: sessionID,
                    source: .claudeCode,
                    externalKey: "cc-session-1",
                    principal: principal,
                    startedAt: received,
                    lastSeenAt: received,
                    exchangeCount: 1,
                    models: ["claude-sonnet-4-5"]
                )
        )

        let restarted = try await harness.reopen()
        #expect(try await restarted.exchange(id: opening.id) == stored)
        try await restarted.shutdown()
    }

    static func keepsEachOutcome(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let ended = Outcome.allCases.filter { $0 != .open }
        var closings: [ExchangeClosing] = []
        for (index, outcome) in ended.enumerated() {
            let opening = Samples.opening(at: Samples.seconds(Int64(index)), session: Samples.keyed("outcomes"))
            _ = try await store.open(opening)
            let closing = ExchangeClosing(
                id: opening.id,
                outcome: outcome,
                upstreamStatus: outcome == .clientAborted ? nil : 200 + index,
                completedAt: Samples.seconds(Int64(index) + 1),
                failure: outcome == .complete ? nil : "ended as \(outcome.rawValue)"
            )
            try await store.close(closing)
            closings.append(closing)
        }
        let stillOpen = Samples.opening(at: Samples.seconds(60), session: Samples.keyed("outcomes"))
        _ = try await store.open(stillOpen)

        for closing in closings {
            let stored = try #require(try await store.exchange(id: closing.id))
            #expect(stored.outcome == closing.outcome)
            #expect(stored.closing == closing)
        }
        let open = try #require(try await store.exchange(id: stillOpen.id))
        #expect(open.outcome == .open)
        #expect(open.closing == nil)
        #expect(try await store.exchange(id: ExchangeID(date: Samples.seconds(-60))) == nil)
    }

    static func marksOpenExchangesInterrupted(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let openings = (0..<3).map { Samples.opening(at: Samples.seconds(Int64($0)), session: Samples.keyed("crash")) }
        for opening in openings { _ = try await store.open(opening) }
        let finished = ExchangeClosing(
            id: openings[1].id,
            outcome: .complete,
            upstreamStatus: 200,
            responseBody: Data("{}".utf8),
            completedAt: Samples.seconds(5)
        )
        try await store.close(finished)

        let restart = Samples.time(9_000_001)
        #expect(try await store.markInterrupted(at: restart) == 2)
        for opening in [openings[0], openings[2]] {
            let stored = try #require(try await store.exchange(id: opening.id))
            #expect(
                stored.closing
                    == ExchangeClosing(
                        id: opening.id,
                        outcome: .interrupted,
                        completedAt: restart,
                        failure: "Warden stopped before the exchange finished"
                    )
            )
        }
        #expect(try await store.exchange(id: finished.id)?.closing == finished)
        #expect(try await store.markInterrupted(at: restart) == 0)
    }

    static func roundTripsRefusals(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let full = RefusedAttempt(
            id: ExchangeID(date: Samples.seconds(0)),
            at: Samples.time(17),
            reason: "token expired",
            claimedIssuer: Samples.issuer,
            claimedSubject: "mallory",
            tokenHash: String(repeating: "cd", count: 32),
            clientAddress: "198.51.100.4",
            userAgent: "curl/8.5.0",
            method: "POST",
            path: "/v1/messages"
        )
        let bare = RefusedAttempt(
            id: ExchangeID(date: Samples.seconds(1)),
            at: Samples.seconds(1),
            reason: "no token",
            method: "GET",
            path: "/v1/models"
        )
        let last = RefusedAttempt(
            id: ExchangeID(date: Samples.seconds(2)),
            at: Samples.seconds(2),
            reason: "unknown issuer",
            method: "POST",
            path: "/"
        )
        for attempt in [last, full, bare] { try await store.refuse(attempt) }

        #expect(try await store.refusals(since: nil, limit: 10) == [full, bare, last])
        #expect(try await store.refusals(since: Samples.seconds(1), limit: 10) == [bare, last])
        #expect(try await store.refusals(since: nil, limit: 2) == [full, bare])
    }

    static func storesSharedContentOnce(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let shared = Samples.noise(540_000, seed: 7)
        let first = shared + Samples.noise(60_000, seed: 8)
        let second = shared + Samples.noise(60_000, seed: 9)
        let openings = [
            Samples.opening(at: Samples.seconds(0), session: Samples.keyed("dedup"), body: first),
            Samples.opening(at: Samples.seconds(1), session: Samples.keyed("dedup"), body: second),
        ]
        for opening in openings { _ = try await store.open(opening) }

        let stored = try await harness.chunkBytes()
        #expect(stored >= first.count)
        #expect(stored < first.count + first.count / 4, "two bodies sharing 90% kept \(stored) chunk bytes")
        for opening in openings {
            #expect(try await store.exchange(id: opening.id)?.opening.requestBody == opening.requestBody)
        }
    }

    static func pagesInIDOrder(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let openings = (0..<7).map { Samples.opening(at: Samples.seconds(Int64($0)), session: Samples.keyed("export")) }
        for index in [3, 0, 6, 1, 5, 2, 4] { _ = try await store.open(openings[index]) }
        let ids = openings.map(\.id)

        var pages: [[ExchangeID]] = []
        var cursor: ExchangeID?
        repeat {
            let page = try await store.exchanges(after: cursor, since: nil, limit: 3).map(\.opening.id)
            pages.append(page)
            cursor = page.last
        } while cursor != nil && pages.count < 10
        #expect(pages == [Array(ids[0..<3]), Array(ids[3..<6]), [ids[6]], []])

        #expect(try await store.exchanges(after: nil, since: Samples.seconds(4), limit: 10).map(\.opening.id) == Array(ids[4...]))
        #expect(try await store.exchanges(after: ids[4], since: Samples.seconds(2), limit: 10).map(\.opening.id) == Array(ids[5...]))
        #expect(try await store.exchanges(after: ids[6], since: nil, limit: 10).isEmpty)
    }

    static func commitsConcurrentOpens(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let openings = (0..<200).map { index in
            Samples.opening(
                at: Samples.time(Int64(index) * 1_000),
                session: Samples.keyed("load-\(index % 20)"),
                body: Data("{\"n\":\(index)}".utf8)
            )
        }
        let sessions = try await withThrowingTaskGroup(of: (ExchangeID, String).self) { group in
            for opening in openings {
                group.addTask { (opening.id, try await store.open(opening)) }
            }
            return try await group.reduce(into: [ExchangeID: String]()) { $0[$1.0] = $1.1 }
        }
        #expect(sessions.count == 200)
        #expect(Set(sessions.values).count == 20)

        let restarted = try await harness.reopen()
        let stored = try await restarted.exchanges(after: nil, since: nil, limit: 1_000)
        try await restarted.shutdown()
        #expect(stored.map(\.opening.id) == openings.map(\.id))
        #expect(stored.allSatisfy { sessions[$0.opening.id] == $0.sessionID })
        for id in Set(sessions.values) {
            #expect(try await store.session(id: id)?.exchangeCount == 10)
        }
    }

    /// A batch holds whatever queued while the previous one committed; among the writes queued together are two bad
    /// ones: a close of an exchange that was never opened, and an opening under an id already taken, which the
    /// database itself rejects.
    static func failsOnlyTheBadWritesOfABatch(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let busy = Samples.opening(at: Samples.seconds(0), session: Samples.keyed("batch"), body: Samples.noise(4 << 20, seed: 3))
        let openings = (1...30).map { Samples.opening(at: Samples.seconds(Int64($0)), session: Samples.keyed("batch")) }
        let ghost = ExchangeClosing(id: ExchangeID(date: Samples.seconds(99)), outcome: .complete, completedAt: Samples.seconds(99))
        let impostor = {
            var opening = Samples.opening(at: Samples.seconds(50), session: Samples.keyed("impostor"), model: "claude-impostor")
            opening.id = busy.id
            return opening
        }()

        // The large write commits first, so the impostor's id is taken before the rest queue up together.
        let busyOpened = (try? await store.open(busy)) != nil
        let succeeded = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            group.addTask { ("busy", busyOpened) }
            for (index, opening) in openings.enumerated() {
                group.addTask { (opening.id.rawValue, (try? await store.open(opening)) != nil) }
                if index == 10 {
                    group.addTask { ("ghost", (try? await store.close(ghost)) != nil) }
                }
                if index == 20 {
                    group.addTask { ("impostor", (try? await store.open(impostor)) != nil) }
                }
            }
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(succeeded["ghost"] == false)
        #expect(succeeded["impostor"] == false)
        #expect(succeeded.count == 33)
        #expect(succeeded.filter(\.value).count == 31)

        #expect(try await store.exchange(id: ghost.id) == nil)
        #expect(try await store.exchange(id: busy.id)?.opening == busy)
        for opening in openings {
            #expect(try await store.exchange(id: opening.id)?.outcome == .open)
        }
        let sessions = try await store.sessions(matching: SessionQuery())
        #expect(sessions.map(\.externalKey) == ["batch"])
        #expect(sessions.map(\.exchangeCount) == [31])
    }
}
