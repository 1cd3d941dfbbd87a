import Foundation

/// Where a Messages request's parts sit in its bytes: each element of the top-level `messages` array and the `system`
/// prompt. Found by a walk over the JSON structure that skips string contents with `memchr`, so it runs near memory
/// speed, and that can resume from an earlier request's layout: an agent's next request repeats the previous one's
/// bytes up to its last messages, and those need not be walked again.
///
/// The walk checks structure only as far as it needs to find these ranges; a body it cannot follow yields nil, and the
/// caller falls back to a full JSON parse.
public struct RequestLayout: Sendable, Equatable {
    /// Byte ranges of the `messages` elements, in order.
    public private(set) var messages: [Range<Int>] = []
    /// Byte range of the `system` value, if the request has one.
    public private(set) var system: Range<Int>?
    /// Byte ranges of the other top-level values (`model`, `stream`, `metadata`, …), so a few can be read without
    /// parsing the whole body.
    public private(set) var members: [String: Range<Int>] = [:]
    /// How many leading elements of `messages` were taken from the earlier layout without being walked.
    public private(set) var reusedMessages = 0

    /// Walks the whole body.
    public init?(body: [UInt8]) {
        guard
            let layout = body.withUnsafeBufferPointer({
                var walk = Walk(bytes: $0)
                return walk.run(resuming: nil)
            })
        else { return nil }
        self = layout
    }

    /// Walks only what follows the longest run of `earlier`'s messages that lies within the first `commonPrefix` bytes,
    /// which the caller has checked are the same bytes as the earlier body's.
    public init?(body: [UInt8], resuming earlier: RequestLayout, commonPrefix: Int) {
        let kept = earlier.messages.prefix { $0.upperBound <= commonPrefix }.count
        // The system prompt, when it precedes the messages, must lie within the common prefix as well.
        guard kept > 0, earlier.system.map({ $0.upperBound <= commonPrefix || $0.lowerBound > earlier.messages[kept - 1].upperBound }) ?? true
        else {
            self.init(body: body)
            return
        }
        var start = RequestLayout()
        start.messages = Array(earlier.messages.prefix(kept))
        start.reusedMessages = kept
        if let system = earlier.system, system.upperBound <= commonPrefix { start.system = system }
        start.members = earlier.members.filter { $0.value.upperBound <= commonPrefix }
        guard
            let layout = body.withUnsafeBufferPointer({
                var walk = Walk(bytes: $0)
                return walk.run(resuming: start)
            })
        else { return nil }
        self = layout
    }

    /// This layout with the messages it shares with `earlier` marked as reused, exactly as if it had been walked by
    /// resuming from `earlier`: for a caller that already walked the whole body for other reasons.
    public func reusing(_ earlier: RequestLayout, commonPrefix: Int) -> RequestLayout {
        let kept = earlier.messages.prefix { $0.upperBound <= commonPrefix }.count
        guard kept > 0, earlier.system.map({ $0.upperBound <= commonPrefix || $0.lowerBound > earlier.messages[kept - 1].upperBound }) ?? true
        else { return self }
        var layout = self
        layout.reusedMessages = kept
        return layout
    }

    private init() {}

    /// The length of the common prefix of two byte arrays, compared a block at a time with `memcmp`.
    public static func commonPrefix(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let limit = min(a.count, b.count)
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                var offset = 0
                let block = 4096
                while offset + block <= limit, memcmp(x.baseAddress! + offset, y.baseAddress! + offset, block) == 0 { offset += block }
                while offset < limit, x[offset] == y[offset] { offset += 1 }
                return offset
            }
        }
    }

    /// The walk itself: a cursor over the bytes and the structure it expects next.
    private struct Walk {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func run(resuming start: RequestLayout?) -> RequestLayout? {
            var layout = start ?? RequestLayout()
            if let start {
                // Resume after the last kept message, inside the messages array.
                position = start.messages[start.messages.count - 1].upperBound
                guard elements(into: &layout, afterElement: true) else { return nil }
            } else {
                skipSpace()
                guard byte == UInt8(ascii: "{") else { return nil }
                position += 1
                skipSpace()
                if byte == UInt8(ascii: "}") { return layout }
                guard member(into: &layout) else { return nil }
            }
            while true {
                skipSpace()
                if byte == UInt8(ascii: "}") { return layout }
                guard byte == UInt8(ascii: ",") else { return nil }
                position += 1
                guard member(into: &layout) else { return nil }
            }
        }

        /// One `"key": value` of the top-level object.
        private mutating func member(into layout: inout RequestLayout) -> Bool {
            skipSpace()
            let keyStart = position + 1
            guard byte == UInt8(ascii: "\""), skipString() else { return false }
            let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<(position - 1)])
            skipSpace()
            guard byte == UInt8(ascii: ":") else { return false }
            position += 1
            skipSpace()
            if key.elementsEqual("messages".utf8), byte == UInt8(ascii: "[") {
                position += 1
                return elements(into: &layout, afterElement: false)
            }
            let valueStart = position
            guard skipValue() else { return false }
            if key.elementsEqual("system".utf8) {
                layout.system = valueStart..<position
            } else {
                layout.members[String(decoding: key, as: UTF8.self)] = valueStart..<position
            }
            return true
        }

        /// The elements of the messages array up to its closing bracket.
        private mutating func elements(into layout: inout RequestLayout, afterElement: Bool) -> Bool {
            var expectSeparator = afterElement
            while true {
                skipSpace()
                if byte == UInt8(ascii: "]") {
                    position += 1
                    return true
                }
                if expectSeparator {
                    guard byte == UInt8(ascii: ",") else { return false }
                    position += 1
                    skipSpace()
                }
                let start = position
                guard skipValue() else { return false }
                layout.messages.append(start..<position)
                expectSeparator = true
            }
        }

        private var byte: UInt8 { position < bytes.count ? bytes[position] : 0 }

        private mutating func skipSpace() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
                position += 1
            }
        }

        /// From an opening quote to just past its closing quote; the contents are skipped with `memchr`.
        private mutating func skipString() -> Bool {
            var from = position + 1
            while from < bytes.count {
                guard let hit = memchr(bytes.baseAddress! + from, Int32(UInt8(ascii: "\"")), bytes.count - from) else { return false }
                let quote = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var backslashes = 0
                while quote - backslashes - 1 > position, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
                if backslashes % 2 == 0 {
                    position = quote + 1
                    return true
                }
                from = quote + 1
            }
            return false
        }

        /// Any value: a string, an object or array (nesting counted, strings inside skipped), or a scalar.
        private mutating func skipValue() -> Bool {
            switch byte {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while position < bytes.count {
                    switch bytes[position] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            position += 1
                            return true
                        }
                    default:
                        break
                    }
                    position += 1
                }
                return false
            case 0:
                return false
            default:
                let start = position
                while position < bytes.count, !Self.endsScalar(bytes[position]) { position += 1 }
                return position > start
            }
        }

        private static func endsScalar(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20 || byte == 0x0A
                || byte == 0x0D || byte == 0x09
        }
    }
}
