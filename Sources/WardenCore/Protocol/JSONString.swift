/// Writes JSON strings byte by byte: only `"`, `\` and control characters are escaped, everything else is copied.
/// Shared by the canonical form of messages and the store's encodings of headers, which run for every exchange,
/// where Foundation's encoder cost more than the rest of the record.
public enum JSONString {
    /// Appends `value` (UTF-8) as a quoted JSON string.
    public static func append(_ value: some Collection<UInt8>, to output: inout [UInt8]) {
        // Native strings and arrays are contiguous: read them through a buffer, which the optimiser specialises.
        if value.withContiguousStorageIfAvailable({ append(buffer: $0, to: &output) }) != nil { return }
        append(buffer: Array(value), to: &output)
    }

    private static func append<Bytes: RandomAccessCollection<UInt8>>(buffer value: Bytes, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var run = value.startIndex
        var index = value.startIndex
        while index != value.endIndex {
            let byte = value[index]
            if isPlain(byte) {
                value.formIndex(after: &index)
                continue
            }
            output.append(contentsOf: value[run..<index])
            appendEscape(byte, to: &output)
            value.formIndex(after: &index)
            run = index
        }
        output.append(contentsOf: value[run..<index])
        output.append(UInt8(ascii: "\""))
    }

    /// A byte a JSON string holds as itself.
    public static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    private static func appendEscape(_ byte: UInt8, to output: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), backslash: output.append(contentsOf: [backslash, byte])
        case 0x08: output.append(contentsOf: [backslash, UInt8(ascii: "b")])
        case 0x0C: output.append(contentsOf: [backslash, UInt8(ascii: "f")])
        case 0x0A: output.append(contentsOf: [backslash, UInt8(ascii: "n")])
        case 0x0D: output.append(contentsOf: [backslash, UInt8(ascii: "r")])
        case 0x09: output.append(contentsOf: [backslash, UInt8(ascii: "t")])
        default:
            let digits = Array("0123456789abcdef".utf8)
            output.append(contentsOf: [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
    }
}
