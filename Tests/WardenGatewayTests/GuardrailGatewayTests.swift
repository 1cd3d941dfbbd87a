import Foundation
import NIOCore
import Testing
import WardenCore
import WardenGateway
import WardenSimulator
import WardenStore

/// The guardrails at the door, through real HTTP: what is forwarded, what is recorded, what is refused.
@Suite("Guardrails in the gateway")
struct GuardrailGatewayTests {
    /// A realistic AWS access key id (not a documented placeholder), made per run.
    static let key = "AKIA" + String((0..<16).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".randomElement()! })

    static func recordedText(_ exchange: StoredExchange) -> String {
        [exchange.opening.requestBody, exchange.closing?.responseBody ?? Data(), exchange.closing?.message ?? Data()]
            .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }

    /// The text deltas of a streamed answer, joined: what the client's SDK shows.
    static func streamedText(_ body: Data) -> String {
        var scanner = SSEScanner()
        return scanner.feed(Array(body)).compactMap { event in
            let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
            return (object?["delta"] as? [String: Any])?["text"] as? String
        }.joined()
    }

    @Test("a secret in a prompt is forwarded unchanged, recorded masked in the request and in the streamed echo, with findings")
    func maskedByDefault() async throws {
        try await GatewayHarness.run { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("use \(Self.key) please", stream: true))
            #expect(response.status == 200)
            #expect(String(decoding: harness.upstream.recorder.requests[0].body, as: UTF8.self).contains(Self.key))
            #expect(Self.streamedText(response.body).contains(Self.key))
            let exchange = try await harness.closedExchange(try #require(response.headers.value("warden-exchange-id")))
            let text = Self.recordedText(exchange)
            #expect(!text.contains(Self.key))
            #expect(!text.contains(String(Self.key.suffix(8))))
            #expect(exchange.opening.findings.map(\.ruleID) == ["aws-access-key-id"])
            #expect(exchange.opening.findings.first?.action == .mask)
            #expect(exchange.opening.findings.first?.location == "messages[0].content[0]")
            #expect(exchange.closing?.findings.map(\.ruleID) == ["aws-access-key-id"])
            #expect(exchange.closing?.findings.first?.direction == .response)
            let message = try #require(exchange.closing?.message)
            #expect((try? JSONSerialization.jsonObject(with: message)) != nil)
        }
    }

    @Test("the next turn reads only its new content: no repeated finding, the resent secret still masked")
    func nextTurnReadsOnlyNewContent() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token()
            let session = [("x-claude-code-session-id", "6a3c8a52-4b8e-4c1e-9b6e-0d7c1f2a9e12")]
            let first = #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"key \#(Self.key)"}]}"#
            let second =
                #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"key \#(Self.key)"},{"role":"assistant","content":"ok"},{"role":"user","content":"mail jane.doe@acme-corp.com"}]}"#
            let a = try await harness.send(headers: session, token: token, body: ByteBuffer(string: first))
            let b = try await harness.send(headers: session, token: token, body: ByteBuffer(string: second))
            let turn1 = try await harness.closedExchange(try #require(a.headers.value("warden-exchange-id")))
            let turn2 = try await harness.closedExchange(try #require(b.headers.value("warden-exchange-id")))
            #expect(turn1.opening.findings.map(\.ruleID) == ["aws-access-key-id"])
            #expect(turn2.opening.findings.map(\.ruleID) == ["pii-email"])
            #expect(turn2.opening.findings.first?.location == "messages[2].content[0]")
            #expect(!Self.recordedText(turn2).contains(Self.key))
            #expect(Self.recordedText(turn2).contains("jane.doe@acme-corp.com"))
        }
    }

    @Test("block: refused before forwarding with an error that names the rule, recorded as blocked; resending is blocked again")
    func blockedRequest() async throws {
        try await GatewayHarness.run(.configured { $0.guardrails.ruleActions["aws-access-key-id"] = .block }) { harness in
            for _ in 0..<2 {
                let response = try await harness.send(token: harness.token(), body: messagesBody("deploy with \(Self.key)"))
                #expect(response.status == 400)
                #expect(response.headers.value("x-should-retry") == "false")
                let text = String(decoding: response.body, as: UTF8.self)
                #expect(text.contains("invalid_request_error"))
                #expect(text.contains("aws-access-key-id"))
                #expect(!text.contains(Self.key))
                let exchange = try await harness.recorded(response)
                #expect(exchange.outcome == .blocked)
                #expect(exchange.opening.findings.first?.action == .block)
                #expect(!Self.recordedText(exchange).contains(Self.key))
            }
            #expect(harness.upstream.recorder.requests.isEmpty)
            #expect(try await harness.send(token: harness.token(), body: messagesBody("harmless")).status == 200)
        }
    }

    @Test("redact: the forwarded body carries the masked value; the client still gets its answer")
    func redactedRequest() async throws {
        try await GatewayHarness.run(.configured { $0.guardrails.categoryActions[.secret] = .redact }) { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("deploy with \(Self.key)"))
            #expect(response.status == 200)
            let forwarded = String(decoding: harness.upstream.recorder.requests[0].body, as: UTF8.self)
            #expect(!forwarded.contains(Self.key))
            #expect(forwarded.contains("AKIA****************"))
            let exchange = try await harness.closedExchange(try #require(response.headers.value("warden-exchange-id")))
            #expect(exchange.opening.findings.first?.action == .redact)
        }
    }

    @Test("a streamed answer a block rule fires on is cut with an error event, and recorded as blocked")
    func streamCut() async throws {
        try await GatewayHarness.run(.configured { $0.guardrails.categoryActions[.unsafeCode] = .block }) { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("simulate:unsafe-code", stream: true))
            #expect(response.status == 200)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.hasSuffix("\n\n"))
            #expect(text.contains("event: error"))
            #expect(text.contains("py-tls-verify-disabled"))
            #expect(!text.contains("message_stop"))
            let exchange = try await harness.closedExchange(try #require(response.headers.value("warden-exchange-id")))
            #expect(exchange.outcome == .blocked)
            #expect(exchange.closing?.findings.contains { $0.ruleID == "py-tls-verify-disabled" } == true)
        }
    }

    @Test("a non-streamed answer a block rule fires on is replaced by an error")
    func wholeAnswerBlocked() async throws {
        try await GatewayHarness.run(.configured { $0.guardrails.categoryActions[.unsafeCode] = .block }) { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("simulate:unsafe-code"))
            #expect(response.status == 400)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.contains("py-tls-verify-disabled"))
            #expect(!text.contains("verify=False"))
            let exchange = try await harness.recorded(response)
            #expect(exchange.outcome == .blocked)
        }
    }

    @Test("findings at the alert severity reach the webhook as JSON, with the masked excerpt and never the value")
    func alerts() async throws {
        let hooks = WebhookReceiver()
        let hookServer = try await Server.start { hooks.buildApplication(logger: CheckpointDistributionTests.quietLogger, onServerRunning: $0) }
        try await GatewayHarness.run(.configured { $0.guardrails.alertWebhook = "http://127.0.0.1:\(hookServer.port)/checkpoints" }) { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("mail jane.doe@acme-corp.com key \(Self.key)"))
            #expect(response.status == 200)
            var arrivals = hooks.arrivals.makeAsyncIterator()
            let body = try #require(await arrivals.next())
            #expect(!body.contains(Self.key))
            let alert = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(alert["rule"] as? String == "aws-access-key-id")
            #expect(alert["exchange_id"] as? String == response.headers.value("warden-exchange-id"))
            // The object `warden findings list --json` prints, marked as an alert.
            #expect(alert["type"] as? String == "warden.finding")
            #expect(alert["subject"] as? String == "alice")
            #expect(alert["direction"] as? String == "request")
            #expect(alert["location"] as? String == "messages[0].content[0]")
            // pii-email is medium, under the default threshold (high): only the key is alerted on, in the request and its echo.
            #expect(hooks.received.allSatisfy { !$0.contains("pii-email") })
        }
        await hookServer.stop()
    }
}
