import Foundation

/// Finds provider credentials, private keys, tokens and passwords in text.
///
/// Each rule runs only near occurrences of its keywords (one Aho–Corasick pass over the raw bytes finds them all), so
/// rules whose keywords are absent cost nothing. A match is reported when its secret group passes the rule's
/// validator, entropy floor and placeholder allowlist. Findings' ranges cover the secret group; when two rules report
/// the same secret span, only the first rule in `rules` order (the more specific one) is kept.
public struct SecretDetector: Detector {
    public let rules: [SecretRule]
    private let index: KeywordIndex
    /// For each rule, indices into `index.keywords`.
    private let ruleKeywords: [[Int]]

    public init(rules: [SecretRule] = SecretDetector.builtinRules, customRules: [SecretRule] = []) {
        let all = customRules + rules
        self.rules = all
        var keywordIDs: [String: Int] = [:]
        var keywords: [String] = []
        var ruleKeywords: [[Int]] = []
        for rule in all {
            var ids: [Int] = []
            for keyword in rule.keywords {
                if let id = keywordIDs[keyword] {
                    ids.append(id)
                } else {
                    keywordIDs[keyword] = keywords.count
                    ids.append(keywords.count)
                    keywords.append(keyword)
                }
            }
            ruleKeywords.append(ids)
        }
        self.index = KeywordIndex(keywords: keywords)
        self.ruleKeywords = ruleKeywords
    }

    public func scan(_ text: [UInt8]) -> [Finding] {
        guard !text.isEmpty else { return [] }
        let occurrences = index.occurrences(in: text)
        var subject: RegexSubject?
        var findings: [Finding] = []
        var reported = Set<Range<Int>>()
        for (ruleIndex, rule) in rules.enumerated() {
            let windows: [Range<Int>]
            if rule.keywords.isEmpty {
                windows = [0..<text.count]
            } else {
                var starts: [Int] = []
                for keyword in ruleKeywords[ruleIndex] { starts += occurrences[keyword] }
                if starts.isEmpty { continue }
                windows = mergedWindows(
                    starts: starts,
                    before: rule.lookbehind,
                    after: rule.lookahead,
                    limit: text.count
                )
            }
            if subject == nil { subject = RegexSubject(text) }
            guard let subject else { continue }
            for window in windows {
                subject.forEachMatch(of: rule.compiled, in: window) { result in
                    guard let match = Range(result.range), let secret = Range(result.range(at: rule.secretGroup)),
                        !secret.isEmpty, !reported.contains(secret)
                    else { return }
                    guard rule.accepts(subject.text(secret)) else { return }
                    reported.insert(secret)
                    findings.append(
                        Finding(
                            ruleID: rule.id,
                            category: .secret,
                            severity: rule.severity,
                            range: secret,
                            excerpt: subject.excerpt(match: match, secret: secret)
                        )
                    )
                }
            }
        }
        return findings.sorted { ($0.range.lowerBound, $0.ruleID) < ($1.range.lowerBound, $1.ruleID) }
    }
}
