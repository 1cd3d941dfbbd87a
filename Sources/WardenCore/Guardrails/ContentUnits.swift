import Crypto
import Foundation

/// One piece of conversation content the guardrails look at: a text block, a tool result, a tool call's input, a
/// text document. Units are what "content this conversation has not shown before" is counted in: agents resend the
/// whole history every turn, and a unit seen once is known by its digest after that.
public struct ContentUnit: Sendable, Equatable {
    /// The request's `messages` index; nil for the system prompt and in a response.
    public var message: Int?
    public var block: Int
    /// The text the detectors read. A tool call's input is read as its string values, one per line.
    public var text: [UInt8]
    /// The code a tool call writes (file contents, edits, shell commands), for the unsafe-code rules.
    public var code: [CodeBlock]
    public let digest: SHA256Digest

    public init(message: Int?, block: Int, text: [UInt8], code: [CodeBlock] = []) {
        self.message = message
        self.block = block
        self.text = text
        self.code = code
        self.digest = SHA256.hash(data: text)
    }
}

/// Cuts requests and answers into `ContentUnit`s.
public enum ContentUnits {
    /// The system prompt and every message's content blocks. Images and thinking are skipped: images are not text,
    /// and thinking in a request only echoes an earlier answer, which was read when it passed.
    public static func request(system: Any?, messages: [Any]) -> [ContentUnit] {
        var units = blocks(system, message: nil)
        for (index, message) in messages.enumerated() {
            units += blocks((message as? [String: Any])?["content"], message: index)
        }
        return units
    }

    /// The units of a request from its layout: the messages the layout did not reuse from an earlier request, and the
    /// system prompt unless it lies in reused bytes too or `systemRepeated` says it is the earlier request's. Each part
    /// is parsed from its own bytes, so the cost follows what is new.
    public static func request(body: [UInt8], layout: RequestLayout, systemRepeated: Bool = false) -> [ContentUnit] {
        func parse(_ range: Range<Int>) -> Any? {
            try? JSONSerialization.jsonObject(with: Data(body[range]), options: [.fragmentsAllowed])
        }
        let reusedEnd = layout.reusedMessages > 0 ? layout.messages[layout.reusedMessages - 1].upperBound : 0
        var units: [ContentUnit] = []
        if let system = layout.system, system.lowerBound >= reusedEnd, !systemRepeated { units = blocks(parse(system), message: nil) }
        for index in layout.reusedMessages..<layout.messages.count {
            units += blocks((parse(layout.messages[index]) as? [String: Any])?["content"], message: index)
        }
        return units
    }

    /// The content blocks of a Message answer (the API's JSON, or the one reassembled from a stream).
    public static func response(message: [String: Any]) -> [ContentUnit] {
        blocks(message["content"], message: nil)
    }

    private static func blocks(_ content: Any?, message: Int?) -> [ContentUnit] {
        if let text = content as? String {
            return [ContentUnit(message: message, block: 0, text: Array(text.utf8))]
        }
        guard let blocks = content as? [Any] else { return [] }
        return blocks.enumerated().compactMap { index, block in
            guard let block = block as? [String: Any] else { return nil }
            return unit(block, message: message, index: index)
        }
    }

    private static func unit(_ block: [String: Any], message: Int?, index: Int) -> ContentUnit? {
        switch block["type"] as? String {
        case "text":
            return (block["text"] as? String).map { ContentUnit(message: message, block: index, text: Array($0.utf8)) }
        case "thinking" where message == nil:
            return (block["thinking"] as? String).map { ContentUnit(message: message, block: index, text: Array($0.utf8)) }
        case "tool_use", "server_tool_use":
            let input = block["input"] as? [String: Any] ?? [:]
            let code = (block["name"] as? String).map { CodeBlocks.fromToolCall(name: $0, input: input) } ?? []
            return ContentUnit(message: message, block: index, text: strings(in: input), code: code)
        case "tool_result":
            return ContentUnit(message: message, block: index, text: text(of: block["content"]))
        case "document":
            guard let source = block["source"] as? [String: Any], source["type"] as? String == "text" else { return nil }
            return (source["data"] as? String).map { ContentUnit(message: message, block: index, text: Array($0.utf8)) }
        default:
            return nil
        }
    }

    /// A tool result's content: a string, or text blocks joined by newlines.
    private static func text(of content: Any?) -> [UInt8] {
        if let text = content as? String { return Array(text.utf8) }
        let parts = (content as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["text"] as? String }
        return Array(parts.joined(separator: "\n").utf8)
    }

    /// Every string value in a JSON value, depth first with keys sorted, one per line: a secret sits inside one string,
    /// so it is read whole, and the order is the same every time the input is seen.
    static func strings(in value: Any) -> [UInt8] {
        var lines: [String] = []
        func walk(_ value: Any) {
            if let text = value as? String {
                lines.append(text)
            } else if let object = value as? [String: Any] {
                for key in object.keys.sorted() { walk(object[key]!) }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(value)
        return Array(lines.joined(separator: "\n").utf8)
    }
}
