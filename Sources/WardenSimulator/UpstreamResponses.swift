import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore

extension HTTPField.Name {
    static let requestID = Self("request-id")!
    static let xAPIKey = Self("x-api-key")!
    static let anthropicVersion = Self("anthropic-version")!
    static let rateLimitRequestsLimit = Self("anthropic-ratelimit-requests-limit")!
    static let rateLimitRequestsRemaining = Self("anthropic-ratelimit-requests-remaining")!
    static let rateLimitRequestsReset = Self("anthropic-ratelimit-requests-reset")!
    static let rateLimitTokensLimit = Self("anthropic-ratelimit-tokens-limit")!
    static let rateLimitTokensRemaining = Self("anthropic-ratelimit-tokens-remaining")!
    static let rateLimitTokensReset = Self("anthropic-ratelimit-tokens-reset")!
}

/// Headers and bodies shared by every endpoint.
extension SimulatedUpstream {
    /// `request-id`, the rate-limit family and `content-type`, which the real API sends on every response.
    func headers(requestID: String, contentType: String) -> HTTPFields {
        let reset = Date.now.addingTimeInterval(60).formatted(Date.ISO8601FormatStyle())
        return [
            .contentType: contentType,
            .requestID: requestID,
            .rateLimitRequestsLimit: "1000",
            .rateLimitRequestsRemaining: "999",
            .rateLimitRequestsReset: reset,
            .rateLimitTokensLimit: "100000",
            .rateLimitTokensRemaining: "100000",
            .rateLimitTokensReset: reset,
        ]
    }

    func json(_ body: JSONText, requestID: String) -> Response {
        Response(
            status: .ok,
            headers: headers(requestID: requestID, contentType: "application/json"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: body.text))
        )
    }

    func errorResponse(_ error: APIError, requestID: String) -> Response {
        var fields = headers(requestID: requestID, contentType: "application/json")
        if let retryAfter = error.retryAfter {
            fields[.retryAfter] = String(retryAfter)
        }
        return Response(
            status: error.status,
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: error.body(requestID: requestID).text))
        )
    }
}
