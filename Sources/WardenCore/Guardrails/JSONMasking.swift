import Foundation

/// Hides values inside a JSON document's raw bytes without re-encoding it: each value is found as it is written
/// inside a JSON string and overwritten in place with a mask of the same length. The rest of the document stays
/// byte-exact, and in a recorded event stream every event keeps its offset.
public enum JSONMasking {
    /// The document with every occurrence of every value masked, and the values not found at all. A value that is in
    /// the document's text but was not found (written with unusual escapes) must be hidden another way (`reencoded`).
    public static func mask(_ document: [UInt8], values: [[UInt8]]) -> (masked: [UInt8], missing: Set<[UInt8]>) {
        var output = document
        var missing: Set<[UInt8]> = []
        for value in Set(values) where !value.isEmpty {
            var found = false
            for form in Set(forms(of: value)) {
                for start in occurrences(of: form, in: output) {
                    overwrite(&output, start..<(start + form.count), prefix: visiblePrefix(form))
                    found = true
                }
            }
            if !found { missing.insert(value) }
        }
        return (output, missing)
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
        let attempt = mask(document, values: present + possible)
        let unfound = attempt.missing.intersection(present)
        if unfound.isEmpty { return attempt.masked }
        return reencoded(attempt.masked, values: Array(unfound)) ?? attempt.masked
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

    /// Start offsets of every non-overlapping occurrence of `needle`.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var starts: [Int] = []
        let first = needle[0]
        let last = haystack.count - needle.count
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
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
