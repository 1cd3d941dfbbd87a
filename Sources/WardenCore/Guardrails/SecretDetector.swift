import Foundation

/// Finds provider credentials, private keys, tokens and passwords in text.
///
/// Each rule runs only near occurrences of its keywords (one Aho–Corasick pass over the raw bytes finds them all), so
/// rules whose keywords are absent cost nothing. Built-in rules with a `SecretPrefilter` try their pattern only where
/// it says a match can start; those with a `SecretTokenShape` are matched on the bytes there instead. A match is
/// reported when its secret group passes the rule's validator, entropy floor and placeholder allowlist. Findings'
/// ranges cover the secret group; when two rules report the same secret span, only the first rule in `rules` order
/// (the more specific one) is kept.
public struct SecretDetector: Detector {
    public let rules: [SecretRule]
    private let index: KeywordIndex
    /// For each rule, indices into `index.keywords` of its keywords and of its prefilter's anchors.
    private let ruleKeywords: [[Int]]
    private let ruleAnchors: [[Int]]
    /// For each keyword, the rules it opens windows for; a rule none of whose keywords occurs cannot match, so a text
    /// costs only the rules its keywords call for, not every rule. Rules without keywords are in `unkeyedRules`.
    private let keywordRules: [[Int]]
    private let unkeyedRules: [Int]

    public init(rules: [SecretRule] = SecretDetector.builtinRules, customRules: [SecretRule] = []) {
        let all = customRules + rules
        self.rules = all
        var keywordIDs: [String: Int] = [:]
        var keywords: [String] = []
        func ids(_ literals: [String]) -> [Int] {
            literals.map { literal in
                if let id = keywordIDs[literal] { return id }
                keywordIDs[literal] = keywords.count
                keywords.append(literal)
                return keywords.count - 1
            }
        }
        self.ruleKeywords = all.map { ids($0.keywords) }
        self.ruleAnchors = all.map { ids($0.prefilter?.anchors ?? []) }
        self.index = KeywordIndex(keywords: keywords)
        var keywordRules = [[Int]](repeating: [], count: keywords.count)
        for (ruleIndex, ids) in ruleKeywords.enumerated() {
            for id in ids { keywordRules[id].append(ruleIndex) }
        }
        self.keywordRules = keywordRules
        self.unkeyedRules = all.indices.filter { all[$0].keywords.isEmpty }
    }

    public func scan(_ text: [UInt8]) -> [Finding] {
        guard !text.isEmpty else { return [] }
        let occurrences = index.occurrences(in: text)
        var findings: [Finding] = []
        var reported = Set<Range<Int>>()
        var called = unkeyedRules
        for (keyword, positions) in occurrences.enumerated() where !positions.isEmpty { called += keywordRules[keyword] }
        for ruleIndex in Set(called).sorted() {
            let rule = rules[ruleIndex]
            // Where a prefiltered rule can match; with no such place, skip it before merging its windows.
            let starts = rule.prefilter.map { admittedAnchors(of: $0, ids: ruleAnchors[ruleIndex], occurrences, text) }
            if let starts, starts.isEmpty { continue }
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
            func report(match: Range<Int>?, secret: Range<Int>?) {
                guard let match, let secret, !secret.isEmpty, !reported.contains(secret), rule.accepts(text[secret]) else { return }
                reported.insert(secret)
                findings.append(
                    Finding(
                        ruleID: rule.id,
                        category: .secret,
                        severity: rule.severity,
                        range: secret,
                        excerpt: secretExcerpt(text, match: match, secret: secret)
                    )
                )
            }
            guard let prefilter = rule.prefilter, let starts else {
                for window in windows {
                    let subject = RegexSubject(text, covering: window, reach: rule.compiled.reach)
                    subject.forEachMatch(of: rule.compiled, in: window) { report(match: $0.range, secret: $0.range(at: rule.secretGroup)) }
                }
                continue
            }
            var next = 0
            for window in windows {
                while next < starts.count && starts[next] < window.lowerBound { next += 1 }
                var resume = window.lowerBound
                while next < starts.count && starts[next] < window.upperBound {
                    let start = starts[next]
                    next += 1
                    guard start >= resume else { continue }
                    let extent = prefilter.extent.map { bound in text.withUnsafeBufferPointer { bound($0, start) } }
                    let span = start..<max(start, min(window.upperBound, extent ?? window.upperBound))
                    if let shape = rule.shape {
                        guard let token = text.withUnsafeBufferPointer({ shape.match($0, at: start, limit: span.upperBound) }) else { continue }
                        resume = token.upperBound
                        report(match: token, secret: token)
                        continue
                    }
                    let subject = RegexSubject(text, covering: span, reach: rule.compiled.reach)
                    guard let result = subject.match(of: rule.compiled, at: start, in: span) else { continue }
                    resume = result.range?.upperBound ?? resume
                    report(match: result.range, secret: result.range(at: rule.secretGroup))
                }
            }
        }
        return findings.sorted { ($0.range.lowerBound, $0.ruleID) < ($1.range.lowerBound, $1.ruleID) }
    }

    /// Sorted, distinct offsets of the anchor occurrences `prefilter` admits: the only places a match can start.
    private func admittedAnchors(of prefilter: SecretPrefilter, ids: [Int], _ occurrences: [[Int]], _ text: [UInt8]) -> [Int] {
        text.withUnsafeBufferPointer { bytes in
            var admitted: [Int] = []
            for id in ids {
                let length = index.keywords[id].count
                for position in occurrences[id] where prefilter.admits(bytes, position, length) { admitted.append(position) }
            }
            return Array(Set(admitted)).sorted()
        }
    }
}
