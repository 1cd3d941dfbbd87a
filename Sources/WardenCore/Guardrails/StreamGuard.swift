import Foundation

/// Watches a streamed answer as it passes, for rules whose action is `block`, so the stream can be cut with an `error`
/// event before the chunk that completes a blocked match reaches the client. Only used when some rule blocks: the
/// findings an exchange keeps come from reading the whole answer when it closes.
///
/// Text is read up to its last whitespace (a token still arriving is not judged on its first half), with some text
/// before it again so a match is seen whole; a tool call is read when its block stops, as its input is then complete.
public struct StreamGuard: Sendable {
    private struct Block: Sendable {
        var toolName: String?
        var text: [UInt8] = []
        var readUpTo = 0
    }

    private let inspector: ContentInspector
    private var blocks: [Int: Block] = [:]
    /// How far before the unread text each read starts.
    static let overlap = 1024

    public init(inspector: ContentInspector) {
        self.inspector = inspector
    }

    /// The first blocking finding the events complete, if any.
    public mutating func feed(_ events: [SSEEvent]) -> ExchangeFinding? {
        var touched = Set<Int>()
        for event in events {
            guard event.data.contains("content_block"),
                let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any],
                let index = object["index"] as? Int
            else { continue }
            switch object["type"] as? String {
            case "content_block_start":
                let block = object["content_block"] as? [String: Any]
                let type = block?["type"] as? String
                blocks[index] = Block(toolName: type == "tool_use" || type == "server_tool_use" ? block?["name"] as? String ?? "" : nil)
            case "content_block_delta":
                let delta = object["delta"] as? [String: Any] ?? [:]
                let piece = delta["text"] as? String ?? delta["thinking"] as? String ?? delta["partial_json"] as? String
                if let piece { blocks[index, default: Block()].text += Array(piece.utf8) }
                touched.insert(index)
            case "content_block_stop":
                if let finding = read(index, final: true) { return finding }
                touched.remove(index)
            default:
                continue
            }
        }
        for index in touched.sorted() {
            if let finding = read(index, final: false) { return finding }
        }
        return nil
    }

    private mutating func read(_ index: Int, final: Bool) -> ExchangeFinding? {
        guard var block = blocks[index] else { return nil }
        defer { blocks[index] = block }
        if let name = block.toolName {
            guard final else { return nil }
            let input = (try? JSONSerialization.jsonObject(with: Data(block.text.isEmpty ? Array("{}".utf8) : block.text))) ?? [:]
            let unit = ContentUnit(
                message: nil,
                block: index,
                text: ContentUnits.strings(in: input),
                code: (input as? [String: Any]).map { CodeBlocks.fromToolCall(name: name, input: $0) } ?? []
            )
            return blocking(in: unit)
        }
        let end = final ? block.text.count : (block.text.lastIndex(where: Self.isSpace).map { $0 + 1 } ?? 0)
        guard end > block.readUpTo else { return nil }
        var start = max(0, block.readUpTo - Self.overlap)
        let earliest = max(0, start - Self.overlap)
        while start > earliest, block.text[start - 1] != 0x0A { start -= 1 }
        block.readUpTo = end
        var found = blocking(in: ContentUnit(message: nil, block: index, text: Array(block.text[start..<end])))
        found?.offset += start
        return found
    }

    private func blocking(in unit: ContentUnit) -> ExchangeFinding? {
        inspector.inspect([unit], direction: .response, known: { _ in nil }).blocking
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
}
