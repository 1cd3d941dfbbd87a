/// One byte form per JSON value, so two encodings of the same value — members in another order, other whitespace,
/// other string escapes — hash alike. Read straight from the bytes: Foundation's parser and writer cost more than the
/// rest of a request's pre-forward work together.
///
/// The form is what Python's `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` writes, except
/// that numbers keep their source text: members sorted by key (by code point), no whitespace, strings with only `"`,
/// `\` and control characters escaped (`\b \f \n \r \t`, else `\u00xx`). Members named in `dropping` are left out at
/// every depth.
public enum CanonicalJSON {
    /// Nil when the bytes are not one JSON value (or nest deeper than `maximumDepth`).
    public static func canonical(_ bytes: some Collection<UInt8>, dropping: Set<String> = []) -> [UInt8]? {
        reading(bytes, dropping: dropping.map { Array($0.utf8) }) { $0.document() }
    }

    /// A JSON string's value (escapes resolved), or nil when the bytes are not exactly one JSON string.
    public static func string(_ bytes: some Collection<UInt8>) -> String? {
        reading(bytes, dropping: []) { reader in
            reader.skipSpace()
            guard reader.peek == UInt8(ascii: "\""), let value = reader.stringValue() else { return nil }
            reader.skipSpace()
            return reader.atEnd ? String(decoding: value, as: UTF8.self) : nil
        }
    }

    /// Runs `body` on a reader over the bytes, in place when they are contiguous (a slice of a request body is).
    private static func reading<Result>(_ bytes: some Collection<UInt8>, dropping: [[UInt8]], _ body: (inout Reader) -> Result) -> Result {
        let inPlace = bytes.withContiguousStorageIfAvailable { buffer in
            var reader = Reader(bytes: buffer, dropping: dropping)
            return body(&reader)
        }
        if let inPlace { return inPlace }
        return Array(bytes).withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer, dropping: dropping)
            return body(&reader)
        }
    }

    /// Deep enough for any real message; a deeper value is refused rather than risking the stack.
    public static let maximumDepth = 256

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let dropping: [[UInt8]]
        var position = 0
        var output: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>, dropping: [[UInt8]]) {
            self.bytes = bytes
            self.dropping = dropping
            output.reserveCapacity(bytes.count)
        }

        var peek: UInt8 { position < bytes.count ? bytes[position] : 0 }
        var atEnd: Bool { position == bytes.count }

        mutating func document() -> [UInt8]? {
            skipSpace()
            guard value(depth: 0) else { return nil }
            skipSpace()
            return atEnd ? output : nil
        }

        mutating func skipSpace() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
                position += 1
            }
        }

        /// Appends the canonical form of the value at the cursor.
        private mutating func value(depth: Int) -> Bool {
            guard depth < CanonicalJSON.maximumDepth else { return false }
            switch peek {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""):
                guard let text = stringValue() else { return false }
                JSONString.append(text, to: &output)
                return true
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        private mutating func object(depth: Int) -> Bool {
            position += 1
            var members: [(key: [UInt8], value: [UInt8])] = []
            skipSpace()
            if peek == UInt8(ascii: "}") {
                position += 1
                output.append(contentsOf: "{}".utf8)
                return true
            }
            let outer = output
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\""), let key = stringValue() else { return false }
                skipSpace()
                guard peek == UInt8(ascii: ":") else { return false }
                position += 1
                skipSpace()
                output = []
                guard value(depth: depth + 1) else { return false }
                if !dropping.contains(key) { members.append((key, output)) }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard peek == UInt8(ascii: "}") else { return false }
                position += 1
                break
            }
            output = outer
            // Code point order is UTF-8 byte order; a stable sort keeps duplicate keys in source order.
            members.sort { $0.key.lexicographicallyPrecedes($1.key) }
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONString.append(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                output.append(contentsOf: member.value)
            }
            output.append(UInt8(ascii: "}"))
            return true
        }

        private mutating func array(depth: Int) -> Bool {
            position += 1
            output.append(UInt8(ascii: "["))
            skipSpace()
            if peek == UInt8(ascii: "]") {
                position += 1
                output.append(UInt8(ascii: "]"))
                return true
            }
            while true {
                skipSpace()
                guard value(depth: depth + 1) else { return false }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    position += 1
                    output.append(UInt8(ascii: ","))
                    continue
                }
                guard peek == UInt8(ascii: "]") else { return false }
                position += 1
                output.append(UInt8(ascii: "]"))
                return true
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            output.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: count))
            position += count
            return true
        }

        /// A number keeps its source text; only its characters are checked.
        private mutating func number() -> Bool {
            let start = position
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            guard position > start else { return false }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            return true
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }

        /// The UTF-8 bytes of the string at the cursor, escapes resolved; a lone surrogate becomes U+FFFD.
        mutating func stringValue() -> [UInt8]? {
            position += 1
            var value: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return value
                case UInt8(ascii: "\\"):
                    guard position + 1 < bytes.count else { return nil }
                    let escape = bytes[position + 1]
                    position += 2
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): value.append(escape)
                    case UInt8(ascii: "b"): value.append(0x08)
                    case UInt8(ascii: "f"): value.append(0x0C)
                    case UInt8(ascii: "n"): value.append(0x0A)
                    case UInt8(ascii: "r"): value.append(0x0D)
                    case UInt8(ascii: "t"): value.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        value.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    let start = position
                    position += 1
                    while position < bytes.count, JSONString.isPlain(bytes[position]) { position += 1 }
                    value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
                }
            }
            return nil
        }

        /// After `\u`: four hex digits, and a low surrogate's escape after a high one.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let first = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(first) {
                if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let mark = position
                    position += 2
                    if let second = hex4(), (0xDC00..<0xE000).contains(second) {
                        return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                    }
                    position = mark
                }
                return "\u{FFFD}"
            }
            return Unicode.Scalar(first) ?? "\u{FFFD}"
        }

        private mutating func hex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var result: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                result = result << 4 | UInt32(digit)
                position += 1
            }
            return result
        }
    }
}
