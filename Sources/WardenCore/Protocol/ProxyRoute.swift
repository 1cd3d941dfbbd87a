/// The Anthropic API surface Warden serves. Anything else is answered 404 and never forwarded, so Warden cannot be
/// used to reach arbitrary upstream paths.
public enum ProxyRoute: Sendable, Equatable {
    case messages
    case countTokens
    case models
    case batches
    case batchResults
    case files
    /// Claude Code's `HEAD /` connectivity probe.
    case probe
    case health
    case ready
    /// The ledger's latest signed checkpoint (authenticated, never forwarded).
    case ledgerCheckpoint
    /// A tlog-proof receipt for one of the caller's exchanges (authenticated, never forwarded).
    case ledgerProof

    public init?(method: String, path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let shape = segments.enumerated().map { index, segment in
            index >= 2 && Self.isParameter(segment, after: segments[index - 1]) ? "{id}" : segment
        }
        guard let route = Self.table[method + " /" + shape.joined(separator: "/")] else { return nil }
        if zip(segments, shape).contains(where: { $1 == "{id}" && !Self.isIdentifier($0) }) { return nil }
        self = route
    }

    private static let table: [String: ProxyRoute] = [
        "HEAD /": .probe,
        "GET /": .probe,
        "GET /healthz": .health,
        "GET /readyz": .ready,
        "GET /ledger/checkpoint": .ledgerCheckpoint,
        "GET /ledger/proof/{id}": .ledgerProof,
        "POST /v1/messages": .messages,
        "POST /v1/messages/count_tokens": .countTokens,
        "GET /v1/models": .models,
        "GET /v1/models/{id}": .models,
        "GET /v1/messages/batches": .batches,
        "POST /v1/messages/batches": .batches,
        "GET /v1/messages/batches/{id}": .batches,
        "DELETE /v1/messages/batches/{id}": .batches,
        "POST /v1/messages/batches/{id}/cancel": .batches,
        "GET /v1/messages/batches/{id}/results": .batchResults,
        "GET /v1/files": .files,
        "POST /v1/files": .files,
        "GET /v1/files/{id}": .files,
        "DELETE /v1/files/{id}": .files,
        "GET /v1/files/{id}/content": .files,
    ]

    /// The segment after `models`, `batches`, `files` or `proof` is an id (but `count_tokens` is a route of its own).
    private static func isParameter(_ segment: String, after previous: String) -> Bool {
        ["models", "batches", "files", "proof"].contains(previous)
    }

    /// Whether the route goes upstream (and so needs identity and recording).
    public var isForwarded: Bool {
        switch self {
        case .probe, .health, .ready, .ledgerCheckpoint, .ledgerProof: false
        default: true
        }
    }

    /// Path parameters are ids like `msgbatch_01…` or `claude-sonnet-4-5`; never `.` or `..`, so no traversal reaches upstream.
    private static func isIdentifier(_ text: String) -> Bool {
        guard !text.isEmpty, text != ".", text.utf8.count <= 256, !text.contains("..") else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-_.:@".unicodeScalars.contains(scalar)
        }
    }
}
