/// A cheap test that tells where a built-in rule's pattern can match, so the pattern is tried only there.
///
/// Every match of the rule's pattern starts at an occurrence of one of `anchors` (compared case-insensitively) at
/// which `admits` holds, and the pattern has no `^`, `$`, `\A`, `\z`, `\Z` or `\G` (which would see where a search
/// starts or stops). So the matches in a window are found by trying the pattern anchored at each admitted occurrence
/// in turn, skipping those inside the previous match, and a window without one has no match at all. This spares
/// scanning whole windows for rules whose keywords are everyday words (`sk`, `pat`, `token`) or whose windows are long
/// (private keys).
///
/// `extent`, when set, bounds how far the match tried at a start can reach: the offset past which no match from
/// there extends, or past which the engine need not look before finding the match it reports (a lazy body stops at
/// the first terminator). The attempt then only copies and searches up to there, which matters because Foundation
/// copies the whole subject for every attempt.
struct SecretPrefilter: Sendable {
    /// Lower-case literals.
    let anchors: [String]
    /// Whether a match can start at the occurrence of an anchor of `length` bytes at `position`.
    let admits: @Sendable (_ text: UnsafeBufferPointer<UInt8>, _ position: Int, _ length: Int) -> Bool
    var extent: (@Sendable (_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int)?

    init(
        anchors: [String],
        extent: (@Sendable (_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int)? = nil,
        admits: @escaping @Sendable (_ text: UnsafeBufferPointer<UInt8>, _ position: Int, _ length: Int) -> Bool
    ) {
        self.anchors = anchors
        self.extent = extent
        self.admits = admits
    }

    /// A copy for patterns whose matches consist of `characters` only: a match ends where their run does.
    func within(_ characters: ByteClass) -> SecretPrefilter {
        var copy = self
        copy.extent = { text, start in
            var end = start
            while end < text.count && characters.contains(text[end]) { end += 1 }
            return end
        }
        return copy
    }
}

extension SecretPrefilter {
    /// For patterns that start with `prefix` (exact case) followed by at least `count` bytes of `body`.
    static func token(_ prefix: String, then body: ByteClass, count: Int) -> SecretPrefilter {
        let expected = Array(prefix.utf8)
        return SecretPrefilter(anchors: [prefix.lowercased()]) { text, position, _ in
            let end = position + expected.count
            guard end + count <= text.count else { return false }
            for offset in 0..<expected.count where text[position + offset] != expected[offset] { return false }
            for index in end..<(end + count) where !body.contains(text[index]) { return false }
            return true
        }
    }

    /// For `(BEGIN[\s\S]{minimumBody,}?END)` patterns: the lazy body ends at the first `end` (exact case) that
    /// leaves room for it, so the match reaches no further than that.
    static func block(_ begin: String, _ end: String, minimumBody: Int) -> SecretPrefilter {
        let terminator = Array(end.utf8)
        var prefilter = token(begin, then: .alphanumerics, count: 0)
        prefilter.extent = { text, start in
            var index = start + begin.utf8.count + minimumBody
            while index + terminator.count <= text.count {
                if text[index] == terminator[0] && (1..<terminator.count).allSatisfy({ text[index + $0] == terminator[$0] }) {
                    return index + terminator.count
                }
                index += 1
            }
            return start
        }
        return prefilter
    }

    /// For `(?i:name1|name2…)[A-Za-z0-9_.-]{0,gap}(?i:key)…` patterns: `key` follows the name within `gap` name
    /// characters.
    static func keyName(_ names: [String], gap: Int) -> SecretPrefilter {
        SecretPrefilter(anchors: names) { text, position, length in
            var index = position + length
            for _ in 0...gap {
                if index + 3 <= text.count, text[index] | 0x20 == UInt8(ascii: "k"), text[index + 1] | 0x20 == UInt8(ascii: "e"),
                    text[index + 2] | 0x20 == UInt8(ascii: "y")
                {
                    return true
                }
                guard index < text.count, ByteClass.nameCharacters.contains(text[index]) else { return false }
                index += 1
            }
            return false
        }
    }

    /// For the generic assignment rule: a secret word not glued to a preceding letter or digit, at most
    /// `nameLength` more name characters, then `['"]?\s*(?::=|=>|==|=|:)\s*['"]?` and at least `valueLength` value
    /// characters. The name must end where the run of name characters does, since none of what follows it is one.
    ///
    /// The match ends at most a quote, the spaces, a two-byte operator, the spaces again, a quote, `maximumValue`
    /// value characters and a closing quote past that run: the extent, so an attempt in a long window of assignments
    /// copies and searches only its own line's worth.
    static func assignment(_ words: [String], nameLength: Int, valueLength: Int, maximumValue: Int) -> SecretPrefilter {
        var prefilter = SecretPrefilter(anchors: words) { text, position, length in
            if position > 0 && ByteClass.alphanumerics.contains(text[position - 1]) { return false }
            var index = position + length
            while index < text.count && ByteClass.nameCharacters.contains(text[index]) { index += 1 }
            guard index - position - length <= nameLength else { return false }
            if index < text.count && ByteClass.quotes.contains(text[index]) { index += 1 }
            index = skipSpaces(text, from: index)
            guard index < text.count, text[index] == UInt8(ascii: ":") || text[index] == UInt8(ascii: "=") else { return false }
            if hasValue(text, from: index + 1, valueLength) { return true }
            guard index + 1 < text.count else { return false }
            let second = text[index + 1]
            let twoByteOperator =
                second == UInt8(ascii: "=") || (text[index] == UInt8(ascii: "=") && second == UInt8(ascii: ">"))
            return twoByteOperator && hasValue(text, from: index + 2, valueLength)
        }
        prefilter.extent = { text, start in
            var index = start
            while index < text.count && ByteClass.nameCharacters.contains(text[index]) { index += 1 }
            if index < text.count && ByteClass.quotes.contains(text[index]) { index += 1 }
            index = skipSpaces(text, from: index)
            index = skipSpaces(text, from: min(text.count, index + 2))
            return min(text.count, index + 1 + maximumValue + 1)
        }
        return prefilter
    }

    private static func skipSpaces(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < text.count && ByteClass.spaces.contains(text[index]) { index += 1 }
        return index
    }

    /// `\s*['"]?` then at least `length` characters outside `ByteClass.valueTerminators`.
    private static func hasValue(_ text: UnsafeBufferPointer<UInt8>, from start: Int, _ length: Int) -> Bool {
        var index = skipSpaces(text, from: start)
        if index < text.count && ByteClass.quotes.contains(text[index]) { index += 1 }
        guard index + length <= text.count else { return false }
        for offset in index..<(index + length) where ByteClass.valueTerminators.contains(text[offset]) { return false }
        return true
    }
}

/// A set of byte values, tested with one table lookup.
struct ByteClass: Sendable {
    private let members: [Bool]

    init(_ test: (UInt8) -> Bool) { members = (0...255).map { test(UInt8($0)) } }

    init(ascii characters: String) {
        let bytes = Set(characters.utf8)
        self.init { bytes.contains($0) }
    }

    func contains(_ byte: UInt8) -> Bool { members[Int(byte)] }

    static let alphanumerics = ByteClass { $0 &- 0x30 < 10 || ($0 | 0x20) &- 0x61 < 26 }
    static let hexDigits = ByteClass { $0 &- 0x30 < 10 || $0 &- 0x61 < 6 }
    static let base64URL = ByteClass { alphanumerics.contains($0) || $0 == 0x5F || $0 == 0x2D }
    /// `[A-Za-z0-9_.-]`: JWT segments and their dots.
    static let dottedBase64URL = ByteClass { base64URL.contains($0) || $0 == 0x2E }
    /// `[A-Za-z0-9_.-]`, the characters of a variable or key name.
    static let nameCharacters = ByteClass { alphanumerics.contains($0) || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D }
    static let quotes = ByteClass(ascii: "'\"")
    /// ICU's `\s` on an ASCII subject.
    static let spaces = ByteClass { $0 == 0x20 || $0 &- 0x09 < 5 }
    /// What `[^\s'"`,;(){}\[\]<>$|]` excludes.
    static let valueTerminators = ByteClass { spaces.contains($0) || "'\"`,;(){}[]<>$|".utf8.contains($0) }
}
