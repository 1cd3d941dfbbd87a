import Foundation

/// Rebuilds the final Message from a streamed response, so a stream is recorded and summarised like a non-streaming call.
///
/// Follows the reference's recording advice: start from `message_start.message`, concatenate each block's deltas, parse a
/// tool input's `partial_json` (empty means `{}`), apply every `message_delta` and take its usage counts as cumulative.
/// JSON parts are kept serialized, which keeps the assembler `Sendable`; the message is only built when asked for.
public struct MessageAssembler: Sendable {
    /// A content block: the object from `content_block_start` plus what its deltas added.
    private struct Block: Sendable {
        var start: Data
        /// Concatenated deltas per block field: `text`, `thinking`, `signature`, and `input` for `partial_json`.
        var appended: [String: String] = [:]
        var citations: [Data] = []

        /// The finished block: concatenated strings extend the start values, `input` is parsed, citations are appended.
        func json() -> [String: Any] {
            var block = MessageAssembler.parse(start) as? [String: Any] ?? [:]
            for (field, text) in appended {
                if field == "input" {
                    block[field] = text.isEmpty ? [String: Any]() : MessageAssembler.parse(Data(text.utf8)) ?? text
                } else {
                    block[field] = (block[field] as? String ?? "") + text
                }
            }
            if !citations.isEmpty {
                block["citations"] = (block["citations"] as? [Any] ?? []) + citations.compactMap(MessageAssembler.parse)
            }
            return block
        }
    }

    private var messageStart: Data?
    private var blocks: [Int: Block] = [:]
    private var deltaPatches: [Data] = []
    private var usagePatches: [Data] = []

    /// Whether the stream ended properly; without `message_stop` it was truncated.
    public private(set) var sawMessageStop = false
    /// The error an `error` event reported after the HTTP 200, if any.
    public private(set) var streamError: (type: String, message: String)?
    public private(set) var stopReason: String?
    public private(set) var model: String?
    public private(set) var messageID: String?
    /// Counts from `message_start`, overwritten by each later `message_delta` that reports them.
    public private(set) var usage = Usage()
    /// Events that could not be placed in the message (unknown event or delta types, deltas for unknown blocks), kept
    /// verbatim so a recorder loses nothing.
    public private(set) var unrecognizedEvents: [SSEEvent] = []

    public init() {}

    /// The same summary a non-streaming body gives, or nil before `message_start`.
    public var summary: MessageSummary? {
        messageStart == nil ? nil : MessageSummary(id: messageID, model: model, stopReason: stopReason, usage: usage)
    }

    /// Applies one event, identified by its JSON `type` or else its `event:` name; events whose data is not a JSON object
    /// are skipped.
    public mutating func apply(_ event: SSEEvent) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else { return }
        let placed: Bool
        switch object["type"] as? String ?? event.name {
        case "message_start": placed = applyMessageStart(object)
        case "content_block_start": placed = startBlock(object)
        case "content_block_delta": placed = applyBlockDelta(object)
        case "content_block_stop", "ping": placed = true
        case "message_delta": placed = applyMessageDelta(object)
        case "message_stop":
            sawMessageStop = true
            placed = true
        case "error": placed = recordError(object)
        default: placed = false
        }
        if !placed {
            unrecognizedEvents.append(event)
        }
    }

    /// The reassembled message as a JSON object with sorted keys, or nil if no `message_start` was seen.
    /// A tool input whose `partial_json` does not parse is kept as that raw string.
    public func messageJSON() -> Data? {
        guard let messageStart, var message = Self.parse(messageStart) as? [String: Any] else { return nil }
        for patch in deltaPatches {
            message.merge(Self.parse(patch) as? [String: Any] ?? [:]) { _, new in new }
        }
        if !usagePatches.isEmpty {
            var usage = message["usage"] as? [String: Any] ?? [:]
            for patch in usagePatches {
                usage.merge((Self.parse(patch) as? [String: Any] ?? [:]).filter { !($0.value is NSNull) }) { _, new in new }
            }
            message["usage"] = usage
        }
        var content = message["content"] as? [Any] ?? []
        for (index, block) in blocks.sorted(by: { $0.key < $1.key }) {
            if index < content.count {
                content[index] = block.json()
            } else {
                content.append(block.json())
            }
        }
        message["content"] = content
        return try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private mutating func applyMessageStart(_ object: [String: Any]) -> Bool {
        guard let message = object["message"] as? [String: Any], let data = Self.serialize(message) else { return false }
        messageStart = data
        let summary = MessageSummary(messageJSON: data)
        messageID = summary?.id
        model = summary?.model
        stopReason = summary?.stopReason
        usage = summary?.usage ?? Usage()
        return true
    }

    private mutating func startBlock(_ object: [String: Any]) -> Bool {
        guard let index = object["index"] as? Int, let block = object["content_block"] as? [String: Any], let data = Self.serialize(block)
        else { return false }
        blocks[index] = Block(start: data)
        return true
    }

    private mutating func applyBlockDelta(_ object: [String: Any]) -> Bool {
        guard let index = object["index"] as? Int, blocks[index] != nil, let delta = object["delta"] as? [String: Any] else { return false }
        switch delta["type"] as? String {
        case "text_delta": return append(delta["text"], to: "text", ofBlock: index)
        case "thinking_delta": return append(delta["thinking"], to: "thinking", ofBlock: index)
        case "signature_delta": return append(delta["signature"], to: "signature", ofBlock: index)
        case "input_json_delta": return append(delta["partial_json"], to: "input", ofBlock: index)
        case "citations_delta":
            guard let citation = delta["citation"], let data = Self.serialize(citation) else { return false }
            blocks[index]?.citations.append(data)
            return true
        default: return false
        }
    }

    private mutating func append(_ value: Any?, to field: String, ofBlock index: Int) -> Bool {
        guard let text = value as? String else { return false }
        blocks[index]?.appended[field, default: ""].append(text)
        return true
    }

    private mutating func applyMessageDelta(_ object: [String: Any]) -> Bool {
        let delta = object["delta"] as? [String: Any]
        let usageObject = object["usage"] as? [String: Any]
        guard delta != nil || usageObject != nil else { return false }
        if let delta, let data = Self.serialize(delta) {
            deltaPatches.append(data)
            if delta.keys.contains("stop_reason") {
                stopReason = delta["stop_reason"] as? String
            }
        }
        if let usageObject, let data = Self.serialize(usageObject) {
            usagePatches.append(data)
            if let newer = try? JSONDecoder().decode(Usage.self, from: data) {
                usage.overwrite(with: newer)
            }
        }
        return true
    }

    private mutating func recordError(_ object: [String: Any]) -> Bool {
        guard let error = object["error"] as? [String: Any] else { return false }
        streamError = (type: error["type"] as? String ?? "", message: error["message"] as? String ?? "")
        return true
    }

    private static func serialize(_ value: Any) -> Data? {
        try? JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)
    }

    private static func parse(_ data: Data) -> Any? {
        try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
    }
}
