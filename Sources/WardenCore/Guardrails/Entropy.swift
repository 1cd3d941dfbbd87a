import Foundation

/// Helpers that decide whether a matched value looks random enough to be a real credential, or is an obvious
/// placeholder from documentation, a template or a test fixture.
public enum Entropy {
    /// Shannon entropy in bits per byte of `value` (0 for empty input, at most 8).
    public static func shannon(_ value: some Collection<UInt8>) -> Double {
        guard !value.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in value { counts[Int(byte)] += 1 }
        let total = Double(value.count)
        var entropy = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / total
            entropy -= p * Foundation.log2(p)
        }
        return entropy
    }

    /// Shannon entropy in bits per character of the UTF-8 bytes of `value`.
    public static func shannon(_ value: String) -> Double { shannon(Array(value.utf8)) }
}

/// Recognises values that are placeholders rather than credentials: `AKIAIOSFODNN7EXAMPLE`, `<your-token>`, `${TOKEN}`,
/// `changeme`, `xxxxxxxx`, runs of one character and obviously sequential values such as `1234567890abcdef`.
public enum Placeholder {
    /// Substrings (compared case-insensitively) that mark a value as a placeholder wherever they occur.
    public static let markers: [String] = [
        "example", "xxxx", "your_", "your-", "yourkey", "yourtoken", "yoursecret", "<", ">", "${", "{{", "%(", "changeme",
        "change_me", "change-me", "placeholder", "dummy", "redacted", "sample", "****", "...", "insert_", "replace_me",
        "replaceme", "not_a_real", "notreal", "fake_", "-fake-", "00000000-0000",
    ]

    /// Whole values (compared case-insensitively) that are never real secrets.
    public static let exactValues: Set<String> = [
        "password", "passwd", "secret", "pass", "pwd", "changeme", "admin", "root", "test", "testing", "token", "none",
        "null", "nil", "true", "false", "undefined", "hunter2", "letmein", "qwerty", "12345678", "123456789", "1234567890",
        "password123", "secret123", "mysecret", "mypassword", "default", "empty", "string", "value", "foobar", "foo",
        "bar", "baz",
    ]

    /// Whether `value` is an obvious placeholder. `extra` adds rule-specific allowlisted substrings.
    public static func isPlaceholder(_ value: String, extra: [String] = []) -> Bool {
        let lowered = value.lowercased()
        if exactValues.contains(lowered) { return true }
        let searchable = SearchableText(lowered)
        for marker in markers where searchable.contains(marker) { return true }
        for marker in extra where searchable.contains(marker.lowercased()) { return true }
        let bytes = Array(value.utf8)
        return hasLongRun(bytes) || isSequential(bytes)
    }

    /// `markers` as bytes, lower-case.
    static let markerBytes = markers.map { Array($0.utf8) }
    private static let longestExactValue = exactValues.map(\.utf8.count).max() ?? 0

    /// The checks of `isPlaceholder(_:extra:)` other than the substring markers, for an ASCII value given as its bytes
    /// and their lower-case form; the markers are looked for together with a rule's allowlist (see `SecretRule`).
    static func isPlaceholderShape(ascii bytes: [UInt8], lowered: [UInt8]) -> Bool {
        if lowered.count <= longestExactValue && exactValues.contains(String(decoding: lowered, as: UTF8.self)) { return true }
        return hasLongRun(bytes) || isSequential(bytes)
    }

    /// A run of six or more identical characters (`aaaaaa`, `000000`): real random tokens essentially never have one.
    public static func hasLongRun(_ bytes: [UInt8], minimum: Int = 6) -> Bool {
        var run = 1
        for index in bytes.indices.dropFirst() {
            if bytes[index] == bytes[index - 1] {
                run += 1
                if run >= minimum { return true }
            } else {
                run = 1
            }
        }
        return false
    }

    /// Mostly ascending or descending alphanumerics (`abcdefgh`, `123456789`, `9876543210`).
    public static func isSequential(_ bytes: [UInt8]) -> Bool {
        let alnum = bytes.filter { isAlphanumeric($0) }
        guard alnum.count >= 8 else { return false }
        var ascending = 0
        var descending = 0
        for index in alnum.indices.dropFirst() {
            let step = Int(alnum[index]) - Int(alnum[index - 1])
            if step == 1 || (alnum[index - 1] == UInt8(ascii: "9") && alnum[index] == UInt8(ascii: "0")) { ascending += 1 }
            if step == -1 { descending += 1 }
        }
        let pairs = Double(alnum.count - 1)
        return Double(ascending) / pairs >= 0.7 || Double(descending) / pairs >= 0.7
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

/// A string searched for many substrings, as `String.contains` from Foundation would, but byte by byte when the string
/// and the substring are ASCII and the substring is not empty: there Foundation's search finds the same, only far
/// slower, and detectors ask this dozens of times for every candidate secret.
struct SearchableText {
    let text: String
    private let bytes: [UInt8]
    private let isASCII: Bool

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        isASCII = bytes.allSatisfy { $0 < 0x80 }
    }

    func contains(_ part: String) -> Bool {
        let needle = Array(part.utf8)
        guard isASCII, !needle.isEmpty, needle.allSatisfy({ $0 < 0x80 }) else { return text.contains(part) }
        guard needle.count <= bytes.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if (1..<needle.count).allSatisfy({ bytes[start + $0] == needle[$0] }) { return true }
        }
        return false
    }
}
