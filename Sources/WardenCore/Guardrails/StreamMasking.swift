import Foundation

/// Hides values in a recorded event stream. A value the model streams is cut across many deltas, so it is looked for
/// in each content block's concatenated delta strings, and every delta that carries part of it has that part
/// overwritten in place. Events keep their length, so the recorded event offsets stay right.
public enum StreamMasking {
    /// One delta string as the stream carried it: where its JSON string sits in the recorded bytes, and the bytes it
    /// decodes to.
    struct Piece {
        var block: Int
        /// Offset of the piece's first byte within its block's concatenated strings.
        var offset: Int
        var decoded: [UInt8]
        /// Recorded byte range of each decoded byte's escape sequence (or of the byte itself).
        var sources: [Range<Int>]
    }

    /// The recorded stream with every occurrence of every value masked (as written in a text, thinking or tool input
    /// delta, plain or JSON-escaped), and the values found in no delta.
    public static func mask(_ body: [UInt8], events: [EventMark], values: [[UInt8]]) -> (masked: [UInt8], missing: Set<[UInt8]>) {
        let values = Set(values).filter { !$0.isEmpty }
        guard !values.isEmpty else { return (body, []) }
        let pieces = self.pieces(body, events: events)
        var blocks: [Int: [UInt8]] = [:]
        var piecesByBlock: [Int: [Piece]] = [:]
        for piece in pieces {
            blocks[piece.block, default: []] += piece.decoded
            piecesByBlock[piece.block, default: []].append(piece)
        }
        var output = body
        var missing: Set<[UInt8]> = []
        for value in values {
            var found = false
            for (block, text) in blocks {
                for form in Set([value, JSONMasking.escape(value)]) {
                    for start in JSONMasking.occurrences(of: form, in: text) {
                        found = true
                        hide(start..<(start + form.count), among: piecesByBlock[block] ?? [], in: &output)
                    }
                }
            }
            if !found { missing.insert(value) }
        }
        return (output, missing)
    }

    /// Overwrites the recorded bytes behind a range of a block's concatenated strings.
    private static func hide(_ range: Range<Int>, among pieces: [Piece], in output: inout [UInt8]) {
        for piece in pieces {
            let start = max(range.lowerBound, piece.offset)
            let end = min(range.upperBound, piece.offset + piece.decoded.count)
            guard start < end else { continue }
            for index in start..<end {
                for byte in piece.sources[index - piece.offset] { output[byte] = UInt8(ascii: "*") }
            }
        }
    }

    /// The delta strings of every `content_block_delta` event, in stream order.
    static func pieces(_ body: [UInt8], events: [EventMark]) -> [Piece] {
        var pieces: [Piece] = []
        var lengths: [Int: Int] = [:]
        for mark in events where mark.offset + mark.length <= body.count {
            let range = mark.offset..<(mark.offset + mark.length)
            guard let marker = JSONMasking.occurrences(of: deltaMarker, in: Array(body[range])).first else { continue }
            let start = range.lowerBound + marker + deltaMarker.count
            guard let data = dataJSON(body, range), let index = data["index"] as? Int,
                let delta = data["delta"] as? [String: Any], let field = deltaField(delta["type"] as? String)
            else { continue }
            guard let string = stringValue(named: field, in: body, from: start, to: range.upperBound) else { continue }
            pieces.append(Piece(block: index, offset: lengths[index, default: 0], decoded: string.decoded, sources: string.sources))
            lengths[index, default: 0] += string.decoded.count
        }
        return pieces
    }

    private static let deltaMarker = Array(#""delta""#.utf8)

    private static func deltaField(_ type: String?) -> String? {
        switch type {
        case "text_delta": "text"
        case "thinking_delta": "thinking"
        case "input_json_delta": "partial_json"
        default: nil
        }
    }

    /// The event's `data:` JSON object; events carry one data line, as the API sends them.
    private static func dataJSON(_ body: [UInt8], _ range: Range<Int>) -> [String: Any]? {
        let event = body[range]
        guard let open = event.firstIndex(of: UInt8(ascii: "{")), let close = event.lastIndex(of: UInt8(ascii: "}")), open < close else {
            return nil
        }
        return try? JSONSerialization.jsonObject(with: Data(body[open...close])) as? [String: Any]
    }

    /// Finds `"field":"…"` after `from` and decodes the string, keeping for each decoded byte the recorded bytes of the
    /// escape sequence it came from.
    static func stringValue(named field: String, in body: [UInt8], from: Int, to end: Int) -> (decoded: [UInt8], sources: [Range<Int>])? {
        let key = Array("\"\(field)\"".utf8)
        guard let keyAt = JSONMasking.occurrences(of: key, in: Array(body[from..<end])).first else { return nil }
        var position = from + keyAt + key.count
        while position < end, body[position] != UInt8(ascii: "\"") {
            guard body[position] == UInt8(ascii: ":") || body[position] == 0x20 else { return nil }
            position += 1
        }
        position += 1
        var decoded: [UInt8] = []
        var sources: [Range<Int>] = []
        while position < end {
            let byte = body[position]
            if byte == UInt8(ascii: "\"") { return (decoded, sources) }
            guard byte == UInt8(ascii: "\\"), position + 1 < end else {
                decoded.append(byte)
                sources.append(position..<(position + 1))
                position += 1
                continue
            }
            let escape = body[position + 1]
            if escape == UInt8(ascii: "u") {
                guard let (scalar, length) = unicodeEscape(body, at: position, end: end) else { return nil }
                let bytes = Array(String(Character(scalar)).utf8)
                decoded += bytes
                sources += Array(repeating: position..<(position + length), count: bytes.count)
                position += length
            } else {
                let simple: [UInt8: UInt8] = [
                    UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09, UInt8(ascii: "b"): 0x08,
                    UInt8(ascii: "f"): 0x0C, UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"),
                    UInt8(ascii: "/"): UInt8(ascii: "/"),
                ]
                guard let value = simple[escape] else { return nil }
                decoded.append(value)
                sources.append(position..<(position + 2))
                position += 2
            }
        }
        return nil
    }

    /// A `\uXXXX` escape, or a surrogate pair of two, with the number of recorded bytes it takes.
    private static func unicodeEscape(_ body: [UInt8], at position: Int, end: Int) -> (Unicode.Scalar, Int)? {
        func unit(_ at: Int) -> UInt32? {
            guard at + 6 <= end, body[at] == UInt8(ascii: "\\"), body[at + 1] == UInt8(ascii: "u") else { return nil }
            return UInt32(String(decoding: body[(at + 2)..<(at + 6)], as: UTF8.self), radix: 16)
        }
        guard let high = unit(position) else { return nil }
        if (0xD800..<0xDC00).contains(high), let low = unit(position + 6), (0xDC00..<0xE000).contains(low) {
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).map { ($0, 12) }
        }
        return (Unicode.Scalar(high) ?? "\u{FFFD}", 6)
    }
}
