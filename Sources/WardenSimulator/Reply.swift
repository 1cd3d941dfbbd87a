import Foundation
import WardenCore

/// The answer to one Messages request, decided once and then rendered either as a Message object or as the
/// events of a stream, so both forms always agree.
struct Reply {
    enum Block {
        case thinking(pieces: [String], signature: String)
        case text(pieces: [String])
        case toolUse(id: String, name: String, input: JSONText, pieces: [String])
    }

    private static let fillerWords = ["lorem", "ipsum", "dolor", "sit", "amet"]

    var id: String
    var model: String
    var blocks: [Block]
    var stopReason: String
    var inputTokens: Int
    var outputTokens: Int

    init(request: MessagesRequest, scenario: Scenario, identifiers: Identifiers) {
        let quoted = String(request.lastUserText.prefix(60))
        var blocks: [Block] = []
        if request.thinking {
            let thinking = "The user wrote: \"\(quoted)\".\nA simulated answer will do."
            let signature = Data(identifiers.bytes(48)).base64EncodedString()
            blocks.append(.thinking(pieces: Self.split(thinking, into: 2), signature: signature))
        }
        var textPieces = Self.split("Simulated reply to: \(quoted)", into: 4)
        if scenario == .long {
            textPieces += (0..<196).map { " " + Self.fillerWords[$0 % Self.fillerWords.count] }
        }
        if scenario == .unsafeCode {
            textPieces += Self.split("\n\n```python\nimport requests\nrequests.get(url, verify=False)\n```\n", into: 6)
        }
        blocks.append(.text(pieces: textPieces))
        if let tool = request.firstTool, request.lastUserText.contains("use a tool") {
            let input = JSONText(Self.sampleInput(for: tool.inputSchema))
            blocks.append(.toolUse(id: identifiers.make("toolu"), name: tool.name, input: input, pieces: [""] + Self.split(input.text, into: 3)))
        }
        self.id = identifiers.make("msg")
        self.model = request.model
        self.blocks = blocks
        self.stopReason = blocks.contains { if case .toolUse = $0 { true } else { false } } ? "tool_use" : "end_turn"
        self.inputTokens = request.inputTokens
        self.outputTokens = max(1, blocks.map(\.generatedByteCount).reduce(0, +) / 4)
    }

    /// The complete Message, as a non-streaming response or a batch result carries it.
    var message: JSONText {
        message(content: blocks.map(\.json), stopReason: .string(stopReason), outputTokens: outputTokens)
    }

    func message(content: [JSONText], stopReason: JSONText, outputTokens: Int) -> JSONText {
        .object([
            "id": .string(id),
            "type": "message",
            "role": "assistant",
            "model": .string(model),
            "content": .array(content),
            "stop_reason": stopReason,
            "stop_sequence": nil,
            "usage": .object([
                "input_tokens": .int(inputTokens),
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "cache_creation": .object(["ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0]),
                "output_tokens": .int(outputTokens),
                "service_tier": "standard",
            ]),
        ])
    }

    /// `text` cut into at most `count` consecutive pieces of nearly equal length.
    static func split(_ text: String, into count: Int) -> [String] {
        let characters = Array(text)
        let size = max(1, (characters.count + count - 1) / count)
        return stride(from: 0, to: characters.count, by: size).map { String(characters[$0..<min($0 + size, characters.count)]) }
    }

    /// A value for each required property of a tool's input schema (every property if none is required).
    static func sampleInput(for schema: JSONValue?) -> JSONValue {
        guard case .object(let properties)? = schema?["properties"] else { return [:] }
        let names = schema?["required"]?.arrayValue?.compactMap(\.stringValue) ?? properties.keys.sorted()
        let values = names.map { name -> (String, JSONValue) in
            switch properties[name]?["type"]?.stringValue {
            case "integer", "number": (name, 1)
            case "boolean": (name, true)
            case "array": (name, [])
            case "object": (name, [:])
            default: (name, "simulated")
            }
        }
        return .object(Dictionary(values, uniquingKeysWith: { first, _ in first }))
    }
}

extension Reply.Block {
    /// The block as it appears in a complete Message.
    var json: JSONText {
        switch self {
        case .thinking(let pieces, let signature):
            .object(["type": "thinking", "thinking": .string(pieces.joined()), "signature": .string(signature)])
        case .text(let pieces):
            .object(["type": "text", "text": .string(pieces.joined())])
        case .toolUse(let id, let name, let input, _):
            .object(["type": "tool_use", "id": .string(id), "name": .string(name), "input": input])
        }
    }

    /// The block as `content_block_start` announces it, before any delta.
    var startJSON: JSONText {
        switch self {
        case .thinking: .object(["type": "thinking", "thinking": "", "signature": ""])
        case .text: .object(["type": "text", "text": ""])
        case .toolUse(let id, let name, _, _): .object(["type": "tool_use", "id": .string(id), "name": .string(name), "input": .object([:])])
        }
    }

    /// The `delta` objects of its `content_block_delta` events.
    var deltas: [JSONText] {
        switch self {
        case .thinking(let pieces, let signature):
            pieces.map { .object(["type": "thinking_delta", "thinking": .string($0)]) }
                + [.object(["type": "signature_delta", "signature": .string(signature)])]
        case .text(let pieces):
            pieces.map { .object(["type": "text_delta", "text": .string($0)]) }
        case .toolUse(_, _, _, let pieces):
            pieces.map { .object(["type": "input_json_delta", "partial_json": .string($0)]) }
        }
    }

    var generatedByteCount: Int {
        switch self {
        case .thinking(let pieces, _), .text(let pieces), .toolUse(_, _, _, let pieces): pieces.joined().utf8.count
        }
    }
}
