import HummingbirdCore

/// `GET /v1/models` and `GET /v1/models/{id}` over a fixed catalogue, newest first like the API.
extension SimulatedUpstream {
    private struct ModelInfo {
        var id: String
        var displayName: String
        var createdAt: String
        var maxInputTokens: Int
        var maxTokens: Int

        var json: JSONText {
            .object([
                "type": "model",
                "id": .string(id),
                "display_name": .string(displayName),
                "created_at": .string(createdAt),
                "max_input_tokens": .int(maxInputTokens),
                "max_tokens": .int(maxTokens),
            ])
        }
    }

    private static let models = [
        ModelInfo(
            id: "claude-opus-4-6",
            displayName: "Claude Opus 4.6",
            createdAt: "2026-02-04T00:00:00Z",
            maxInputTokens: 200_000,
            maxTokens: 128_000
        ),
        ModelInfo(
            id: "claude-haiku-4-5-20251001",
            displayName: "Claude Haiku 4.5",
            createdAt: "2025-10-01T00:00:00Z",
            maxInputTokens: 200_000,
            maxTokens: 64_000
        ),
        ModelInfo(
            id: "claude-sonnet-4-5-20250929",
            displayName: "Claude Sonnet 4.5",
            createdAt: "2025-09-29T00:00:00Z",
            maxInputTokens: 200_000,
            maxTokens: 64_000
        ),
    ]

    func listModels(query: URI, requestID: String) throws -> Response {
        json(try Page(Self.models, id: \.id, query: query, render: \.json).json, requestID: requestID)
    }

    func getModel(_ id: String, requestID: String) throws -> Response {
        guard let model = Self.models.first(where: { $0.id == id }) else { throw APIError.notFound }
        return json(model.json, requestID: requestID)
    }
}
