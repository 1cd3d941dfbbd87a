/// How far outside its search range an ICU pattern can look when matched with transparent bounds.
///
/// Matching in a slice of the text instead of the whole text gives the same matches as long as the slice covers the
/// search range plus this reach on each side: only look-arounds and word boundaries see past the range (`^`, `$`, `\A`
/// and `\z` stop at it under anchoring bounds either way). Copying a short slice instead of the whole text matters
/// because Foundation hands the regex engine a UTF-16 copy of the entire subject on every call.
enum PatternReach {
    /// An upper bound, in characters, or nil when no bound is evident: a look-around with a quantifier, a
    /// back-reference or a quoted `\Q…\E` run, all of which can reach arbitrarily far.
    static func of(_ pattern: String) -> Int? {
        let chars = Array(pattern.utf8)
        var reach = 0
        var index = 0
        var classDepth = 0
        while index < chars.count {
            let char = chars[index]
            if char == UInt8(ascii: "\\") {
                guard index + 1 < chars.count else { return reach }
                let escaped = chars[index + 1]
                if escaped == UInt8(ascii: "Q") { return nil }
                if classDepth == 0 && (escaped == UInt8(ascii: "b") || escaped == UInt8(ascii: "B")) { reach += 1 }
                index += 2
                continue
            }
            if char == UInt8(ascii: "[") {
                classDepth += 1
            } else if char == UInt8(ascii: "]") && classDepth > 0 {
                classDepth -= 1
            } else if classDepth == 0 && char == UInt8(ascii: "("), let body = lookaroundBody(chars, openingAt: index) {
                guard let width = boundedWidth(chars[body]) else { return nil }
                reach += width
                index = body.upperBound
                continue
            }
            index += 1
        }
        return reach
    }

    /// For `(?=`, `(?!`, `(?<=` or `(?<!` at `open`, the range of the group's body (up to its closing parenthesis).
    private static func lookaroundBody(_ chars: [UInt8], openingAt open: Int) -> Range<Int>? {
        guard open + 2 < chars.count, chars[open + 1] == UInt8(ascii: "?") else { return nil }
        var start = open + 2
        if chars[start] == UInt8(ascii: "<") { start += 1 }
        guard start < chars.count, chars[start] == UInt8(ascii: "=") || chars[start] == UInt8(ascii: "!") else { return nil }
        start += 1
        var depth = 1
        var classDepth = 0
        var index = start
        while index < chars.count {
            let char = chars[index]
            if char == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if char == UInt8(ascii: "[") {
                classDepth += 1
            } else if char == UInt8(ascii: "]") && classDepth > 0 {
                classDepth -= 1
            } else if classDepth == 0 && char == UInt8(ascii: "(") {
                depth += 1
            } else if classDepth == 0 && char == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return start..<index }
            }
            index += 1
        }
        return start..<chars.count
    }

    /// The body's length when it has no quantifier or back-reference: each pattern character then matches at most
    /// one text character (an escape or a bracketed class is several pattern characters for one text character).
    private static func boundedWidth(_ body: ArraySlice<UInt8>) -> Int? {
        var classDepth = 0
        var previous: UInt8 = 0
        var index = body.startIndex
        while index < body.endIndex {
            let char = body[index]
            if char == UInt8(ascii: "\\") {
                guard index + 1 < body.endIndex else { return nil }
                let escaped = body[index + 1]
                if (escaped >= UInt8(ascii: "0") && escaped <= UInt8(ascii: "9")) || escaped == UInt8(ascii: "k")
                    || escaped == UInt8(ascii: "Q")
                {
                    return nil
                }
                previous = 0
                index += 2
                continue
            }
            if char == UInt8(ascii: "[") {
                classDepth += 1
            } else if char == UInt8(ascii: "]") && classDepth > 0 {
                classDepth -= 1
            } else if classDepth == 0 {
                switch char {
                case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{"): return nil
                case UInt8(ascii: "?") where previous != UInt8(ascii: "("): return nil
                default: break
                }
            }
            previous = char
            index += 1
        }
        return body.count
    }
}
