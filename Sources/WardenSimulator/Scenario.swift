/// A failure or pacing scripted by a marker in the last user text, so tests that only control the prompt (for
/// example through a proxy) can provoke every behaviour of the real API.
enum Scenario: Equatable {
    case normal
    /// 529 `overloaded_error` with `retry-after`.
    case overloaded
    /// 429 `rate_limit_error` with `retry-after`.
    case rateLimited
    /// 500 `api_error`.
    case serverError
    /// A stream that starts, then sends `event: error` and ends without `message_stop`.
    case errorMidstream
    /// A response that starts, then loses its connection.
    case drop
    /// 200 ms between streamed events.
    case slow
    /// About 200 text deltas.
    case long
    /// The reply ends with a Python block that turns TLS verification off, for the unsafe-code guardrails.
    case unsafeCode

    private static let markers: [(String, Scenario)] = [
        ("simulate:overloaded", .overloaded),
        ("simulate:rate-limit", .rateLimited),
        ("simulate:server-error", .serverError),
        ("simulate:error-midstream", .errorMidstream),
        ("simulate:drop", .drop),
        ("simulate:slow", .slow),
        ("simulate:long", .long),
        ("simulate:unsafe-code", .unsafeCode),
    ]

    init(text: String) {
        self = Self.markers.first { text.contains($0.0) }?.1 ?? .normal
    }

    /// The error answered instead of a reply, before any byte of it is sent.
    var immediateError: APIError? {
        switch self {
        case .overloaded: .overloaded
        case .rateLimited: .rateLimited
        case .serverError: .internalServer
        default: nil
        }
    }
}
