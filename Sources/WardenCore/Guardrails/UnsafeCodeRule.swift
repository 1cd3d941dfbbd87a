import Foundation

/// A compiled regular expression that can be shared between threads: `NSRegularExpression` is immutable and
/// documented thread-safe for matching.
final class UnsafeCodePattern: @unchecked Sendable {
    let regex: NSRegularExpression
    let source: String

    init(_ pattern: String) throws {
        self.regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        self.source = pattern
    }
}

/// One unsafe-code pattern: where it applies, how bad it is, and how to recognise it.
public struct UnsafeCodeRule: Sendable {
    /// Stable identifier, e.g. `py-subprocess-shell-interpolated`.
    public let id: String
    /// The languages the rule runs on; `.unknown` makes it run on blocks of unknown language too.
    public let languages: Set<CodeLanguage>
    public let severity: Finding.Severity
    public let description: String
    /// Lower-case strings of which at least one must occur in the code (compared case-insensitively) before the
    /// pattern runs. Empty means always run the pattern.
    public let keywords: [[UInt8]]
    /// The pattern (ICU syntax, `^`/`$` match at lines). A capture group named `hit` narrows the finding's range.
    public let pattern: String
    /// A match is dropped when its line(s) match this (or the whole nearby window, see `negativeInWindow`).
    public let negativePattern: String?
    /// Whether `negativePattern` is checked over the `nearbyLines` window rather than the match's lines.
    public let negativeInWindow: Bool
    /// When set, a match is kept only if this matches within `nearbyLines` lines of it.
    public let nearbyPattern: String?
    public let nearbyLines: Int
    /// When set, the whole block must match this for the rule to apply (e.g. an import).
    public let blockRequires: String?
    /// When set, a block matching this is skipped entirely (e.g. a deserialisation filter is installed).
    public let blockExcludes: String?

    let compiled: UnsafeCodePattern
    let negative: UnsafeCodePattern?
    let nearby: UnsafeCodePattern?
    let required: UnsafeCodePattern?
    let excluded: UnsafeCodePattern?
    let hasHitGroup: Bool
    /// Strings (lower-case, compared case-insensitively) of which every match contains one; empty when not worked
    /// out. Unlike `keywords` this is no part of the rule's meaning: it only spares running a pattern that cannot match.
    private(set) var necessary: [[UInt8]] = []

    public init(
        id: String,
        languages: Set<CodeLanguage>,
        severity: Finding.Severity,
        description: String,
        keywords: [String],
        pattern: String,
        negativePattern: String? = nil,
        negativeInWindow: Bool = false,
        nearbyPattern: String? = nil,
        nearbyLines: Int = 3,
        blockRequires: String? = nil,
        blockExcludes: String? = nil
    ) throws {
        self.id = id
        self.languages = languages
        self.severity = severity
        self.description = description
        self.keywords = keywords.map { Array($0.lowercased().utf8) }
        self.pattern = pattern
        self.negativePattern = negativePattern
        self.negativeInWindow = negativeInWindow
        self.nearbyPattern = nearbyPattern
        self.nearbyLines = nearbyLines
        self.blockRequires = blockRequires
        self.blockExcludes = blockExcludes
        self.compiled = try UnsafeCodePattern(pattern)
        self.negative = try negativePattern.map(UnsafeCodePattern.init)
        self.nearby = try nearbyPattern.map(UnsafeCodePattern.init)
        self.required = try blockRequires.map(UnsafeCodePattern.init)
        self.excluded = try blockExcludes.map(UnsafeCodePattern.init)
        self.hasHitGroup = pattern.contains("(?<hit>")
    }
}

extension UnsafeCodeRule {
    /// A copy that is skipped on blocks holding none of `literals`, which every match of its pattern contains.
    func requiring(anyOf literals: [String]) -> UnsafeCodeRule {
        var copy = self
        copy.necessary = literals.map { Array($0.lowercased().utf8) }
        return copy
    }
}
