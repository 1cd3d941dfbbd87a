import Testing

@testable import WardenCore

/// A prefilter or a token shape only decides where a rule's pattern is tried, or stands in for it; neither may
/// change what the rule finds. Each built-in rule is compared with the same rule built from its pattern alone.
@Suite("Secret prefilters find what the pattern finds")
struct SecretPrefilterEquivalenceTests {
    private static func plain(_ rule: SecretRule) throws -> SecretRule {
        try SecretRule(
            id: rule.id,
            description: rule.description,
            severity: rule.severity,
            keywords: rule.keywords,
            pattern: rule.pattern,
            secretGroup: rule.secretGroup,
            validator: rule.validator,
            minimumEntropy: rule.minimumEntropy,
            allowlist: rule.allowlist,
            checksPlaceholders: rule.checksPlaceholders,
            lookbehind: rule.lookbehind,
            lookahead: rule.lookahead
        )
    }

    /// The corpus one sample at a time, all of it as one text (so windows merge and occurrences crowd), and each
    /// sample with its case flipped and glued to its neighbours.
    private static let texts: [[UInt8]] = {
        let samples =
            GuardrailCorpus.secretPositives.map(\.text) + GuardrailCorpus.secretNegatives
            + GuardrailCorpus.personalPositives.map(\.text) + GuardrailCorpus.personalNegatives
        let variants = samples.flatMap { [$0, $0.uppercased(), $0.lowercased(), "é" + $0 + "日本"] }
        return variants.map { Array($0.utf8) } + [Array(samples.joined(separator: "\n").utf8), Array(samples.joined().utf8)]
    }()

    @Test func everyPrefilteredRuleFindsWhatItsPatternFinds() throws {
        let rules = SecretDetector.builtinRules.filter { $0.prefilter != nil || $0.shape != nil }
        #expect(rules.count >= 60)
        for rule in rules {
            let fast = SecretDetector(rules: [rule])
            let reference = SecretDetector(rules: [try Self.plain(rule)])
            for text in Self.texts {
                let found = fast.scan(text).map { "\($0.range) \($0.excerpt)" }
                let expected = reference.scan(text).map { "\($0.range) \($0.excerpt)" }
                #expect(found == expected, "\(rule.id) in \(String(decoding: text.prefix(80), as: UTF8.self))")
            }
        }
    }
}
