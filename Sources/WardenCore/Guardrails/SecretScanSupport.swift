import Foundation

/// A stretch of the scanned bytes as a regex subject whose UTF-16 offsets equal UTF-8 byte offsets: every byte outside
/// ASCII becomes U+001A (SUB), so one byte is one code unit. All built-in patterns are ASCII, so nothing is lost.
///
/// Only the search range plus the pattern's look-around reach (see `PatternReach`) is copied, so matches are those of
/// the whole text while the cost stays proportional to the range; ranges going in and out are offsets into the text.
struct RegexSubject {
    let bytes: [UInt8]
    private let base: Int
    private let string: String

    /// A subject covering `range` widened by `reach` on both sides, or the whole text when `reach` is nil.
    init(_ bytes: [UInt8], covering range: Range<Int>, reach: Int?) {
        self.bytes = bytes
        let lower = reach.map { max(0, range.lowerBound - $0) } ?? 0
        let upper = reach.map { min(bytes.count, range.upperBound + $0) } ?? bytes.count
        self.base = lower
        self.string = String(unsafeUninitializedCapacity: upper - lower) { buffer in
            for index in lower..<upper {
                let byte = bytes[index]
                buffer[index - lower] = byte < 0x80 ? byte : 0x1A
            }
            return upper - lower
        }
    }

    /// Calls `body` with every match of `pattern` inside `window`; look-arounds may see past the window. Group ranges
    /// are offsets into the text, nil for a group that did not take part.
    func forEachMatch(of pattern: CompiledPattern, in window: Range<Int>, _ body: (RegexMatch) -> Void) {
        let range = NSRange(location: window.lowerBound - base, length: window.count)
        for result in pattern.regex.matches(in: string, options: [.withTransparentBounds], range: range) {
            body(RegexMatch(result: result, base: base))
        }
    }

    /// The match of `pattern` starting exactly at `start`, searching up to the end of `window`.
    func match(of pattern: CompiledPattern, at start: Int, in window: Range<Int>) -> RegexMatch? {
        let range = NSRange(location: start - base, length: window.upperBound - start)
        return pattern.regex.firstMatch(in: string, options: [.anchored, .withTransparentBounds], range: range).map {
            RegexMatch(result: $0, base: base)
        }
    }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
}

/// `prefix + mask(secret) + suffix` for a secret found in `bytes`, context trimmed to `context` bytes each side and
/// never containing the secret.
func secretExcerpt(_ bytes: [UInt8], match: Range<Int>, secret: Range<Int>, context: Int = 32, visiblePrefix: Int = 4) -> String {
    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    let before = max(match.lowerBound, secret.lowerBound - context)..<secret.lowerBound
    let after = secret.upperBound..<min(match.upperBound, secret.upperBound + context)
    let masked = Masking.mask(text(secret), visiblePrefix: visiblePrefix)
    return escapingNewlines(text(before) + masked + text(after))
}

/// `text` with each line feed written as `\n`. Bytes are rewritten directly for ASCII without CR (Foundation's
/// search, kept for the rest, finds the same line feeds there, only slower).
private func escapingNewlines(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return text.replacingOccurrences(of: "\n", with: "\\n") }
    var escaped: [UInt8] = []
    escaped.reserveCapacity(bytes.count)
    for byte in bytes {
        if byte == 0x0A {
            escaped += [0x5C, 0x6E]
        } else {
            escaped.append(byte)
        }
    }
    return String(decoding: escaped, as: UTF8.self)
}

/// One match of a `RegexSubject`, with group ranges translated back to offsets into the scanned text.
struct RegexMatch {
    let result: NSTextCheckingResult
    let base: Int

    var range: Range<Int>? { range(at: 0) }

    func range(at group: Int) -> Range<Int>? { Range(result.range(at: group)).map { ($0.lowerBound + base)..<($0.upperBound + base) } }
}

extension Range where Bound == Int {
    init?(_ range: NSRange) {
        guard range.location != NSNotFound else { return nil }
        self = range.location..<(range.location + range.length)
    }
}

/// Sorted, merged windows around keyword occurrences.
func mergedWindows(starts: [Int], before: Int, after: Int, limit: Int) -> [Range<Int>] {
    var windows: [Range<Int>] = []
    for start in starts.sorted() {
        let lower = max(0, start - before)
        let upper = min(limit, start + after)
        if let last = windows.last, lower <= last.upperBound {
            windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, upper)
        } else {
            windows.append(lower..<upper)
        }
    }
    return windows
}

extension [Range<Int>] {
    /// The windows (sorted and disjoint, as `mergedWindows` makes them) holding at least one of `positions` (sorted).
    func filter(containingAnyOf positions: [Int]) -> [Range<Int>] {
        var next = 0
        return filter { window in
            while next < positions.count && positions[next] < window.lowerBound { next += 1 }
            return next < positions.count && positions[next] < window.upperBound
        }
    }
}
