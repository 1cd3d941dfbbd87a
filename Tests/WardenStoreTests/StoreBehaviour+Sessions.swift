import Foundation
import Testing
import WardenCore
import WardenStore

/// Session cases: which session an exchange joins, and how sessions are listed.
extension StoreBehaviour {
    static func joinsSessionsByExternalKey(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let alice = Samples.principal("alice")
        let first = Samples.opening(at: Samples.seconds(10), session: Samples.keyed("k1"), principal: alice)
        let again = Samples.opening(at: Samples.seconds(20), session: Samples.keyed("k1"), principal: alice)
        let late = Samples.opening(at: Samples.seconds(5), session: Samples.keyed("k1"), principal: alice)

        let session = try await store.open(first)
        #expect(try await store.open(again) == session)
        #expect(try await store.open(late) == session)

        let others = [
            Samples.opening(at: Samples.seconds(30), session: Samples.keyed("k1"), principal: Samples.principal("bob")),
            Samples.opening(
                at: Samples.seconds(31),
                session: Samples.keyed("k1"),
                principal: Samples.principal("alice", issuer: "https://other.example")
            ),
            Samples.opening(at: Samples.seconds(32), session: Samples.keyed("k1", source: .header), principal: alice),
            Samples.opening(at: Samples.seconds(33), session: Samples.keyed("k2"), principal: alice),
        ]
        var seen: Set<String> = [session]
        for opening in others {
            seen.insert(try await store.open(opening))
        }
        #expect(seen.count == 5)

        #expect(
            try await store.session(id: session)
                == SessionSummary(
                    id: session,
                    source: .claudeCode,
                    externalKey: "k1",
                    principal: alice,
                    startedAt: Samples.seconds(10),
                    lastSeenAt: Samples.seconds(20),
                    exchangeCount: 3,
                    models: ["claude-sonnet-4-5"]
                )
        )
        #expect(try await store.exchanges(inSession: session).map(\.opening.id) == [late.id, first.id, again.id])
    }

    static func followsConversations(_ harness: any StoreHarness) async throws {
        let store = harness.store
        func open(_ second: Int64, _ prefixes: [String], _ digest: String, as subject: String = "alice") async throws -> String {
            try await store.open(
                Samples.opening(
                    at: Samples.seconds(second),
                    session: Samples.conversation(prefixes: prefixes, digest: digest),
                    principal: Samples.principal(subject)
                )
            )
        }

        let first = try await open(0, [], "d1")
        #expect(try await open(1, ["d2", "d1"], "d3") == first)
        #expect(try await open(2, ["d3", "d2", "d1"], "d4") == first)

        let unrelated = try await open(3, ["u1"], "u2")
        #expect(unrelated != first)
        let otherUser = try await open(4, ["d1"], "d2", as: "bob")
        #expect(otherUser != first)
        #expect(otherUser != unrelated)

        // The longest known prefix decides, and the newest registration of a digest wins.
        #expect(try await open(5, ["u2", "d4"], "u3") == unrelated)
        #expect(try await open(6, ["u3"], "d4") == unrelated)
        #expect(try await open(7, ["d4"], "u4") == unrelated)

        let summary = try #require(try await store.session(id: first))
        #expect(summary.source == .conversation)
        #expect(summary.externalKey == nil)
        #expect(summary.exchangeCount == 3)
        #expect(summary.startedAt == Samples.seconds(0))
        #expect(summary.lastSeenAt == Samples.seconds(2))
        #expect(try await store.session(id: unrelated)?.exchangeCount == 4)
    }

    static func listsSessionsMatchingAQuery(_ harness: any StoreHarness) async throws {
        let store = harness.store
        let alice = Samples.principal("alice", displayName: "Alice A")
        let bob = Samples.principal("bob-1", displayName: "Bob B")
        let carol = Samples.principal("carol")
        // Byte order puts "Claude-b" first; a locale-aware order would not.
        let a = try await store.open(Samples.opening(at: Samples.seconds(0), session: Samples.keyed("a"), principal: alice, model: "claude-a"))
        _ = try await store.open(Samples.opening(at: Samples.seconds(1), session: Samples.keyed("a"), principal: alice, model: "Claude-b"))
        _ = try await store.open(Samples.opening(at: Samples.seconds(2), session: Samples.keyed("a"), principal: alice, model: "claude-a"))
        _ = try await store.open(Samples.opening(at: Samples.seconds(3), session: Samples.keyed("a"), principal: alice, model: nil))
        let b = try await store.open(Samples.opening(at: Samples.seconds(10), session: Samples.keyed("b"), principal: bob, model: "claude-a"))
        let c = try await store.open(
            Samples.opening(at: Samples.seconds(20), session: Samples.conversation(prefixes: [], digest: "c1"), principal: carol, model: nil)
        )

        func ids(_ query: SessionQuery) async throws -> [String] {
            try await store.sessions(matching: query).map(\.id)
        }
        #expect(try await ids(SessionQuery()) == [c, b, a])
        #expect(try await ids(SessionQuery(limit: 2)) == [c, b])
        #expect(try await ids(SessionQuery(user: "alice")) == [a])
        #expect(try await ids(SessionQuery(user: "Bob B")) == [b])
        #expect(try await ids(SessionQuery(user: "bob")) == [])
        #expect(try await ids(SessionQuery(since: Samples.seconds(10))) == [c, b])
        #expect(try await ids(SessionQuery(since: Samples.seconds(3))) == [c, b, a])
        #expect(try await ids(SessionQuery(model: "claude-a")) == [b, a])
        #expect(try await ids(SessionQuery(model: "Claude-b")) == [a])
        #expect(try await ids(SessionQuery(user: "bob-1", model: "Claude-b")) == [])
        #expect(try await ids(SessionQuery(user: "Alice A", since: Samples.seconds(1), model: "claude-a")) == [a])

        let listed = try await store.sessions(matching: SessionQuery())
        #expect(listed.map(\.models) == [[], ["claude-a"], ["Claude-b", "claude-a"]])
        #expect(listed.map(\.exchangeCount) == [1, 1, 4])
        #expect(listed.map(\.principal) == [carol, bob, alice])
    }

    /// Two stores on one database stand for two replicas: opening the same new keys at once, in opposite orders,
    /// must neither duplicate a session nor fail a write.
    static func sharesNewSessionsAcrossReplicas(_ harness: any StoreHarness) async throws {
        let replicas = [harness.store, try await harness.reopen()]
        let keys = (0..<5).map { "shared-\($0)" }
        let openings = (0..<40).map { index in
            let key = index < 20 ? keys[index % 5] : keys[4 - index % 5]
            return Samples.opening(at: Samples.time(Int64(index) * 1_000), session: Samples.keyed(key))
        }
        let sessions = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (index, opening) in openings.enumerated() {
                let store = replicas[index % 2]
                group.addTask { (opening.session.key!, try await store.open(opening)) }
            }
            return try await group.reduce(into: [String: Set<String>]()) { $0[$1.0, default: []].insert($1.1) }
        }
        try await replicas[1].shutdown()

        #expect(sessions.keys.sorted() == keys)
        #expect(sessions.values.allSatisfy { $0.count == 1 })
        let listed = try await harness.store.sessions(matching: SessionQuery())
        #expect(listed.count == 5)
        #expect(listed.map(\.exchangeCount).reduce(0, +) == 40)
        #expect(Set(listed.map(\.id)) == Set(sessions.values.flatMap { $0 }))
    }
}
