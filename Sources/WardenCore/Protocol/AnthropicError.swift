import Foundation

/// An error in the Anthropic envelope, so every SDK surfaces Warden's own refusals the way it surfaces the API's.
public struct AnthropicError: Error, Sendable, Equatable {
    public var status: Int
    public var type: String
    public var message: String
    /// False for refusals a retry cannot fix; sent as `x-should-retry` so SDKs stop at once.
    public var shouldRetry: Bool
    /// Extra response headers (e.g. `WWW-Authenticate`).
    public var headers: [HeaderField]

    public init(status: Int, type: String, message: String, shouldRetry: Bool = false, headers: [HeaderField] = []) {
        self.status = status
        self.type = type
        self.message = message
        self.shouldRetry = shouldRetry
        self.headers = headers
    }

    /// `{"type":"error","error":{"type":…,"message":…}}`
    public var body: Data {
        let envelope: [String: Any] = ["type": "error", "error": ["type": type, "message": message]]
        return (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    public static func authentication(_ reason: String) -> AnthropicError {
        AnthropicError(
            status: 401,
            type: "authentication_error",
            message: "Warden refused the credential: \(reason)",
            headers: [HeaderField("www-authenticate", "Bearer error=\"invalid_token\"")]
        )
    }

    public static func notFound(path: String) -> AnthropicError {
        AnthropicError(status: 404, type: "not_found_error", message: "Warden does not serve \(path)")
    }

    public static func tooLarge(limit: Int) -> AnthropicError {
        AnthropicError(status: 413, type: "request_too_large", message: "Warden accepts request bodies up to \(limit) bytes")
    }

    public static func invalidRequest(_ message: String) -> AnthropicError {
        AnthropicError(status: 400, type: "invalid_request_error", message: message)
    }

    public static func recordingUnavailable() -> AnthropicError {
        AnthropicError(
            status: 503,
            type: "api_error",
            message: "Warden cannot record this exchange right now, so it was not forwarded",
            shouldRetry: true
        )
    }

    public static func upstreamUnreachable(_ reason: String) -> AnthropicError {
        AnthropicError(status: 502, type: "api_error", message: "Warden could not reach the upstream API: \(reason)", shouldRetry: true)
    }

    public static func upstreamTimeout() -> AnthropicError {
        AnthropicError(status: 504, type: "timeout_error", message: "The upstream API did not answer in time", shouldRetry: true)
    }

    public static func shuttingDown() -> AnthropicError {
        AnthropicError(status: 503, type: "overloaded_error", message: "Warden is shutting down", shouldRetry: true)
    }

    /// A request a guardrail rule blocked. Names the rule and where it matched, never the value.
    public static func blocked(_ finding: ExchangeFinding) -> AnthropicError {
        AnthropicError(
            status: 400,
            type: "invalid_request_error",
            message: "Warden blocked this request: guardrail rule \(finding.ruleID) (\(finding.category.rawValue), \(finding.severity)) "
                + "matched in \(finding.location). Remove that content and try again."
        )
    }

    /// An answer a guardrail rule blocked: the error that replaces it, or ends its stream.
    public static func answerBlocked(_ finding: ExchangeFinding) -> AnthropicError {
        AnthropicError(
            status: 400,
            type: "invalid_request_error",
            message: "Warden blocked the answer: guardrail rule \(finding.ruleID) (\(finding.category.rawValue), \(finding.severity)) "
                + "matched in \(finding.location)."
        )
    }

    /// The error as a server-sent `error` event, the way the API ends a stream that fails after its first byte.
    public var event: Data {
        Data("event: error\ndata: ".utf8) + body + Data("\n\n".utf8)
    }
}
