import HTTPTypes

/// An error the simulated API answers with, in the Anthropic envelope and with the status the real API uses.
struct APIError: Error, Equatable {
    var status: HTTPResponse.Status
    var type: String
    var message: String
    /// Seconds for `retry-after`, sent where the real API asks clients to back off.
    var retryAfter: Int?

    static func invalidRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, type: "invalid_request_error", message: message)
    }

    static func authentication(_ message: String) -> APIError {
        APIError(status: .unauthorized, type: "authentication_error", message: message)
    }

    static let notFound = APIError(status: .notFound, type: "not_found_error", message: "The requested resource could not be found.")
    static let tooLarge = APIError(
        status: .contentTooLarge,
        type: "request_too_large",
        message: "Request exceeds the maximum allowed number of bytes."
    )
    static let overloaded = APIError(
        status: HTTPResponse.Status(code: 529, reasonPhrase: "Overloaded"),
        type: "overloaded_error",
        message: "Overloaded",
        retryAfter: 1
    )
    static let rateLimited = APIError(
        status: .tooManyRequests,
        type: "rate_limit_error",
        message: "This request would exceed the rate limit for your organization. Please retry after the time in the retry-after header.",
        retryAfter: 1
    )
    static let internalServer = APIError(status: .internalServerError, type: "api_error", message: "Internal server error")

    /// `{"type":"error","error":{"type":…,"message":…},"request_id":"req_…"}`
    func body(requestID: String) -> JSONText {
        .object(["type": "error", "error": inner, "request_id": .string(requestID)])
    }

    /// The inner `error` object, shared by the envelope and by errored batch results.
    var inner: JSONText {
        .object(["type": .string(type), "message": .string(message)])
    }
}
