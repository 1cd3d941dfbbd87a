import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator

@Suite struct UpstreamScenarioTests {
    @Test func overloadedAnswers529WithRetryAfter() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("please simulate:overloaded", stream: true))
            #expect(response.status == 529)
            #expect(response.headers["retry-after"].first == "1")
            let error = try #require(response.json)
            #expect(error["type"] == "error" && error["error"]?["type"] == "overloaded_error")
            #expect(error["request_id"]?.stringValue == response.headers["request-id"].first)
        }
    }

    @Test(arguments: [("simulate:rate-limit", 429, "rate_limit_error"), ("simulate:server-error", 500, "api_error")])
    func scriptedErrors(marker: String, status: Int, type: String) async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody(marker))
            #expect(response.status == status)
            #expect(response.json?["error"]?["type"] == .string(type))
        }
    }

    @Test func errorMidstreamEndsWithAnErrorEvent() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("simulate:error-midstream", stream: true))
            #expect(response.status == 200)
            let events = try #require(parseSSE(response.body))
            #expect(events.first?.name == "message_start")
            #expect(events.last?.name == "error")
            #expect(events.last?.data["error"]?["type"] == "overloaded_error")
            #expect(!events.contains { $0.name == "message_stop" })
        }
    }

    @Test func dropClosesTheConnectionMidStream() async throws {
        try await withUpstream { base in
            var request = HTTPClientRequest(url: base + "/v1/messages")
            request.method = .POST
            request.headers.add(contentsOf: standardHeaders.map { ($0.key, $0.value) })
            request.body = .bytes(ByteBuffer(string: messagesBody("simulate:drop", stream: true)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)
            var received = ""
            await #expect(throws: (any Error).self) {
                for try await chunk in response.body {
                    received += String(buffer: chunk)
                }
            }
            #expect(received.hasPrefix("event: message_start\n"))
            #expect(!received.contains("message_stop"))
        }
    }

    @Test func eventDelayPacesTheStream() async throws {
        try await withUpstream(makeUpstream(eventDelay: .milliseconds(20))) { base in
            let started = ContinuousClock.now
            let response = try await fetch(.POST, base + "/v1/messages", body: messagesBody("paced", stream: true))
            let count = try #require(parseSSE(response.body)).count
            #expect(ContinuousClock.now - started >= .milliseconds(20) * (count - 1))
        }
    }
}
