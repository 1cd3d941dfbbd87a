import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator

@Suite struct UpstreamProtocolTests {
    @Test func refusesMissingOrWrongCredentials() async throws {
        try await withUpstream { base in
            let body = messagesBody("hi")
            let missing = try await fetch(.POST, base + "/v1/messages", headers: ["anthropic-version": "2023-06-01"], body: body)
            #expect(missing.status == 401)
            #expect(missing.json?["error"]?["type"] == "authentication_error")

            let wrongKey = try await fetch(
                .POST,
                base + "/v1/messages",
                headers: ["x-api-key": "nope", "anthropic-version": "2023-06-01"],
                body: body
            )
            #expect(wrongKey.status == 401)

            let wrongBearer = try await fetch(
                .POST,
                base + "/v1/messages",
                headers: ["authorization": "Bearer nope", "anthropic-version": "2023-06-01"],
                body: body
            )
            #expect(wrongBearer.status == 401)
        }
    }

    @Test func acceptsBothSDKGenerations() async throws {
        try await withUpstream { base in
            let body = messagesBody("hi")
            let bearer = try await fetch(
                .POST,
                base + "/v1/messages",
                headers: ["authorization": "Bearer test-key", "anthropic-version": "2026-10-21"],
                body: body
            )
            #expect(bearer.status == 200)
            let apiKey = try await fetch(
                .POST,
                base + "/v1/messages",
                headers: ["x-api-key": "test-key", "anthropic-version": "2023-06-01", "x-stainless-lang": "python"],
                body: body
            )
            #expect(apiKey.status == 200)
        }
    }

    @Test func requiresAnthropicVersion() async throws {
        try await withUpstream { base in
            let response = try await fetch(.POST, base + "/v1/messages", headers: ["x-api-key": "test-key"], body: messagesBody("hi"))
            #expect(response.status == 400)
            #expect(response.json?["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test func inflatesGzipBodiesLikeTheAPI() async throws {
        try await withUpstream { base in
            var headers = standardHeaders
            headers["content-encoding"] = "gzip"
            var plain = ByteBuffer(string: messagesBody("compressed hi"))
            let compressed = try plain.compress(with: .gzip())
            let response = try await fetch(.POST, base + "/v1/messages", headers: headers, bytes: compressed)
            #expect(response.status == 200)
            #expect(response.json?["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("compressed hi") == true)
            headers["content-encoding"] = "br"
            let unsupported = try await fetch(.POST, base + "/v1/messages", headers: headers, body: messagesBody("hi"))
            #expect(unsupported.status == 400)
        }
    }

    @Test func unknownPathsGetTheNotFoundEnvelope() async throws {
        try await withUpstream { base in
            let response = try await fetch(.GET, base + "/v1/unknown")
            #expect(response.status == 404)
            let json = try #require(response.json)
            #expect(json["type"] == "error")
            #expect(json["error"]?["type"] == "not_found_error")
            #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
            #expect(json["request_id"]?.stringValue?.hasPrefix("req_") == true)
            #expect(response.body.hasPrefix(#"{"type":"error","error":{"type":"not_found_error""#))
        }
    }
}
