import Foundation

/// Hides values inside a JSON document's raw bytes without re-encoding it: each value is found as it is written
/// inside a JSON string and overwritten in place with a mask of the same length. The rest of the document stays
/// byte-exact, and in a recorded event stream every event keeps its offset.
public enum JSONMasking {
    /// The document with every occurrence of every value masked, the values not found, and where the masks went.
    /// Only bytes from `searchFrom` on are searched; before it, `reusing` gives the places to mask (where an earlier
    /// document with the same leading bytes was masked). A value that is in the document's text but was not found
    /// (written with unusual escapes) must be hidden another way (`reencoded`).
    public static func mask(_ document: [UInt8], values: [[UInt8]], searchFrom: Int = 0, reusing earlier: [MaskedSpan] = []) -> MaskedDocument {
        var output = document
        var spans: [MaskedSpan] = []
        for span in earlier where span.range.upperBound <= document.count {
            overwrite(&output, span.range, prefix: span.visible)
            spans.append(span)
        }
        let values = Set(values).filter { $0.count >= 2 }
        var patterns: [(form: [UInt8], value: [UInt8])] = []
        for value in values {
            for form in Set(forms(of: value)) { patterns.append((form, value)) }
        }
        var found: Set<[UInt8]> = []
        // A few patterns are each found fastest with memchr on their first byte; many at once, in one pass.
        let matches =
            patterns.count <= 8
            ? patterns.indices.flatMap { index in occurrences(of: patterns[index].form, in: document, from: searchFrom).map { ($0, index) } }
            : PatternSet(patterns.map(\.form)).matches(in: document, from: searchFrom)
        for (start, index) in matches {
            let form = patterns[index].form
            let span = MaskedSpan(range: start..<(start + form.count), visible: visiblePrefix(form))
            overwrite(&output, span.range, prefix: span.visible)
            spans.append(span)
            found.insert(patterns[index].value)
        }
        return MaskedDocument(bytes: output, missing: values.subtracting(found), spans: spans)
    }

    /// The masked form a value takes in a recording: the start of the value, then stars to its full length.
    public static func masked(_ value: [UInt8]) -> [UInt8] {
        var copy = value
        overwrite(&copy, 0..<copy.count, prefix: visiblePrefix(value))
        return copy
    }

    /// Re-encodes a document with the values masked inside every string. Loses the original bytes' exact form, so it is
    /// the fallback for values `mask` could not find; nil when the document is not JSON.
    public static func reencoded(_ document: [UInt8], values: [[UInt8]]) -> [UInt8]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(document), options: [.fragmentsAllowed]) else { return nil }
        let texts = Set(values).filter { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
        func walk(_ value: Any) -> Any {
            if let text = value as? String {
                return texts.reduce(text) { $0.replacingOccurrences(of: $1, with: String(decoding: masked(Array($1.utf8)), as: UTF8.self)) }
            }
            if let object = value as? [String: Any] { return object.mapValues(walk) }
            if let array = value as? [Any] { return array.map(walk) }
            return value
        }
        let data = try? JSONSerialization.data(withJSONObject: walk(object), options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return data.map { Array($0) }
    }

    /// Hides values whichever way works: in place where they are found, by re-encoding for those of `present` (values
    /// known to be in the document's text) that were not; a document that is not JSON at all is masked in place as far
    /// as the values occur in it. Values only `possible` (remembered from earlier documents) are hidden where found.
    public static func hide(_ document: [UInt8], values present: [[UInt8]], possible: [[UInt8]] = []) -> [UInt8] {
        guard !present.isEmpty || !possible.isEmpty else { return document }
        return hidingUnfound(mask(document, values: present + possible), present: present).bytes
    }

    /// Re-encodes a masked document for the values of `present` that masking did not find; spans no longer apply then.
    public static func hidingUnfound(_ masked: MaskedDocument, present: [[UInt8]]) -> MaskedDocument {
        let unfound = masked.missing.intersection(present)
        guard !unfound.isEmpty, let reencoded = reencoded(masked.bytes, values: Array(unfound)) else { return masked }
        return MaskedDocument(bytes: reencoded, missing: masked.missing.subtracting(unfound), spans: [], reencoded: true)
    }

    /// The ways a value can be written inside a JSON string: as is, minimally escaped, with `/` escaped too, and escaped
    /// twice (a JSON document inside a JSON string, as a tool call's `partial_json` is).
    public static func forms(of value: [UInt8]) -> [[UInt8]] {
        let escaped = escape(value)
        return [value, escaped, escape(value, slashes: true), escape(escaped)]
    }

    /// JSON string escaping as encoders write it: quote, backslash and control characters.
    public static func escape(_ value: [UInt8], slashes: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        let hex = Array("0123456789abcdef".utf8)
        for byte in value {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "/") where slashes: output += [UInt8(ascii: "\\"), UInt8(ascii: "/")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: output += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: output += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20: output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        return output
    }

    /// Many byte strings looked for in one pass: a bitmap of their first two bytes lets most positions be passed over
    /// with one load and one test.
    struct PatternSet {
        private let patterns: [[UInt8]]
        private var bitmap = [UInt64](repeating: 0, count: 1024)
        private var buckets: [UInt16: [Int]] = [:]

        init(_ patterns: [[UInt8]]) {
            self.patterns = patterns
            for (index, pattern) in patterns.enumerated() where pattern.count >= 2 {
                let key = UInt16(pattern[0]) << 8 | UInt16(pattern[1])
                bitmap[Int(key >> 6)] |= 1 << (key & 63)
                buckets[key, default: []].append(index)
            }
        }

        /// Every (start, pattern index) at or after `from`, overlapping ones included.
        func matches(in text: [UInt8], from: Int) -> [(Int, Int)] {
            guard !buckets.isEmpty, text.count >= 2 else { return [] }
            var found: [(Int, Int)] = []
            text.withUnsafeBufferPointer { bytes in
                bitmap.withUnsafeBufferPointer { bits in
                    var position = max(0, from)
                    while position + 1 < bytes.count {
                        let key = UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
                        if bits[Int(key >> 6)] & (1 << (key & 63)) != 0 {
                            for index in buckets[key] ?? [] {
                                let pattern = patterns[index]
                                if position + pattern.count <= bytes.count,
                                    pattern.withUnsafeBufferPointer({ memcmp(bytes.baseAddress! + position, $0.baseAddress!, pattern.count) }) == 0
                                {
                                    found.append((position, index))
                                }
                            }
                        }
                        position += 1
                    }
                }
            }
            return found
        }
    }

    /// Start offsets of every non-overlapping occurrence of `needle`.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var starts: [Int] = []
        let first = needle[0]
        let last = haystack.count - needle.count
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = max(0, from)
                while index <= last {
                    guard let hit = memchr(hay.baseAddress! + index, Int32(first), last - index + 1) else { break }
                    let position = hay.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(hay.baseAddress! + position, pin.baseAddress!, needle.count) == 0 {
                        starts.append(position)
                        index = position + needle.count
                    } else {
                        index = position + 1
                    }
                }
            }
        }
        return starts
    }

    /// Up to four leading bytes stay readable (at most a quarter of the value), unless they hold an escape sequence.
    private static func visiblePrefix(_ form: [UInt8]) -> Int {
        let shown = min(4, form.count / 4)
        return form.prefix(shown).contains(UInt8(ascii: "\\")) ? 0 : shown
    }

    private static func overwrite(_ bytes: inout [UInt8], _ range: Range<Int>, prefix: Int) {
        for index in range.dropFirst(prefix) { bytes[index] = UInt8(ascii: "*") }
    }
}

/// A document with values masked, and where the masks went.
public struct MaskedDocument: Sendable {
    public var bytes: [UInt8]
    /// Values found nowhere in the searched bytes.
    public var missing: Set<[UInt8]>
    /// Where masks went; empty once the document was re-encoded, as positions no longer match the original.
    public var spans: [MaskedSpan]
    public var reencoded: Bool

    public init(bytes: [UInt8], missing: Set<[UInt8]> = [], spans: [MaskedSpan] = [], reencoded: Bool = false) {
        self.bytes = bytes
        self.missing = missing
        self.spans = spans
        self.reencoded = reencoded
    }
}

/// One masked place: the bytes overwritten and how many leading ones stayed readable.
public struct MaskedSpan: Sendable, Equatable {
    public var range: Range<Int>
    public var visible: Int

    public init(range: Range<Int>, visible: Int) {
        self.range = range
        self.visible = visible
    }
}
