import Foundation

/// A compiled, immutable regular expression. `NSRegularExpression` is documented as safe to share between threads.
final class CompiledPattern: @unchecked Sendable {
    let regex: NSRegularExpression
    /// How far past a search range the pattern can look (see `PatternReach`); nil when no bound is evident.
    let reach: Int?

    init(_ regex: NSRegularExpression) {
        self.regex = regex
        self.reach = PatternReach.of(regex.pattern)
    }
}

/// Why a configured rule could not be built.
public enum SecretRuleError: Error, Equatable, CustomStringConvertible {
    case emptyID
    case invalidPattern(ruleID: String, pattern: String, reason: String)
    case secretGroupOutOfRange(ruleID: String, group: Int, groups: Int)
    case unknownValidator(ruleID: String, name: String)
    case unknownSeverity(ruleID: String, name: String)
    case nonASCIIKeyword(ruleID: String, keyword: String)

    public var description: String {
        switch self {
        case .emptyID: "secret rule has an empty id"
        case .invalidPattern(let id, let pattern, let reason): "secret rule '\(id)': invalid pattern \(pattern): \(reason)"
        case .secretGroupOutOfRange(let id, let group, let groups):
            "secret rule '\(id)': secret group \(group) does not exist (pattern has \(groups) capture groups)"
        case .unknownValidator(let id, let name):
            "secret rule '\(id)': unknown validator '\(name)' (known: \(SecretValidator.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unknownSeverity(let id, let name): "secret rule '\(id)': unknown severity '\(name)' (low, medium, high, critical)"
        case .nonASCIIKeyword(let id, let keyword):
            "secret rule '\(id)': keyword '\(keyword)' is not ASCII; the keyword pre-filter reads ASCII only, so give an ASCII part of it"
        }
    }
}

/// One credential format: a keyword pre-filter, a pattern, and the checks a match must pass to be reported.
public struct SecretRule: Sendable {
    public let id: String
    public let description: String
    public let severity: Finding.Severity
    /// Lower-cased literals; the pattern only runs near places where one occurs (case-insensitively) in the raw
    /// bytes. Empty means the pattern runs over the whole text.
    public let keywords: [String]
    public let pattern: String
    /// Capture group holding the secret (masked in the excerpt, checked for entropy and placeholders); 0 = whole match.
    public let secretGroup: Int
    public let validator: SecretValidator?
    /// Minimum Shannon entropy (bits per character) of the secret group.
    public let minimumEntropy: Double?
    /// Extra case-insensitive substrings that mark a value as a known placeholder, on top of `Placeholder.markers`.
    public let allowlist: [String]
    /// Whether the generic placeholder heuristics (markers, runs, sequences) apply; off for PEM bodies.
    public let checksPlaceholders: Bool
    /// How far before a keyword occurrence and after it the pattern may match.
    public let lookbehind: Int
    public let lookahead: Int
    let compiled: CompiledPattern
    /// Where the pattern can start and how far it can reach (see `SecretPrefilter`); only built-in rules have one.
    private(set) var prefilter: SecretPrefilter?
    /// When set, what the pattern matches, tried on the bytes at the prefilter's starts instead of the pattern.
    private(set) var shape: SecretTokenShape?
    /// The substrings that reject an ASCII secret, lower-case: `allowlist`, with `Placeholder.markers` when
    /// `checksPlaceholders`; nil when an allowlist entry is empty or not ASCII, where only the string search decides.
    private let rejectedSubstrings: SubstringSet?

    public init(
        id: String,
        description: String,
        severity: Finding.Severity,
        keywords: [String],
        pattern: String,
        secretGroup: Int? = nil,
        validator: SecretValidator? = nil,
        minimumEntropy: Double? = nil,
        allowlist: [String] = [],
        checksPlaceholders: Bool = true,
        lookbehind: Int = 128,
        lookahead: Int = 512
    ) throws(SecretRuleError) {
        guard !id.isEmpty else { throw .emptyID }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw .invalidPattern(ruleID: id, pattern: pattern, reason: "\(error)")
        }
        let group = secretGroup ?? (regex.numberOfCaptureGroups > 0 ? 1 : 0)
        guard group >= 0, group <= regex.numberOfCaptureGroups else {
            throw .secretGroupOutOfRange(ruleID: id, group: group, groups: regex.numberOfCaptureGroups)
        }
        self.id = id
        self.description = description
        self.severity = severity
        self.keywords = keywords.map { $0.lowercased() }.filter { !$0.isEmpty }
        self.pattern = pattern
        self.secretGroup = group
        self.validator = validator
        self.minimumEntropy = minimumEntropy
        self.allowlist = allowlist
        self.checksPlaceholders = checksPlaceholders
        self.lookbehind = lookbehind
        self.lookahead = lookahead
        self.compiled = CompiledPattern(regex)
        let lowered = allowlist.map { Array($0.lowercased().utf8) }
        self.rejectedSubstrings =
            lowered.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 < 0x80 } }
            ? SubstringSet((checksPlaceholders ? Placeholder.markerBytes : []) + lowered) : nil
    }

    /// Configuration-shaped description of a custom rule (e.g. decoded from YAML/JSON).
    public struct Configuration: Sendable, Codable, Equatable {
        public var id: String
        public var description: String?
        public var pattern: String
        public var keywords: [String]?
        public var severity: String?
        public var secretGroup: Int?
        public var minimumEntropy: Double?
        public var allowlist: [String]?
        public var validator: String?

        public init(
            id: String,
            description: String? = nil,
            pattern: String,
            keywords: [String]? = nil,
            severity: String? = nil,
            secretGroup: Int? = nil,
            minimumEntropy: Double? = nil,
            allowlist: [String]? = nil,
            validator: String? = nil
        ) {
            self.id = id
            self.description = description
            self.pattern = pattern
            self.keywords = keywords
            self.severity = severity
            self.secretGroup = secretGroup
            self.minimumEntropy = minimumEntropy
            self.allowlist = allowlist
            self.validator = validator
        }
    }

    /// Builds a custom rule from configuration values; throws a descriptive `SecretRuleError` for a bad pattern,
    /// severity, validator name or secret group.
    public init(configuration c: Configuration) throws(SecretRuleError) {
        var severity = Finding.Severity.high
        if let name = c.severity {
            guard let parsed = Finding.Severity.allCases.first(where: { $0.description == name.lowercased() }) else {
                throw .unknownSeverity(ruleID: c.id, name: name)
            }
            severity = parsed
        }
        // A keyword the pre-filter cannot see would keep the rule from ever running: refused rather than silently dead.
        if let keyword = c.keywords?.first(where: { !$0.utf8.allSatisfy { $0 < 0x80 } }) {
            throw .nonASCIIKeyword(ruleID: c.id, keyword: keyword)
        }
        var validator: SecretValidator?
        if let name = c.validator {
            guard let parsed = SecretValidator(rawValue: name) else { throw .unknownValidator(ruleID: c.id, name: name) }
            validator = parsed
        }
        try self.init(
            id: c.id,
            description: c.description ?? c.id,
            severity: severity,
            keywords: c.keywords ?? [],
            pattern: c.pattern,
            secretGroup: c.secretGroup,
            validator: validator,
            minimumEntropy: c.minimumEntropy,
            allowlist: c.allowlist ?? []
        )
    }

    /// Whether a candidate secret value passes the rule's checks (validator, entropy, placeholders).
    public func accepts(_ secret: String) -> Bool {
        if let minimumEntropy, Entropy.shannon(secret) < minimumEntropy { return false }
        if checksPlaceholders {
            if Placeholder.isPlaceholder(secret, extra: allowlist) { return false }
        } else {
            let lowered = secret.lowercased()
            let searchable = SearchableText(lowered)
            if allowlist.contains(where: { searchable.contains($0.lowercased()) }) { return false }
        }
        if let validator, !validator.isValid(secret) { return false }
        return true
    }

    /// As `accepts(_:)`, for a secret in the scanned bytes. An ASCII secret is checked on its bytes, which decide the
    /// same as the string checks there without the copies they make of every candidate (a PEM body is kilobytes).
    func accepts(_ secret: ArraySlice<UInt8>) -> Bool {
        guard let rejectedSubstrings, secret.allSatisfy({ $0 < 0x80 }) else { return accepts(String(decoding: secret, as: UTF8.self)) }
        if let minimumEntropy, Entropy.shannon(secret) < minimumEntropy { return false }
        let lowered = secret.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        if rejectedSubstrings.occurs(in: lowered) { return false }
        if checksPlaceholders && Placeholder.isPlaceholderShape(ascii: Array(secret), lowered: lowered) { return false }
        if let validator, !validator.isValid(String(decoding: secret, as: UTF8.self)) { return false }
        return true
    }
}

extension SecretRule {
    /// A copy whose pattern is tried only where `prefilter` admits a start.
    func prefiltered(by prefilter: SecretPrefilter) -> SecretRule {
        var copy = self
        copy.prefilter = prefilter
        return copy
    }

    /// A copy tried only at its keywords' occurrences, for a pattern every match of which starts with one of its
    /// keywords (up to case): one anchored attempt there instead of a search through the window around it.
    func startingAtKeywords() -> SecretRule {
        prefiltered(by: SecretPrefilter(anchors: keywords) { _, _, _ in true })
    }

    /// A copy matched by `shape`, which must match what the pattern does, at the occurrences of its prefixes.
    func matched(by shape: SecretTokenShape) -> SecretRule {
        var copy = self
        copy.shape = shape
        copy.prefilter = SecretPrefilter(anchors: shape.prefixes.map { String(decoding: $0, as: UTF8.self).lowercased() }) { text, position, _ in
            shape.match(text, at: position, limit: text.count) != nil
        }
        return copy
    }
}
