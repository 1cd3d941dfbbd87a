import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator
import WardenStore

@Suite("Recording")
struct RecordingTests {
    @Test("strict mode: when the store cannot write, the caller gets 503 and the upstream sees nothing")
    func strictRefusesWithoutStore() async throws {
        try await GatewayHarness.run { harness in
            let saboteur = try DatabaseQueue(path: harness.databasePath)
            try await saboteur.write { try $0.execute(sql: "DROP TABLE exchanges") }
            let response = try await harness.send(token: harness.token(), body: messagesBody("must not leave"))
            #expect(response.status == 503)
            #expect(harness.upstream.recorder.requests.isEmpty)
            let envelope = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            #expect(envelope?["type"] as? String == "error")
            #expect(try await harness.send(.GET, path: "/healthz").status == 200)
        }
    }

    @Test("best_effort mode forwards even when the store cannot write")
    func bestEffortForwards() async throws {
        try await GatewayHarness.run(.configured { $0.recording = .bestEffort }) { harness in
            let saboteur = try DatabaseQueue(path: harness.databasePath)
            try await saboteur.write { try $0.execute(sql: "DROP TABLE exchanges") }
            let response = try await harness.send(token: harness.token(), body: messagesBody("goes anyway"))
            #expect(response.status == 200)
            #expect(harness.upstream.recorder.requests.count == 1)
        }
    }

    @Test("Claude Code's session header groups exchanges; a conversation that grows joins its own session")
    func sessions() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token()
            for turn in 0..<2 {
                let response = try await harness.send(
                    headers: [("x-claude-code-session-id", "5b3c8a52-4b8e-4c1e-9b6e-0d7c1f2a9e11")],
                    token: token,
                    body: messagesBody("turn \(turn)")
                )
                #expect(response.headers.value("warden-session-id") != nil)
            }
            let first = #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"one"}]}"#
            let second =
                #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"one"},{"role":"assistant","content":"reply"},{"role":"user","content":"two","cache_control":{"type":"ephemeral"}}]}"#
            let unrelated = #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"elsewhere"}]}"#
            let a = try await harness.send(token: token, body: ByteBuffer(string: first))
            let b = try await harness.send(token: token, body: ByteBuffer(string: second))
            let c = try await harness.send(token: token, body: ByteBuffer(string: unrelated))
            #expect(a.headers.value("warden-session-id") == b.headers.value("warden-session-id"))
            #expect(a.headers.value("warden-session-id") != c.headers.value("warden-session-id"))
            let sessions = try await harness.store.sessions(matching: SessionQuery(user: "alice"))
            #expect(sessions.count == 3)
            #expect(sessions.contains { $0.source == .claudeCode && $0.exchangeCount == 2 })
        }
    }

    @Test("a CI token's run groups the job's calls, and its CI attributes are recorded")
    func ciRunSessions() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token(
                subject: "repo:acme/app:ref:refs/heads/main",
                claims: ["repository": "acme/app", "workflow": "review", "run_id": "77", "run_attempt": "2", "ref": "refs/heads/main"]
            )
            let one = try await harness.send(token: token, body: messagesBody("first"))
            let two = try await harness.send(token: token, body: messagesBody("second unrelated"))
            #expect(one.headers.value("warden-session-id") == two.headers.value("warden-session-id"))
            let sessionID = try #require(one.headers.value("warden-session-id"))
            let session = try #require(try await harness.store.session(id: sessionID))
            #expect(session.source == .ciRun)
            #expect(session.principal.attributes["repository"] == "acme/app")
            #expect(session.principal.attributes["run_id"] == "77")
        }
    }

    @Test("neither the caller's token nor the upstream key is ever written to the data directory")
    func noSecretsAtRest() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token()
            _ = try await harness.send(headers: [("x-api-key", token)], token: token, body: messagesBody("secret check", stream: true))
            _ = try await harness.send(token: token, body: messagesBody("secret check 2"))
            try await harness.store.shutdown()
            var everything = Data()
            for file in try FileManager.default.contentsOfDirectory(atPath: harness.directory.path) {
                everything += (try? Data(contentsOf: harness.directory.appendingPathComponent(file))) ?? Data()
            }
            #expect(!everything.isEmpty)
            #expect(everything.range(of: Data(token.utf8)) == nil)
            #expect(everything.range(of: Data(GatewayHarness.upstreamKey.utf8)) == nil)
            #expect(everything.range(of: Data("secret check 2".utf8)) != nil, "the check itself must see recorded content")
        }
    }
}
