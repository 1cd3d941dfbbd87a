import Foundation

/// Byte-level rules shared by the C2SP text formats (signed-note, tlog-checkpoint, tlog-witness, tlog-proof).
///
/// Everything works on UTF-8 bytes, never on `Character`s: Swift folds "\r\n" into one `Character` and compares strings
/// by canonical equivalence, while these formats are defined over bytes, and two spellings that Swift calls equal must
/// stay different here.
enum NoteText {
    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// U+2014 EM DASH then a space: the start of every signature line.
    static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

    /// Only the canonical standard base64 (RFC 4648 §4, padded, unused bits zero) of some bytes is accepted, so that
    /// one value has exactly one spelling and a signed or re-serialised text cannot be altered without changing values.
    static func decodeBase64(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.allSatisfy(isBase64Symbol) else { return nil }
        let string = String(decoding: text, as: UTF8.self)
        guard let data = Data(base64Encoded: string), data.base64EncodedString() == string else { return nil }
        return Array(data)
    }

    static func encodeBase64(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// A decimal as every C2SP size, index and timestamp is written: ASCII digits only, no sign, and no leading zero
    /// unless the value is zero; so each number has exactly one spelling.
    static func decodeDecimal(_ text: some Collection<UInt8>, maximum: UInt64 = .max) -> UInt64? {
        guard let first = text.first, text.count <= 20 else { return nil }
        if first == UInt8(ascii: "0") && text.count > 1 { return nil }
        var value: UInt64 = 0
        for byte in text {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowA && !overflowB else { return nil }
            value = sum
        }
        return value <= maximum ? value : nil
    }

    /// The offset of the first ASCII control character (below U+0020) other than newline, which signed notes forbid.
    static func firstControlCharacter(in bytes: some Collection<UInt8>) -> Int? {
        for (offset, byte) in bytes.enumerated() where byte < 0x20 && byte != newline {
            return offset
        }
        return nil
    }

    static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    /// The start of the last occurrence of `pattern`, as Go's `bytes.LastIndex`.
    static func lastIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start..<start + pattern.count].elementsEqual(pattern) { return start }
            start -= 1
        }
        return nil
    }

    /// The start of the first occurrence of `pattern`, as Go's `bytes.Index`.
    static func firstIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start..<start + pattern.count].elementsEqual(pattern) {
            return start
        }
        return nil
    }

    /// Splits newline-terminated text into its lines, or nil when the text does not end with a newline.
    static func terminatedLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        guard bytes.last == newline else { return nil }
        return bytes.dropLast().split(separator: newline, omittingEmptySubsequences: false)
    }

    static func hasPrefix(_ bytes: some Collection<UInt8>, _ prefix: String) -> Bool {
        bytes.starts(with: prefix.utf8)
    }

    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    static func keyIDHex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func isBase64Symbol(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): true
        default: false
        }
    }
}
