import Foundation

/// The scanned bytes as a regex subject whose UTF-16 offsets equal the UTF-8 byte offsets: every byte outside ASCII
/// becomes U+001A (SUB), so one byte is one code unit. All built-in patterns are ASCII, so nothing is lost.
struct RegexSubject {
    let bytes: [UInt8]
    let string: String

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.string = String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte < 0x80 ? byte : 0x1A }
            return bytes.count
        }
    }

    /// Calls `body` with every match of `pattern` inside `window`; look-arounds may see past the window.
    func forEachMatch(of pattern: CompiledPattern, in window: Range<Int>, _ body: (NSTextCheckingResult) -> Void) {
        let range = NSRange(location: window.lowerBound, length: window.count)
        for result in pattern.regex.matches(in: string, options: [.withTransparentBounds], range: range) { body(result) }
    }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// `prefix + mask(secret) + suffix`, context trimmed to `context` bytes each side and never containing the secret.
    func excerpt(match: Range<Int>, secret: Range<Int>, context: Int = 32, visiblePrefix: Int = 4) -> String {
        let before = max(match.lowerBound, secret.lowerBound - context)..<secret.lowerBound
        let after = secret.upperBound..<min(match.upperBound, secret.upperBound + context)
        let masked = Masking.mask(text(secret), visiblePrefix: visiblePrefix)
        return (text(before) + masked + text(after)).replacingOccurrences(of: "\n", with: "\\n")
    }
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
