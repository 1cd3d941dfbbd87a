import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator

@Suite struct UpstreamMessagesTests {
    @Test func streamIsValidSSEEndingWithMessageStop() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("hello there", stream: true))
            #expect(response.status == 200)
            #expect(response.headers["content-type"].first == "text/event-stream; charset=utf-8")
            let events = try #require(parseSSE(response.body))
            #expect(events.first?.name == "message_start")
            #expect(events.last?.name == "message_stop")
            #expect(events.map(\.name).filter { $0 == "message_stop" }.count == 1)
            #expect(events[1].name == "content_block_start" && events[2].rawData == #"{"type": "ping"}"#)
            #expect(joinedDeltas(events, type: "text_delta", field: "text") == "Simulated reply to: hello there")
            #expect(events.filter { $0.name == "content_block_delta" }.count == 4)
            let delta = try #require(events.last { $0.name == "message_delta" })
            #expect(delta.data["delta"]?["stop_reason"] == "end_turn")
            #expect(delta.data["usage"]?["cache_read_input_tokens"] == .number(0))
            #expect(delta.data["usage"]?["output_tokens"] != nil)
            #expect(events[0].data["message"]?["usage"]?["output_tokens"] == .number(1))
            #expect(events.contains { $0.rawData.hasSuffix(" }") }, "data lines are padded like the real API's")
        }
    }

    @Test func nonStreamingReturnsTheWholeMessage() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages?beta=true", body: messagesBody("hello"))
            #expect(response.status == 200)
            #expect(response.headers["content-type"].first == "application/json")
            #expect(response.headers["request-id"].first?.hasPrefix("req_") == true)
            #expect(response.headers["anthropic-ratelimit-requests-remaining"].first != nil)
            let message = try #require(response.json)
            #expect(message["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(message["type"] == "message" && message["role"] == "assistant" && message["model"] == "claude-test")
            #expect(message["content"] == [["type": "text", "text": "Simulated reply to: hello"]])
            #expect(message["stop_reason"] == "end_turn" && message["stop_sequence"] == .null)
            let usage = try #require(message["usage"])
            for field in ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] {
                #expect(usage[field] != nil, "usage.\(field)")
            }
            #expect(response.body.hasPrefix(#"{"id":"msg_"#))
        }
    }

    @Test func streamsFromTheBodyFlagNotFromAccept() async throws {
        try await withUpstream { base in
            var headers = standardHeaders
            headers["accept"] = "text/event-stream"
            let response = try await fetch(.POST, base + "/v1/messages", headers: headers, body: messagesBody("hi"))
            #expect(response.headers["content-type"].first == "application/json")
        }
    }

    @Test func toolUseStreamsInputJSONDeltas() async throws {
        let tools =
            #","tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"location":{"type":"string"},"days":{"type":"integer"}},"required":["location"]}}]"#
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("please use a tool", stream: true, extra: tools))
            let events = try #require(parseSSE(response.body))
            let start = try #require(events.first { $0.data["content_block"]?["type"] == "tool_use" })
            #expect(start.data["content_block"]?["name"] == "get_weather")
            #expect(start.data["content_block"]?["id"]?.stringValue?.hasPrefix("toolu_") == true)
            let pieces = events.filter { $0.data["delta"]?["type"] == "input_json_delta" }
            #expect(pieces.first?.data["delta"]?["partial_json"] == "")
            let input = joinedDeltas(events, type: "input_json_delta", field: "partial_json")
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(input.utf8)) == ["location": "simulated"])
            #expect(events.last { $0.name == "message_delta" }?.data["delta"]?["stop_reason"] == "tool_use")
        }
    }

    @Test func thinkingComesFirstWithASignature() async throws {
        try await withUpstream { base in
            let thinking = #","thinking":{"type":"enabled","budget_tokens":1024}"#
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("think", stream: true, extra: thinking))
            let events = try #require(parseSSE(response.body))
            #expect(events[1].data["content_block"]?["type"] == "thinking")
            #expect(!joinedDeltas(events, type: "thinking_delta", field: "thinking").isEmpty)
            let signatureIndex = try #require(events.firstIndex { $0.data["delta"]?["type"] == "signature_delta" })
            #expect(events[signatureIndex + 1].name == "content_block_stop")

            let message = try #require(try await fetch(.POST, base + "/v1/messages", body: messagesBody("think", extra: thinking)).json)
            #expect(message["content"]?.arrayValue?.map { $0["type"] } == ["thinking", "text"])
        }
    }

    @Test func longScenarioSendsAbout200TextDeltas() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("simulate:long", stream: true))
            let events = try #require(parseSSE(response.body))
            #expect(events.filter { $0.data["delta"]?["type"] == "text_delta" }.count == 200)
            #expect(events.last?.name == "message_stop")
        }
    }

    @Test func missingFieldsAreRefusedLikeTheAPI() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#)
            #expect(response.status == 400)
            #expect(response.json?["error"]?["type"] == "invalid_request_error")
            #expect(response.json?["error"]?["message"] == "max_tokens: Field required")
            let malformed = try await fetch(.POST, base + "/v1/messages", body: "{not json")
            #expect(malformed.status == 400)
        }
    }

    @Test func acceptsBodiesBeyondHummingbirdsDefaultLimit() async throws {
        let upstream = makeUpstream()
        try await withUpstream(upstream) { base in
            let text = String(repeating: "a", count: 5 << 20)
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody(text))
            #expect(response.status == 200)
            #expect(response.json?["usage"]?["input_tokens"] == .number(Double(messagesBody(text).utf8.count / 4)))
        }
        #expect(upstream.recorder.requests.first?.body.count ?? 0 > 5 << 20)
    }

    @Test func countTokensEstimatesFromTheBody() async throws {
        try await withUpstream { base in
            let body = #"{"model":"claude-test","messages":[{"role":"user","content":"count these words please"}]}"#
            let response = try await fetch(.POST, base + "/v1/messages/count_tokens", body: body)
            #expect(response.status == 200)
            #expect(response.json == ["input_tokens": .number(Double(body.utf8.count / 4))])
        }
    }

    @Test func sameSeedGivesTheSameBytes() async throws {
        func run(seed: UInt64) async throws -> String {
            var body = ""
            try await withUpstream(makeUpstream(seed: seed)) { base in
                body = try await fetch(.POST, base + "/v1/messages", body: messagesBody("determinism", stream: true)).body
            }
            return body
        }
        let first = try await run(seed: 7)
        #expect(first == (try await run(seed: 7)))
        #expect(first != (try await run(seed: 8)))
    }

    @Test func paddingCanBeTurnedOff() async throws {
        try await withUpstream(makeUpstream(pad: false)) { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("unpadded", stream: true))
            let events = try #require(parseSSE(response.body))
            #expect(!events.contains { $0.rawData.hasSuffix(" }") })
            #expect(events.last?.rawData == #"{"type":"message_stop"}"#)
        }
    }

    @Test(.timeLimit(.minutes(1))) func eachEventIsFlushedBeforeTheNextIsWritten() async throws {
        let upstream = makeUpstream()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        upstream.hooks.beforeEvent = { index in
            if index == 2 {
                for await _ in gate { break }
            }
        }
        try await withUpstream(upstream) { base in
            var request = HTTPClientRequest(url: base + "/v1/messages")
            request.method = .POST
            request.headers.add(contentsOf: standardHeaders.map { ($0.key, $0.value) })
            request.body = .bytes(ByteBuffer(string: messagesBody("gated", stream: true)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var received = ""
            for try await chunk in response.body {
                received += String(buffer: chunk)
                if received.contains("event: content_block_start") {
                    open.yield()
                }
            }
            #expect(parseSSE(received)?.last?.name == "message_stop")
        }
    }

    @Test func recorderKeepsRequestsAsReceived() async throws {
        let upstream = makeUpstream()
        try await withUpstream(upstream) { base in
            var headers = standardHeaders
            headers["X-Claude-Code-Session-Id"] = "session-1"
            _ = try await fetch(.POST, base + "/v1/messages?beta=true", headers: headers, body: messagesBody("recorded"))
        }
        let recorded = try #require(upstream.recorder.requests.first)
        #expect(upstream.recorder.requests.count == 1)
        #expect(recorded.method == "POST" && recorded.uri == "/v1/messages?beta=true")
        #expect(recorded.header("x-claude-code-session-id") == "session-1")
        #expect(recorded.headers.contains { $0.name == "X-Claude-Code-Session-Id" })
        #expect(recorded.body == Data(messagesBody("recorded").utf8))
    }
}
