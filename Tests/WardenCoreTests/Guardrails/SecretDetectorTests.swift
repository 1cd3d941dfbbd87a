import Foundation
import Testing
import WardenCore

private let secrets = SecretDetector()
private let personal = PersonalDataDetector()

private struct Score: CustomStringConvertible {
    var truePositives = 0
    var falsePositives = 0
    var falseNegatives = 0
    var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
    var description: String {
        String(format: "precision %.3f recall %.3f (tp %d, fp %d, fn %d)", precision, recall, truePositives, falsePositives, falseNegatives)
    }
}

/// Sample-level scoring: a sample labelled with a category counts as a true positive when every labelled rule fires;
/// any finding of that category on a sample not labelled with it is a false positive.
private func score(category: Finding.Category, detector: some Detector, misses: inout [String]) -> Score {
    let positives = GuardrailCorpus.secretPositives + GuardrailCorpus.personalPositives
    let negatives = (GuardrailCorpus.secretNegatives + GuardrailCorpus.personalNegatives).map {
        CorpusSample(text: $0, rules: [], values: [])
    }
    var result = Score()
    for sample in positives + negatives {
        let findings = detector.scan(Array(sample.text.utf8)).filter { $0.category == category }
        let labelled = sample.rules.filter { $0.hasPrefix("pii-") == (category == .personalData) }
        if labelled.isEmpty {
            if !findings.isEmpty {
                result.falsePositives += 1
                misses.append("FP \(findings.map(\.ruleID)) in: \(sample.text.prefix(90))")
            }
        } else if Set(labelled).isSubset(of: Set(findings.map(\.ruleID))) {
            result.truePositives += 1
        } else {
            result.falseNegatives += 1
            misses.append("FN \(labelled) got \(findings.map(\.ruleID)) in: \(sample.text.prefix(90))")
        }
    }
    return result
}

@Suite("Secret and personal-data corpus")
struct GuardrailCorpusTests {
    @Test func secretPrecisionAndRecall() {
        var misses: [String] = []
        let result = score(category: .secret, detector: secrets, misses: &misses)
        print("[guardrails] secrets: \(result)")
        for miss in misses { print("[guardrails]   \(miss)") }
        #expect(result.precision >= 0.95)
        #expect(result.recall >= 0.95)
    }

    @Test func personalDataPrecisionAndRecall() {
        var misses: [String] = []
        let result = score(category: .personalData, detector: personal, misses: &misses)
        print("[guardrails] personal data: \(result)")
        for miss in misses { print("[guardrails]   \(miss)") }
        #expect(result.precision >= 0.9)
        #expect(result.recall >= 0.9)
    }

    @Test func everyRuleHasADetectedPositive() {
        var detected = Set<String>()
        for sample in GuardrailCorpus.secretPositives {
            let found = Set(secrets.scan(Array(sample.text.utf8)).map(\.ruleID))
            detected.formUnion(found.intersection(sample.rules))
        }
        for sample in GuardrailCorpus.personalPositives {
            let found = Set(personal.scan(Array(sample.text.utf8)).map(\.ruleID))
            detected.formUnion(found.intersection(sample.rules))
        }
        for rule in secrets.rules { #expect(detected.contains(rule.id), "no detected corpus positive for \(rule.id)") }
        for kind in PersonalDataDetector.Kind.allCases { #expect(detected.contains(kind.rawValue), "no detected positive for \(kind)") }
        #expect(secrets.rules.count >= 60)
    }

    /// Phone numbers share their runs of digits and separators with ids, timestamps and decimals; the phone patterns
    /// are skipped only for runs without a phone number's shape.
    @Test func phoneNumbersAmongLongNumbers() {
        let text = Array("ids 1700000000, 12345678901, 3.14159265358; call (415) 555-0132 or 020 7946 0958, build 2024.11.25.12345".utf8)
        let found = personal.scan(text).map { "\($0.ruleID) " + String(decoding: text[$0.range], as: UTF8.self) }
        #expect(found == ["pii-phone (415) 555-0132", "pii-phone 020 7946 0958"])
    }

    @Test func excerptsNeverContainTheRawValue() {
        for sample in GuardrailCorpus.secretPositives + GuardrailCorpus.personalPositives {
            let bytes = Array(sample.text.utf8)
            let findings = secrets.scan(bytes) + personal.scan(bytes)
            #expect(!findings.isEmpty)
            for finding in findings {
                #expect(finding.range.upperBound <= bytes.count)
                for value in sample.values {
                    #expect(!finding.excerpt.contains(value), "\(finding.ruleID) excerpt leaks the value")
                }
            }
        }
    }

    /// Secrets sit next to each other in real prompts (a key id above its secret, a config file of many): an excerpt's
    /// context must not carry a neighbour's value either.
    @Test func excerptsNeverContainANeighboursValue() {
        let samples = GuardrailCorpus.secretPositives + GuardrailCorpus.personalPositives
        let bytes = Array(samples.map(\.text).joined(separator: "\n").utf8)
        let values = samples.flatMap(\.values).filter { $0.count >= 8 }
        let findings = secrets.scan(bytes) + personal.scan(bytes)
        #expect(findings.count >= samples.count)
        for finding in findings {
            for value in values {
                #expect(!finding.excerpt.contains(value), "\(finding.ruleID) excerpt shows a value")
            }
        }
    }

    @Test func findingRangesCoverTheValue() {
        for sample in GuardrailCorpus.secretPositives + GuardrailCorpus.personalPositives {
            let bytes = Array(sample.text.utf8)
            let findings = secrets.scan(bytes) + personal.scan(bytes)
            for value in sample.values {
                let covered = findings.contains { finding in
                    String(decoding: bytes[finding.range], as: UTF8.self).contains(value)
                        || value.contains(String(decoding: bytes[finding.range], as: UTF8.self))
                }
                #expect(covered, "no finding range covers the value in: \(sample.text.prefix(60))")
            }
        }
    }
}

@Suite("Secret detector")
struct SecretDetectorTests {
    @Test func keywordsAreCaseInsensitiveAndOffsetsAreBytes() {
        var g = CorpusGenerator(seed: 7)
        let token = g.checksummedToken("ghp_")
        let text = "héllo wörld → GITHUB token \(token) end"
        let findings = secrets.scan(Array(text.utf8))
        let finding = findings.first { $0.ruleID == "github-pat" }
        let bytes = Array(text.utf8)
        #expect(finding.map { String(decoding: bytes[$0.range], as: UTF8.self) } == token)
        #expect(finding?.excerpt == Masking.mask(token))
    }

    @Test func sameSecretReportedOnceByMostSpecificRule() {
        var g = CorpusGenerator(seed: 9)
        let key = "sk_live_" + g.s(CorpusGenerator.alnum, 30)
        let findings = secrets.scan(Array("api_key = \"\(key)\"".utf8))
        #expect(findings.map(\.ruleID) == ["stripe-secret-key"])
    }

    @Test func customRuleFromConfiguration() throws {
        let rule = try SecretRule(
            configuration: .init(
                id: "acme-internal-token",
                pattern: #"\b(acme_[a-z0-9]{24})\b"#,
                keywords: ["acme_"],
                severity: "critical",
                minimumEntropy: 3.0,
                allowlist: ["acme_test"]
            )
        )
        let detector = SecretDetector(rules: [], customRules: [rule])
        let findings = detector.scan(Array("deploy with acme_k3j9x8q2m4n7b5v1c6z0l2p8 now, not acme_testtesttesttesttest1234".utf8))
        #expect(findings.map(\.ruleID) == ["acme-internal-token"])
        #expect(findings.first?.severity == .critical)
    }

    @Test func customRuleRejectsInvalidPattern() {
        #expect(throws: SecretRuleError.self) {
            try SecretRule(configuration: .init(id: "broken", pattern: "(unclosed[", keywords: ["x"]))
        }
        do {
            _ = try SecretRule(configuration: .init(id: "broken", pattern: "(unclosed["))
        } catch {
            #expect("\(error)".contains("broken"))
            #expect("\(error)".contains("invalid pattern"))
        }
        #expect(throws: SecretRuleError.self) { try SecretRule(configuration: .init(id: "x", pattern: "a", validator: "nope")) }
        #expect(throws: SecretRuleError.self) { try SecretRule(configuration: .init(id: "x", pattern: "a", severity: "urgent")) }
        #expect(throws: SecretRuleError.self) { try SecretRule(configuration: .init(id: "x", pattern: "(a)", secretGroup: 2)) }
        #expect(throws: SecretRuleError.self) { try SecretRule(configuration: .init(id: "", pattern: "a")) }
        // The keyword pre-filter reads ASCII only: a rule keyed on a word it cannot see would never run.
        #expect(throws: SecretRuleError.nonASCIIKeyword(ruleID: "es", keyword: "contraseña")) {
            try SecretRule(configuration: .init(id: "es", pattern: "clave=[a-z]{8}", keywords: ["clave", "contraseña"]))
        }
    }

    @Test func ruleIDsAreUnique() {
        let ids = secrets.rules.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test func emptyAndBinaryInputs() {
        #expect(secrets.scan([]).isEmpty)
        #expect(personal.scan([]).isEmpty)
        let binary = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        _ = secrets.scan(binary)
        _ = personal.scan(binary)
    }
}

@Suite("Validators")
struct ValidatorTests {
    @Test func githubCRC32() {
        var g = CorpusGenerator(seed: 42)
        let random = g.s(CorpusGenerator.alnum, 30)
        let checksum = Checksums.base62(Checksums.crc32(Array(random.utf8)))
        #expect(checksum.count == 6)
        #expect(Checksums.isValidGitHubToken("ghp_" + random + checksum))
        let tampered = "ghp_" + random.dropLast() + (random.last == "a" ? "b" : "a") + checksum
        #expect(!Checksums.isValidGitHubToken(tampered))
        #expect(!Checksums.isValidGitHubToken("ghp_short"))
        // Known CRC-32 value: crc32("123456789") == 0xCBF43926.
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.base62(0) == "000000")
        #expect(Checksums.base62(61) == "00000z")
    }

    @Test func luhn() {
        #expect(Checksums.luhn("79927398713".map { Int(String($0))! }))
        #expect(!Checksums.luhn("79927398710".map { Int(String($0))! }))
        #expect(PersonalData.isPaymentCard("4012 8888 8888 1882") == false)  // Luhn fails
        var g = CorpusGenerator(seed: 1)
        let visa = g.card(prefix: "4", length: 16)
        #expect(PersonalData.isPaymentCard(visa))
        #expect(PersonalData.isPaymentCard(CorpusGenerator.grouped(visa)))
        #expect(!PersonalData.isPaymentCard("4111 1111 1111 1111"))  // published test number
        #expect(!PersonalData.isPaymentCard(String(visa.prefix(8)) + "-" + String(visa.dropFirst(8))))  // odd grouping
        #expect(!PersonalData.isPaymentCard("9" + visa.dropFirst()))  // unknown IIN
    }

    @Test func ibanMod97() {
        #expect(Checksums.ibanMod97("DE89370400440532013000"))
        #expect(Checksums.ibanMod97("GB82WEST12345698765432"))
        #expect(!Checksums.ibanMod97("DE89370400440532013001"))
        #expect(PersonalData.ibanLength("DE89 3704 0044 0532 0130 00") == 27)
        #expect(PersonalData.ibanLength("DE89 3704 0044 0532 0130 00 ABCD") == 27)
        #expect(PersonalData.ibanLength("DE8937040044053201300") == nil)  // too short
        #expect(PersonalData.ibanLength("ZZ89370400440532013000") == nil)  // unknown country
    }

    @Test func ssnRules() {
        #expect(PersonalData.isUSSSN("536-22-8742"))
        #expect(!PersonalData.isUSSSN("000-22-8742"))
        #expect(!PersonalData.isUSSSN("666-22-8742"))
        #expect(!PersonalData.isUSSSN("912-22-8742"))
        #expect(!PersonalData.isUSSSN("536-00-8742"))
        #expect(!PersonalData.isUSSSN("536-22-0000"))
        #expect(!PersonalData.isUSSSN("078-05-1120"))
        #expect(!PersonalData.isUSSSN("111-11-1111"))
    }

    @Test func entropyAndPlaceholders() {
        #expect(Entropy.shannon("") == 0)
        #expect(Entropy.shannon("aaaaaaaa") == 0)
        #expect(abs(Entropy.shannon("abcd") - 2.0) < 1e-9)
        #expect(abs(Entropy.shannon("0123456789abcdef") - 4.0) < 1e-9)
        #expect(Placeholder.isPlaceholder("AKIAIOSFODNN7EXAMPLE"))
        #expect(Placeholder.isPlaceholder("<your-token>"))
        #expect(Placeholder.isPlaceholder("${API_KEY}"))
        #expect(Placeholder.isPlaceholder("changeme"))
        #expect(Placeholder.isPlaceholder("aaaaaaaaaaaaaaaa"))
        #expect(Placeholder.isPlaceholder("abcdefghijklmnop"))
        #expect(Placeholder.isPlaceholder("9876543210"))
        #expect(!Placeholder.isPlaceholder("k3J9x8Q2m4N7b5V1"))
    }

    @Test func jwtHeader() {
        let header = CorpusGenerator.base64URL(#"{"alg":"RS256","kid":"k1"}"#)
        let body = CorpusGenerator.base64URL(#"{"sub":"42"}"#)
        #expect(Checksums.isValidJWT("\(header).\(body).c2ln"))
        #expect(!Checksums.isValidJWT("\(CorpusGenerator.base64URL(#"{"typ":"JWT"}"#)).\(body).c2ln"))
        #expect(!Checksums.isValidJWT("abc.def"))
    }
}
