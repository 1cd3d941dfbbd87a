/// One event as the API frames it: an `event:` line, a one-line `data:` line and a blank line.
struct ServerSentEvent: Equatable {
    var name: String
    var data: String

    /// `ping` comes from a different serializer upstream, hence the space after the colon.
    static let ping = ServerSentEvent(name: "ping", data: #"{"type": "ping"}"#)

    /// The `error` event that may follow an HTTP 200, written in the spaced style of that serializer too.
    static func error(_ error: APIError, requestID: String) -> ServerSentEvent {
        let type = JSONText.string(error.type).text
        let message = JSONText.string(error.message).text
        let requestID = JSONText.string(requestID).text
        return ServerSentEvent(
            name: "error",
            data: #"{"type": "error", "error": {"type": \#(type), "message": \#(message)}, "request_id": \#(requestID)}"#
        )
    }

    /// An event whose data is `json` with `padding` spaces inside its closing brace, as the real API pads
    /// data lines to obscure their length.
    init(name: String, json: JSONText, padding: Int) {
        self.name = name
        self.data = String(json.text.dropLast()) + String(repeating: " ", count: padding) + "}"
    }

    init(name: String, data: String) {
        self.name = name
        self.data = data
    }

    var wireText: String { "event: \(name)\ndata: \(data)\n\n" }
}

extension Reply {
    /// The full stream: `message_start`, each block with a `ping` after the first start, `message_delta` with
    /// cumulative usage, `message_stop`.
    func events(padding: () -> Int) -> [ServerSentEvent] {
        func event(_ name: String, _ members: [(String, JSONText)]) -> ServerSentEvent {
            ServerSentEvent(name: name, json: .object([("type", .string(name))] + members), padding: padding())
        }
        var events = [event("message_start", [("message", message(content: [], stopReason: nil, outputTokens: 1))])]
        for (index, block) in blocks.enumerated() {
            events.append(event("content_block_start", [("index", .int(index)), ("content_block", block.startJSON)]))
            if index == 0 {
                events.append(.ping)
            }
            for delta in block.deltas {
                events.append(event("content_block_delta", [("index", .int(index)), ("delta", delta)]))
            }
            events.append(event("content_block_stop", [("index", .int(index))]))
        }
        let usage: JSONText = .object([
            "input_tokens": .int(inputTokens),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": .int(outputTokens),
        ])
        events.append(event("message_delta", [("delta", .object(["stop_reason": .string(stopReason), "stop_sequence": nil])), ("usage", usage)]))
        events.append(event("message_stop", []))
        return events
    }
}
