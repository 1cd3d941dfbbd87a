import Foundation
import Testing
import WardenCore

@Suite("Anthropic error envelope")
struct AnthropicErrorTests {
    @Test(
        "each refusal has the status, type and retry advice of its Anthropic counterpart",
        arguments: [
            (AnthropicError.authentication("token expired"), 401, "authentication_error", false),
            (.notFound(path: "/v1/complete"), 404, "not_found_error", false),
            (.tooLarge(limit: 32_000_000), 413, "request_too_large", false),
            (.invalidRequest("messages: required"), 400, "invalid_request_error", false),
            (.recordingUnavailable(), 503, "api_error", true),
            (.upstreamUnreachable("connection refused"), 502, "api_error", true),
            (.upstreamTimeout(), 504, "timeout_error", true),
            (.shuttingDown(), 503, "overloaded_error", true),
        ]
    )
    func factories(error: AnthropicError, status: Int, type: String, shouldRetry: Bool) throws {
        #expect(error.status == status)
        #expect(error.type == type)
        #expect(error.shouldRetry == shouldRetry)
        #expect(!error.message.isEmpty)
        let envelope = try envelope(error.body)
        #expect(envelope.type == type)
        #expect(envelope.message == error.message)
    }

    @Test("factory messages carry their detail")
    func details() {
        #expect(AnthropicError.authentication("token expired").message.contains("token expired"))
        #expect(AnthropicError.notFound(path: "/v1/complete").message.contains("/v1/complete"))
        #expect(AnthropicError.tooLarge(limit: 32_000_000).message.contains("32000000"))
        #expect(AnthropicError.invalidRequest("messages: required").message == "messages: required")
        #expect(AnthropicError.upstreamUnreachable("connection refused").message.contains("connection refused"))
    }

    @Test("authentication refusals carry WWW-Authenticate; others carry no extra headers")
    func headers() {
        #expect(AnthropicError.authentication("x").headers == [HeaderField("www-authenticate", #"Bearer error="invalid_token""#)])
        #expect(AnthropicError.notFound(path: "/").headers.isEmpty)
        #expect(AnthropicError.recordingUnavailable().headers.isEmpty)
    }

    @Test("the body is exactly {type: error, error: {type, message}}, with hostile text escaped and slashes left alone")
    func bodyShape() throws {
        let error = AnthropicError(status: 400, type: "invalid_request_error", message: "bad \"input\"\n\\ at /v1/messages ☕")
        let object = try #require(try JSONSerialization.jsonObject(with: error.body) as? [String: Any])
        #expect(Set(object.keys) == ["type", "error"])
        #expect(object["type"] as? String == "error")
        let inner = try #require(object["error"] as? [String: Any])
        #expect(Set(inner.keys) == ["type", "message"])
        #expect(inner["type"] as? String == "invalid_request_error")
        #expect(inner["message"] as? String == "bad \"input\"\n\\ at /v1/messages ☕")
        let text = String(decoding: error.body, as: UTF8.self)
        #expect(text.contains("/v1/messages"))
        #expect(text.hasPrefix(#"{"error":{"#))
    }

    @Test("the default error has no retry advice and no headers")
    func defaults() {
        let error = AnthropicError(status: 429, type: "rate_limit_error", message: "slow down")
        #expect(error.shouldRetry == false)
        #expect(error.headers.isEmpty)
    }
}

private func envelope(_ body: Data) throws -> (type: String?, message: String?) {
    let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    #expect(object["type"] as? String == "error")
    let inner = try #require(object["error"] as? [String: Any])
    return (inner["type"] as? String, inner["message"] as? String)
}
