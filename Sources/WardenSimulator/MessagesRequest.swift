import Foundation
import WardenCore

/// What the simulator reads from a Messages request, after the checks the real API makes on it.
struct MessagesRequest {
    struct Tool {
        var name: String
        var inputSchema: JSONValue?
    }

    var model: String
    var stream: Bool
    var lastUserText: String
    var firstTool: Tool?
    var thinking: Bool
    /// Size of the request body; usage is estimated from it as the real tokenizer is not available.
    var byteCount: Int

    init(body: Data, requiresMaxTokens: Bool = true) throws(APIError) {
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: body)
        } catch {
            throw .invalidRequest("There was an error parsing the body of your request: it is not valid JSON")
        }
        try self.init(json: json, byteCount: body.count, requiresMaxTokens: requiresMaxTokens)
    }

    init(json: JSONValue, byteCount: Int, requiresMaxTokens: Bool = true) throws(APIError) {
        guard case .object = json else { throw .invalidRequest("The request body must be a JSON object") }
        guard let model = json["model"] else { throw .invalidRequest("model: Field required") }
        guard let modelName = model.stringValue else { throw .invalidRequest("model: Input should be a valid string") }
        guard let messagesValue = json["messages"] else { throw .invalidRequest("messages: Field required") }
        guard let messages = messagesValue.arrayValue else { throw .invalidRequest("messages: Input should be a valid list") }
        guard !messages.isEmpty else { throw .invalidRequest("messages: at least one message is required") }
        for (index, message) in messages.enumerated() {
            guard ["user", "assistant"].contains(message["role"]?.stringValue) else {
                throw .invalidRequest("messages.\(index).role: Input should be 'user' or 'assistant'")
            }
            guard message["content"] != nil else { throw .invalidRequest("messages.\(index).content: Field required") }
        }
        if requiresMaxTokens {
            guard let maxTokens = json["max_tokens"] else { throw .invalidRequest("max_tokens: Field required") }
            guard case .number(let value) = maxTokens, value >= 0, value == value.rounded() else {
                throw .invalidRequest("max_tokens: Input should be a valid integer")
            }
        }
        self.model = modelName
        self.stream = json["stream"] == .bool(true)
        self.lastUserText = messages.last { $0["role"] == "user" }.map { Self.text(of: $0["content"]) } ?? ""
        self.firstTool = json["tools"]?.arrayValue?.first.flatMap { tool in
            tool["name"]?.stringValue.map { Tool(name: $0, inputSchema: tool["input_schema"]) }
        }
        self.thinking = ["enabled", "adaptive"].contains(json["thinking"]?["type"]?.stringValue)
        self.byteCount = byteCount
    }

    /// About four bytes per token, the usual rule of thumb.
    var inputTokens: Int { max(1, byteCount / 4) }

    /// A string content, or the text blocks of a block array joined by newlines.
    private static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text): text
        case .array(let blocks): blocks.filter { $0["type"] == "text" }.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: ""
        }
    }
}
