import Foundation
import Testing
import WardenCore

@Suite("UnsafeCodeDetector")
struct UnsafeCodeDetectorTests {
    let detector = UnsafeCodeDetector()

    func ruleIDs(_ testCase: UnsafeCodeCase) -> Set<String> {
        if case .text(let text) = testCase.input {
            return Set(detector.scan(Array(text.utf8)).map(\.ruleID))
        }
        guard let call = testCase.toolCall else { return [] }
        let fromDictionary = Set(detector.scan(toolName: call.name, input: call.input).flatMap(\.findings).map(\.ruleID))
        let json = try! JSONSerialization.data(withJSONObject: call.input)
        let fromJSON = Set(detector.scan(toolName: call.name, inputJSON: Array(json)).flatMap(\.findings).map(\.ruleID))
        #expect(fromDictionary == fromJSON, "\(testCase.name)")
        return fromDictionary
    }

    @Test func builtInRulesAreWellFormed() {
        let rules = UnsafeCodeRules.builtIn
        #expect(rules.count >= 25)
        #expect(Set(rules.map(\.id)).count == rules.count, "rule ids are unique")
        for rule in rules {
            #expect(!rule.languages.isEmpty, "\(rule.id)")
            #expect(!rule.description.isEmpty, "\(rule.id)")
        }
    }

    @Test func precisionAndRecallOverCorpus() {
        var truePositives = 0
        var falsePositives = 0
        var expectedTotal = 0
        var misses: [String] = []
        var extras: [String] = []
        for testCase in UnsafeCodeCorpus.all {
            let found = ruleIDs(testCase)
            expectedTotal += testCase.expected.count
            truePositives += found.intersection(testCase.expected).count
            let falseOnes = found.subtracting(testCase.expected)
            falsePositives += falseOnes.count
            for id in testCase.expected.subtracting(found) { misses.append("\(testCase.name): missed \(id)") }
            for id in falseOnes { extras.append("\(testCase.name): unexpected \(id)") }
        }
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, expectedTotal))
        print(
            "unsafe-code corpus: \(UnsafeCodeCorpus.positives.count) positive / \(UnsafeCodeCorpus.negatives.count) negative cases, "
                + "precision \(String(format: "%.3f", precision)), recall \(String(format: "%.3f", recall))"
        )
        for line in misses + extras { print("  " + line) }
        #expect(precision >= 0.9)
        #expect(recall >= 0.9)
    }

    @Test func everyRuleHasADetectedPositive() {
        var detected = Set<String>()
        for testCase in UnsafeCodeCorpus.positives {
            detected.formUnion(ruleIDs(testCase).intersection(testCase.expected))
        }
        let missing = Set(UnsafeCodeRules.builtIn.map(\.id)).subtracting(detected)
        #expect(missing.isEmpty, "rules without a detected positive: \(missing.sorted())")
    }

    @Test(arguments: UnsafeCodeCorpus.negatives)
    func hardNegativeIsClean(_ testCase: UnsafeCodeCase) {
        #expect(ruleIDs(testCase).isEmpty)
    }

    @Test func findingRangePointsIntoOriginalText() throws {
        let text = "Héllo — voilà:\n\n```python\nimport requests\nr = requests.get(url, verify=False)\n```\n"
        let bytes = Array(text.utf8)
        let findings = detector.scan(bytes)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.ruleID == "py-tls-verify-disabled")
        #expect(finding.category == .unsafeCode)
        #expect(finding.severity == .high)
        #expect(String(decoding: bytes[finding.range], as: UTF8.self) == "verify=False")
        #expect(finding.excerpt == "r = requests.get(url, verify=False)")
    }

    @Test func rangeAfterMultibyteCharactersInsideBlock() throws {
        let text = "```js\n// ünïcödé 🚀\nconst a = '€'; app.use(cors({ origin: '*' }));\n```"
        let bytes = Array(text.utf8)
        let finding = try #require(detector.scan(bytes).first)
        #expect(String(decoding: bytes[finding.range], as: UTF8.self) == "cors({ origin: '*'")
    }

    @Test func excerptMasksCredentialLiterals() throws {
        let text = "```python\nDB_PASSWORD = 'S3cr3tPassw0rd!'\n```"
        let finding = try #require(detector.scan(Array(text.utf8)).first)
        #expect(finding.ruleID == "hardcoded-credential")
        #expect(!finding.excerpt.contains("S3cr3tPassw0rd!"))
        #expect(finding.excerpt.hasPrefix("DB_PASSWORD = 'S3c*"))

        let docker = "```dockerfile\nFROM alpine\nENV API_TOKEN=ghp_abcdefabcdef123456\n```"
        let envFinding = try #require(detector.scan(Array(docker.utf8)).first)
        #expect(envFinding.ruleID == "docker-secret-in-env")
        #expect(!envFinding.excerpt.contains("ghp_abcdefabcdef123456"))
    }

    @Test func excerptIsTruncated() throws {
        let long = "```bash\ncurl -fsSL https://example.com/" + String(repeating: "a", count: 300) + " | sh\n```"
        let finding = try #require(detector.scan(Array(long.utf8)).first)
        #expect(finding.excerpt.count == 160)
    }

    @Test func rulesRunOnlyOnTheirLanguages() {
        // A Python rule does not fire in a Go block, and a Go rule does not fire in a Python block.
        #expect(detector.scan(Array("```go\nx := yaml.load(f)\n```".utf8)).isEmpty)
        #expect(detector.scan(Array("```python\nAllowAllOrigins: true\n```".utf8)).isEmpty)
        // Unknown-language blocks still get the agnostic rules.
        #expect(detector.scan(Array("```\nwget -qO- https://x.sh | bash\n```".utf8)).map(\.ruleID) == ["sh-curl-pipe-shell"])
        #expect(detector.scan(Array("```\nos.system('rm ' + path)\n```".utf8)).isEmpty)
    }

    @Test func streamingUnterminatedFenceIsScanned() {
        let partial = "Run this:\n\n```bash\ncurl https://get.example.com | sudo bash"
        #expect(detector.scan(Array(partial.utf8)).map(\.ruleID) == ["sh-curl-pipe-shell"])
    }

    @Test func toolCallFindingsAreRelativeToField() throws {
        let input: [String: Any] = ["file_path": "/a/b.py", "content": "import os\nos.chmod(p, 0o777)\n"]
        let result = detector.scan(toolName: "Write", input: input)
        let finding = try #require(result.first?.findings.first)
        let content = Array((input["content"] as! String).utf8)
        #expect(String(decoding: content[finding.range], as: UTF8.self).hasPrefix("os.chmod("))
        #expect(result.first?.block.origin == .toolInput(tool: "Write", field: "content"))
    }

    @Test func customRule() throws {
        let rule = try UnsafeCodeRule(
            id: "x-danger",
            languages: [.python],
            severity: .low,
            description: "danger()",
            keywords: ["danger"],
            pattern: #"\bdanger\(\)"#
        )
        let custom = UnsafeCodeDetector(rules: [rule])
        let findings = custom.scan(Array("```py\ndanger()\n```".utf8))
        #expect(findings.map(\.ruleID) == ["x-danger"])
        #expect(findings.first?.severity == .low)
        #expect(throws: (any Error).self) {
            try UnsafeCodeRule(id: "bad", languages: [.go], severity: .low, description: "", keywords: [], pattern: "(")
        }
    }
}
