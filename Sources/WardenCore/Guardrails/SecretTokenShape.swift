/// A provider token of the simplest shape, `(?<![A-Za-z0-9_-])(PREFIX[class]{minimum,maximum})(?![A-Za-z0-9_-])`
/// (the form `token` rules take), matched on the bytes instead of with a regular expression.
///
/// Such tokens are most of the built-in rules, and each of their keyword occurrences used to cost a regex call with
/// its fixed overhead and a UTF-16 copy of the subject; here it is a few byte comparisons. A body class inside the
/// boundary class makes the regex's backtracking moot: the run of body bytes after the prefix is taken whole, and
/// there is a match exactly when its length is in bounds and the byte after it is not a boundary byte (a shorter
/// run would be followed by a body byte). The run stops at the search limit as the regex's does, while the boundary
/// checks see past it, as its look-arounds do with transparent bounds.
struct SecretTokenShape: Sendable {
    /// Alternative literal prefixes, exact case; none is a prefix of another.
    let prefixes: [[UInt8]]
    let body: ByteClass
    let minimum: Int
    let maximum: Int

    /// The byte range of the token starting at `start` whose body ends by `limit`, if there is one.
    func match(_ text: UnsafeBufferPointer<UInt8>, at start: Int, limit: Int) -> Range<Int>? {
        if start > 0 && ByteClass.base64URL.contains(text[start - 1]) { return nil }
        guard let prefix = prefixes.first(where: { Self.hasPrefix(text, $0, at: start, limit: limit) }) else { return nil }
        let bodyStart = start + prefix.count
        var end = bodyStart
        while end < limit && end - bodyStart <= maximum && body.contains(text[end]) { end += 1 }
        let length = end - bodyStart
        guard length >= minimum && length <= maximum else { return nil }
        if end < text.count && ByteClass.base64URL.contains(text[end]) { return nil }
        return start..<end
    }

    private static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8], at start: Int, limit: Int) -> Bool {
        guard start + prefix.count <= limit else { return false }
        for (offset, byte) in prefix.enumerated() where text[start + offset] != byte { return false }
        return true
    }
}

extension SecretTokenShape {
    /// The shape of a `token` rule's body pattern, or nil when it is not `LITERALS[CLASS]{n}`, `{n,m}` or `{n,}`
    /// with a class inside `[A-Za-z0-9_-]`. Literals may hold `\.` and `(?:a|b)` groups of literals.
    init?(pattern: String) {
        var chars = Array(pattern.utf8)[...]
        var prefixes: [[UInt8]] = [[]]
        while let char = chars.first, char != UInt8(ascii: "[") {
            if char == UInt8(ascii: "\\") {
                guard chars.count >= 2, chars[chars.startIndex + 1] == UInt8(ascii: ".") else { return nil }
                prefixes = prefixes.map { $0 + [UInt8(ascii: ".")] }
                chars = chars.dropFirst(2)
            } else if char == UInt8(ascii: "(") {
                guard let close = chars.firstIndex(of: UInt8(ascii: ")")), chars.starts(with: "(?:".utf8) else { return nil }
                let alternatives = chars[(chars.startIndex + 3)..<close].split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
                guard alternatives.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isLiteral) }) else { return nil }
                prefixes = prefixes.flatMap { prefix in alternatives.map { prefix + $0 } }
                chars = chars[(close + 1)...]
            } else {
                guard Self.isLiteral(char) else { return nil }
                prefixes = prefixes.map { $0 + [char] }
                chars = chars.dropFirst()
            }
        }
        guard let close = chars.firstIndex(of: UInt8(ascii: "]")), let body = Self.byteClass(chars[(chars.startIndex + 1)..<close]),
            let (minimum, maximum) = Self.bounds(chars[(close + 1)...]), !prefixes[0].isEmpty
        else { return nil }
        for (index, prefix) in prefixes.enumerated() {
            if prefixes.indices.contains(where: { $0 != index && prefixes[$0].starts(with: prefix) }) { return nil }
        }
        self.init(prefixes: prefixes, body: body, minimum: minimum, maximum: maximum)
    }

    private static func isLiteral(_ char: UInt8) -> Bool {
        ByteClass.alphanumerics.contains(char) || char == UInt8(ascii: "_") || char == UInt8(ascii: "-")
    }

    /// The class a bracket expression's inside denotes, when it is ranges and single bytes of `[A-Za-z0-9_-]` (a `-`
    /// only last).
    private static func byteClass(_ inside: ArraySlice<UInt8>) -> ByteClass? {
        var members = Set<UInt8>()
        var index = inside.startIndex
        while index < inside.endIndex {
            let char = inside[index]
            guard isLiteral(char) else { return nil }
            if char != UInt8(ascii: "-"), index + 2 < inside.endIndex, inside[index + 1] == UInt8(ascii: "-") {
                let last = inside[index + 2]
                guard ByteClass.alphanumerics.contains(last), char <= last else { return nil }
                members.formUnion(char...last)
                index += 3
            } else {
                guard char != UInt8(ascii: "-") || index + 1 == inside.endIndex else { return nil }
                members.insert(char)
                index += 1
            }
        }
        return members.isEmpty || !members.allSatisfy(isLiteral) ? nil : ByteClass { members.contains($0) }
    }

    /// `{n}`, `{n,m}` or `{n,}` (unbounded: `Int.max`), the whole of `text`.
    private static func bounds(_ text: ArraySlice<UInt8>) -> (Int, Int)? {
        guard text.first == UInt8(ascii: "{"), text.last == UInt8(ascii: "}"),
            text.dropFirst().dropLast().allSatisfy({ $0 &- 0x30 < 10 || $0 == UInt8(ascii: ",") })
        else { return nil }
        let parts = text.dropFirst().dropLast().split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard let minimum = parts.first.flatMap({ Int(String(decoding: $0, as: UTF8.self)) }) else { return nil }
        switch parts.count {
        case 1: return (minimum, minimum)
        case 2 where parts[1].isEmpty: return (minimum, Int.max)
        case 2:
            guard let maximum = Int(String(decoding: parts[1], as: UTF8.self)), maximum >= minimum else { return nil }
            return (minimum, maximum)
        default: return nil
        }
    }
}
