/// Something a guardrail detector found in a prompt or an answer. It never holds the matched value itself, only
/// where it is and a masked excerpt, so findings can be stored, logged and alerted on without spreading a secret.
public struct Finding: Sendable, Equatable, Codable {
    public enum Category: String, Sendable, Codable, CaseIterable {
        case secret
        case personalData = "personal_data"
        case unsafeCode = "unsafe_code"
    }

    public enum Severity: Int, Sendable, Codable, Comparable, CaseIterable, CustomStringConvertible {
        case low = 1
        case medium
        case high
        case critical

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .low: "low"
            case .medium: "medium"
            case .high: "high"
            case .critical: "critical"
            }
        }
    }

    /// Stable identifier, e.g. `aws-access-key-id`, `pii-payment-card`, `py-subprocess-shell-true`.
    public var ruleID: String
    public var category: Category
    public var severity: Severity
    /// UTF-8 byte offsets of the match within the scanned text.
    public var range: Range<Int>
    /// The match with its secret part masked (see `Masking`), safe to store and show.
    public var excerpt: String

    public init(ruleID: String, category: Category, severity: Severity, range: Range<Int>, excerpt: String) {
        self.ruleID = ruleID
        self.category = category
        self.severity = severity
        self.range = range
        self.excerpt = excerpt
    }
}

/// A set of rules that looks at text and reports findings. Detectors are pure and thread-safe: the gateway runs the
/// same instance on many exchanges at once.
public protocol Detector: Sendable {
    /// `text` is UTF-8 bytes; offsets in findings are byte offsets into it.
    func scan(_ text: [UInt8]) -> [Finding]
}

/// How matched values are shown: enough to recognise which credential it was, never enough to use it.
public enum Masking {
    /// Keeps the first `visiblePrefix` characters (at most a quarter of the value) and replaces the rest with `*`,
    /// capped so the excerpt does not even reveal the value's exact length beyond 8 masked characters.
    public static func mask(_ value: String, visiblePrefix: Int = 4) -> String {
        // ASCII without CR LF has one character per byte: skip grapheme breaking, which costs much on long keys.
        let bytes = Array(value.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) && !zip(bytes, bytes.dropFirst()).contains(where: { $0 == (0x0D, 0x0A) }) {
            let shown = min(visiblePrefix, bytes.count / 4)
            return String(decoding: bytes.prefix(shown), as: UTF8.self) + String(repeating: "*", count: min(8, max(1, bytes.count - shown)))
        }
        let characters = Array(value)
        let shown = min(visiblePrefix, characters.count / 4)
        return String(characters.prefix(shown)) + String(repeating: "*", count: min(8, max(1, characters.count - shown)))
    }
}
