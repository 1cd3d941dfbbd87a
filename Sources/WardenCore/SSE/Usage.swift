import Foundation

/// Token counts of one exchange, as the API reports them under `usage`; the fields it did not report stay nil.
public struct Usage: Sendable, Codable, Equatable {
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var cacheCreationInputTokens: Int?
    public var cacheReadInputTokens: Int?

    public init(inputTokens: Int? = nil, outputTokens: Int? = nil, cacheCreationInputTokens: Int? = nil, cacheReadInputTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.cacheReadInputTokens = cacheReadInputTokens
    }

    /// Reads `usage` from a non-streaming Message response body; nil when the body is not a Message.
    public init?(messageJSON: Data) {
        guard let summary = MessageSummary(messageJSON: messageJSON) else { return nil }
        self = summary.usage
    }

    /// Takes every count `newer` reports: a stream's `message_delta` usage is cumulative, so counts replace, never add.
    mutating func overwrite(with newer: Usage) {
        inputTokens = newer.inputTokens ?? inputTokens
        outputTokens = newer.outputTokens ?? outputTokens
        cacheCreationInputTokens = newer.cacheCreationInputTokens ?? cacheCreationInputTokens
        cacheReadInputTokens = newer.cacheReadInputTokens ?? cacheReadInputTokens
    }

    private enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheCreationInputTokens = "cache_creation_input_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
    }
}

/// What is logged about one Message, read the same way from a non-streaming body and from a reassembled stream.
public struct MessageSummary: Sendable, Codable, Equatable {
    public var id: String?
    public var model: String?
    public var stopReason: String?
    public var usage: Usage

    public init(id: String? = nil, model: String? = nil, stopReason: String? = nil, usage: Usage = Usage()) {
        self.id = id
        self.model = model
        self.stopReason = stopReason
        self.usage = usage
    }

    /// Reads a Message JSON body; nil when it is not one (not JSON, or no `usage` object, as in an error body).
    public init?(messageJSON: Data) {
        guard let summary = try? JSONDecoder().decode(Self.self, from: messageJSON) else { return nil }
        self = summary
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case model
        case stopReason = "stop_reason"
        case usage
    }
}
