import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator
import WardenStore

@Suite("Forwarding")
struct ForwardingTests {
    @Test("a non-streaming call reaches the upstream byte-identical, with Warden's credential instead of the caller's")
    func nonStreamingFidelity() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token()
            let body =
                #"{"max_tokens":100,"messages":[{"role":"user","content":"hi"}],"model":"claude-test","metadata":{"user_id":"u1"},"unknown_field":{"kept":true}}"#
            let response = try await harness.send(
                path: "/v1/messages?beta=true",
                headers: [
                    ("anthropic-beta", "context-management-2025-06-27,effort-2025-11-24"), ("x-stainless-retry-count", "0"), ("x-api-key", token),
                ],
                token: token,
                body: ByteBuffer(string: body)
            )
            #expect(response.status == 200)
            let received = try #require(harness.upstream.recorder.requests.last)
            #expect(received.uri == "/v1/messages?beta=true")
            #expect(received.body == Data(body.utf8))
            #expect(received.header("anthropic-beta") == "context-management-2025-06-27,effort-2025-11-24")
            #expect(received.header("x-stainless-retry-count") == "0")
            #expect(received.header("x-api-key") == GatewayHarness.upstreamKey)
            #expect(received.header("authorization") == nil)
            let stored = try await harness.recorded(response)
            #expect(stored.closing?.responseBody == response.body)
            #expect(stored.opening.requestBody == Data(body.utf8))
            #expect(stored.opening.query == "beta=true")
            #expect(stored.opening.requestHeaders.first(named: "authorization") == nil)
            #expect(stored.opening.requestHeaders.first(named: "x-api-key") == nil)
            #expect(stored.closing?.upstreamRequestID == response.headers.value("request-id"))
            #expect(stored.closing?.usage?.outputTokens != nil)
            #expect(stored.outcome == .complete)
        }
    }

    @Test("SSE events reach the client while the upstream is still holding the rest of the stream")
    func streamingIsNotBuffered() async throws {
        try await GatewayHarness.run { harness in
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            harness.upstream.hooks.beforeEvent = { index in
                if index == 3 { for await _ in gate { break } }
            }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.gatewayPort)/v1/messages")
            request.method = .POST
            request.headers.add(name: "authorization", value: "Bearer \(harness.token())")
            request.headers.add(name: "anthropic-version", value: "2023-06-01")
            request.body = .bytes(messagesBody("stream please", stream: true))
            let response = try await harness.client.execute(request, timeout: .seconds(30))
            #expect(response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
            var received = Data()
            var released = false
            var scanner = SSEScanner()
            var names: [String] = []
            for try await chunk in response.body {
                received.append(contentsOf: chunk.readableBytesView)
                names += scanner.feed(Array(chunk.readableBytesView)).compactMap(\.name)
                if !released && names.count >= 3 {
                    // Three events arrived while the upstream is blocked before the fourth: nothing was held back.
                    released = true
                    open.yield()
                }
            }
            #expect(released)
            #expect(names.first == "message_start")
            #expect(names.last == "message_stop")
            let stored = try await harness.recorded(exchangeID: response.headers.first(name: "warden-exchange-id"))
            #expect(stored.closing?.responseBody == received)
            #expect(stored.closing?.events.count == names.count)
            #expect(stored.closing?.events.map(\.length).reduce(0, +) == received.count)
            #expect(stored.closing?.message != nil)
            #expect(stored.closing?.stopReason == "end_turn")
            #expect(stored.outcome == .complete)
        }
    }

    @Test("a gzip request body is forwarded compressed as received and recorded inflated")
    func gzipBody() async throws {
        try await GatewayHarness.run { harness in
            let plain = ByteBuffer(string: #"{"model":"claude-test","max_tokens":10,"messages":[{"role":"user","content":"compressed hello"}]}"#)
            var input = plain
            let compressed = try input.compress(with: .gzip())
            let response = try await harness.send(
                headers: [("content-encoding", "gzip"), ("content-type", "application/json")],
                token: harness.token(),
                body: compressed
            )
            let received = try #require(harness.upstream.recorder.requests.last)
            #expect(received.body == Data(buffer: compressed))
            #expect(received.header("content-encoding") == "gzip")
            let stored = try await harness.recorded(response)
            #expect(stored.opening.requestBody == Data(buffer: plain))
            #expect(stored.opening.requestEncoding == "gzip")
            #expect(stored.opening.model == "claude-test")
        }
    }

    @Test("paths outside the Anthropic API are answered 404 in Anthropic format and never forwarded")
    func unknownPaths() async throws {
        try await GatewayHarness.run { harness in
            for (method, path) in [
                (HTTPMethod.GET, "/v1/admin"), (.POST, "/v2/messages"), (.GET, "/v1/models/../secrets"), (.DELETE, "/v1/messages"),
            ] {
                let response = try await harness.send(method, path: path, token: harness.token())
                #expect(response.status == 404)
                let error = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
                #expect(error?["type"] as? String == "error")
                #expect((error?["error"] as? [String: Any])?["type"] as? String == "not_found_error")
            }
            #expect(harness.upstream.recorder.requests.isEmpty)
            #expect(try await harness.send(.HEAD, path: "/").status == 200)
            #expect(try await harness.send(.GET, path: "/healthz").status == 200)
            #expect(try await harness.send(.GET, path: "/readyz").status == 200)
        }
    }

    @Test("a body over the limit is refused with 413 request_too_large")
    func bodyLimit() async throws {
        try await GatewayHarness.run(.configured { $0.maxRequestBodyBytes = 1000 }) { harness in
            let big = ByteBuffer(string: #"{"model":"m","messages":[{"role":"user","content":""# + String(repeating: "x", count: 2000) + #""}]}"#)
            let response = try await harness.send(token: harness.token(), body: big)
            #expect(response.status == 413)
            #expect(String(decoding: response.body, as: UTF8.self).contains("request_too_large"))
            #expect(harness.upstream.recorder.requests.isEmpty)
        }
    }

    @Test("upstream errors reach the client unmodified, status and headers included")
    func upstreamErrorsPassThrough() async throws {
        try await GatewayHarness.run { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("simulate:overloaded"))
            #expect(response.status == 529)
            #expect(response.headers.value("retry-after") == "1")
            let error = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            #expect((error?["error"] as? [String: Any])?["type"] as? String == "overloaded_error")
            let stored = try await harness.recorded(response)
            #expect(stored.closing?.upstreamStatus == 529)
            #expect(stored.closing?.responseBody == response.body)
        }
    }

    @Test("a stream that ends without message_stop is recorded as truncated, with the error event")
    func truncatedStream() async throws {
        try await GatewayHarness.run { harness in
            let response = try await harness.send(token: harness.token(), body: messagesBody("simulate:error-midstream", stream: true))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self).contains("event: error"))
            let stored = try await harness.recorded(response)
            #expect(stored.outcome == .truncated)
            #expect(stored.closing?.failure?.contains("overloaded_error") == true)
        }
    }

    @Test("batch results_url points back at Warden, so results are fetched through it")
    func batchResultsURL() async throws {
        try await GatewayHarness.run { harness in
            let create =
                #"{"requests":[{"custom_id":"a","params":{"model":"claude-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}}]}"#
            let response = try await harness.send(path: "/v1/messages/batches", token: harness.token(), body: ByteBuffer(string: create))
            #expect(response.status == 200)
            let batch = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            let resultsURL = try #require(batch["results_url"] as? String)
            #expect(resultsURL.hasPrefix("http://127.0.0.1:\(harness.gatewayPort)/v1/messages/batches/"))
            #expect(!String(decoding: response.body, as: UTF8.self).contains("api.anthropic.com"))
            let results = try await harness.send(
                .GET,
                path: String(resultsURL.dropFirst("http://127.0.0.1:\(harness.gatewayPort)".count)),
                token: harness.token()
            )
            #expect(results.status == 200)
            #expect(String(decoding: results.body, as: UTF8.self).contains(#""custom_id":"a""#))
        }
    }

    @Test("models, count_tokens and files pass through with identity")
    func otherEndpoints() async throws {
        try await GatewayHarness.run { harness in
            let token = harness.token()
            let models = try await harness.send(.GET, path: "/v1/models?limit=1000", token: token)
            #expect(models.status == 200)
            #expect(String(decoding: models.body, as: UTF8.self).contains("claude-"))
            let count = try await harness.send(
                path: "/v1/messages/count_tokens",
                token: token,
                body: ByteBuffer(string: #"{"model":"claude-test","messages":[{"role":"user","content":"hi"}]}"#)
            )
            #expect(count.status == 200)
            #expect(String(decoding: count.body, as: UTF8.self).contains("input_tokens"))
            #expect(harness.upstream.recorder.requests.map(\.uri) == ["/v1/models?limit=1000", "/v1/messages/count_tokens"])
        }
    }
}
