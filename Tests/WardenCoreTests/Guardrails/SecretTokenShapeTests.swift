import Testing

@testable import WardenCore

/// A `SecretTokenShape` stands in for its rule's regular expression, so it must find exactly what the expression
/// finds, anchored at the same start and searching up to the same limit.
@Suite("SecretTokenShape")
struct SecretTokenShapeTests {
    private static let shaped = SecretDetector.builtinRules.filter { $0.shape != nil }

    /// Valid tokens of each shaped rule, from the labelled corpus.
    private static func tokens(of rule: SecretRule) -> [String] {
        GuardrailCorpus.secretPositives.filter { $0.rules.contains(rule.id) }.flatMap(\.values)
    }

    /// Texts that put `token` at the edges of the buffer, next to non-ASCII and multi-byte UTF-8, glued to token
    /// characters, truncated and lengthened.
    private static func edgeCases(_ token: String) -> [String] {
        [
            token, "é" + token + "é", "日本 " + token + " 語", "x" + token, "_" + token, "-" + token, token + "x", token + "_",
            token + "-", token + ".", "(" + token + ")", String(token.dropLast()), String(token.dropLast(2)) + "é",
            token + token.suffix(1), token + "\u{1F511}", "\u{1F511}" + token, token.lowercased(), token.uppercased(),
            "\"" + token + "\"\n" + token,
        ]
    }

    private func regexMatch(_ rule: SecretRule, _ bytes: [UInt8], at start: Int, limit: Int) -> Range<Int>? {
        let span = start..<limit
        return RegexSubject(bytes, covering: span, reach: rule.compiled.reach).match(of: rule.compiled, at: start, in: span)?.range
    }

    @Test func theSimpleTokenRulesAreShaped() {
        let ids = Set(Self.shaped.map(\.id))
        for id in [
            "aws-access-key-id", "github-pat", "gitlab-pat", "npm-access-token", "pypi-upload-token", "dockerhub-pat", "openai-project-key",
            "doppler-token",
        ] {
            #expect(ids.contains(id), "\(id)")
        }
        #expect(Self.shaped.count >= 40)
    }

    @Test func patternsBeyondTheShapeAreLeftToTheRegex() {
        for pattern in [
            "sk-ant-api03-[A-Za-z0-9_-]{93}AA", "dapi[a-f0-9]{32}(?:-[0-9])?", "xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9]{28,34}",
            "ATATT3[A-Za-z0-9_=-]{180,200}", "EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}", "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}",
            "[MNO][A-Za-z0-9_-]{23,25}", "abc[A-z]{3}", "abc[^a]{3}", "abc[a-z]+", "abc[a-z]{3,2}", "(?:a|ab)[a-z]{3}",
        ] {
            #expect(SecretTokenShape(pattern: pattern) == nil, "\(pattern)")
        }
    }

    @Test func parsesPrefixesClassesAndBounds() throws {
        let doppler = try #require(SecretTokenShape(pattern: "dp\\.(?:pt|st)\\.[A-Za-z0-9]{40,44}"))
        #expect(doppler.prefixes.map { String(decoding: $0, as: UTF8.self) } == ["dp.pt.", "dp.st."])
        #expect(doppler.minimum == 40 && doppler.maximum == 44)
        #expect(doppler.body.contains(UInt8(ascii: "Z")) && !doppler.body.contains(UInt8(ascii: "_")))
        let open = try #require(SecretTokenShape(pattern: "hvs\\.[A-Za-z0-9_-]{24,}"))
        #expect(open.minimum == 24 && open.maximum == Int.max && open.body.contains(UInt8(ascii: "-")))
        let fixed = try #require(SecretTokenShape(pattern: "(?:AKIA|ASIA)[A-Z2-7]{16}"))
        #expect(fixed.minimum == 16 && fixed.maximum == 16 && !fixed.body.contains(UInt8(ascii: "8")))
    }

    /// Every shaped rule against its regex at every start its prefixes could take, on the corpus and on edge cases
    /// around its own tokens, with the search limit at the end of the text and cutting into the token.
    @Test func matchesWhatTheRegexMatches() {
        let corpus = GuardrailCorpus.secretPositives.map(\.text) + GuardrailCorpus.secretNegatives
        for rule in Self.shaped {
            guard let shape = rule.shape else { continue }
            let tokens = Self.tokens(of: rule)
            #expect(!tokens.isEmpty, "\(rule.id) has no corpus token")
            let firstBytes = Set(shape.prefixes.map { $0[0] | 0x20 })
            for text in corpus + tokens.flatMap(Self.edgeCases) {
                let bytes = Array(text.utf8)
                bytes.withUnsafeBufferPointer { buffer in
                    for start in bytes.indices where firstBytes.contains(bytes[start] | 0x20) {
                        for limit in Set([bytes.count, min(bytes.count, start + 8), max(start, bytes.count - 1)]) {
                            let expected = regexMatch(rule, bytes, at: start, limit: limit)
                            #expect(shape.match(buffer, at: start, limit: limit) == expected, "\(rule.id) at \(start)..<\(limit) in \(text)")
                        }
                    }
                }
            }
        }
    }

    /// Findings of shaped rules keep byte offsets: after two-byte and four-byte characters, at the end of the text.
    @Test func findingOffsetsAreBytes() throws {
        let rule = try #require(Self.shaped.first { $0.id == "github-oauth-token" })
        let token = try #require(Self.tokens(of: rule).first)
        let detector = SecretDetector()
        let cases: [(String, Int)] = [(token, 0), ("é" + token, 2), ("\u{1F511}" + token + "é", 4), ("日本 " + token, 7)]
        for (text, offset) in cases {
            let findings = detector.scan(Array(text.utf8)).filter { $0.ruleID == "github-oauth-token" }
            #expect(findings.map(\.range) == [offset..<(offset + token.utf8.count)], "\(text)")
        }
        #expect(detector.scan(Array(("x" + token).utf8)).isEmpty)
        #expect(detector.scan(Array(token.dropLast().utf8)).filter { $0.ruleID == "github-oauth-token" }.isEmpty)
    }
}
