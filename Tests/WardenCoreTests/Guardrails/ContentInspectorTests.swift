import Foundation
import Testing
import WardenCore

@Suite("Content inspection")
struct ContentInspectorTests {
    static let key = "AKIAZ7Q3XK5M2PLR4TWN"

    static func request(_ messages: [Any], system: Any? = nil) -> [ContentUnit] {
        ContentUnits.request(system: system, messages: messages)
    }

    @Test("units: system, text, tool results and tool inputs are read; images and thinking in a request are not")
    func units() {
        let units = Self.request(
            [
                [
                    "role": "user",
                    "content": [["type": "text", "text": "hello"], ["type": "image", "source": ["type": "base64", "data": "AAAA"]]],
                ],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "hmm", "signature": "x"],
                        ["type": "tool_use", "id": "t", "name": "Write", "input": ["file_path": "a.py", "content": "print(1)"]],
                    ],
                ],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "t", "content": [["type": "text", "text": "ok"]]]]],
            ],
            system: "be brief"
        )
        #expect(units.map { "\($0.message.map(String.init) ?? "system"):\($0.block)" } == ["system:0", "0:0", "1:1", "2:0"])
        #expect(String(decoding: units[2].text, as: UTF8.self) == "print(1)\na.py")
        #expect(units[2].code.first?.language == .python)
    }

    @Test("each finding takes the rule's action, else its category's; a secret is hidden whatever the action")
    func actions() throws {
        var policy = GuardrailPolicy()
        policy.categoryActions[.personalData] = .record
        policy.ruleActions["pii-email"] = .mask
        let inspector = try ContentInspector(policy: policy)
        let units = Self.request([["role": "user", "content": "mail jane.doe@acme-corp.com, key \(Self.key), card 4539 1488 0343 6467"]])
        let inspection = inspector.inspect(units, direction: .request) { _ in nil }
        let byRule = Dictionary(inspection.findings.map { ($0.ruleID, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byRule["aws-access-key-id"]?.action == .mask)
        #expect(byRule["pii-email"]?.action == .mask)
        let card = try #require(inspection.findings.first { $0.category == .personalData && $0.ruleID != "pii-email" })
        #expect(card.action == .record)
        let hidden = Set(inspection.hiddenValues.map { String(decoding: $0, as: UTF8.self) })
        #expect(hidden == [Self.key, "jane.doe@acme-corp.com"])
        #expect(byRule["aws-access-key-id"]?.location == "messages[0].content[0]")
        #expect(byRule.values.allSatisfy { !$0.excerpt.contains(Self.key) })
    }

    @Test("a unit the conversation has shown is not read again, yet its values stay hidden and redacted")
    func knownUnits() throws {
        var policy = GuardrailPolicy()
        policy.ruleActions["aws-access-key-id"] = .redact
        let inspector = try ContentInspector(policy: policy)
        let first = Self.request([["role": "user", "content": "key \(Self.key)"]])
        let turn1 = inspector.inspect(first, direction: .request) { _ in nil }
        #expect(turn1.findings.count == 1)
        #expect(turn1.redactedValues == [Array(Self.key.utf8)])
        let memory = Dictionary(turn1.learned.map { ($0.digest, $0.memory) }, uniquingKeysWith: { a, _ in a })
        let second = Self.request([
            ["role": "user", "content": "key \(Self.key)"], ["role": "assistant", "content": "noted"], ["role": "user", "content": "thanks"],
        ])
        let turn2 = inspector.inspect(second, direction: .request) { memory[$0] }
        #expect(turn2.findings.isEmpty)
        #expect(turn2.redactedValues == [Array(Self.key.utf8)])
        #expect(turn2.hiddenValues == [Array(Self.key.utf8)])
        #expect(turn2.learned.count == 2)
    }

    @Test("a blocked request teaches nothing, so the same content is blocked again")
    func blockedLearnsNothing() throws {
        var policy = GuardrailPolicy()
        policy.categoryActions[.secret] = .block
        let inspector = try ContentInspector(policy: policy)
        let inspection = inspector.inspect(Self.request([["role": "user", "content": "key \(Self.key)"]]), direction: .request) { _ in nil }
        #expect(inspection.blocking?.ruleID == "aws-access-key-id")
        #expect(inspection.learned.isEmpty)
    }

    @Test("answers are read for unsafe code, in fenced blocks and in the files a tool call writes; prompts are not")
    func unsafeCodeOnlyInAnswers() throws {
        let inspector = try ContentInspector(policy: GuardrailPolicy())
        let message: [String: Any] = [
            "content": [
                ["type": "text", "text": "```python\nrequests.get(url, verify=False)\n```"],
                [
                    "type": "tool_use", "id": "t", "name": "Write",
                    "input": ["file_path": "run.py", "content": "import pickle\npickle.loads(data)\n"],
                ],
            ]
        ]
        let answer = inspector.inspect(ContentUnits.response(message: message), direction: .response) { _ in nil }
        #expect(Set(answer.findings.map(\.ruleID)).isSuperset(of: ["py-tls-verify-disabled", "py-pickle-loads"]))
        #expect(answer.findings.allSatisfy { $0.direction == .response && $0.message == nil })
        let prompt = inspector.inspect(Self.request([["role": "user", "content": message["content"]!]]), direction: .request) { _ in nil }
        #expect(prompt.findings.allSatisfy { $0.category != .unsafeCode })
    }

    @Test("a stream guard cuts at the event that completes a blocked match, not at a token still arriving")
    func streamGuard() throws {
        var policy = GuardrailPolicy()
        policy.categoryActions[.secret] = .block
        var guardian = StreamGuard(inspector: try ContentInspector(policy: policy))
        func delta(_ text: String) -> SSEEvent {
            let data = try! JSONSerialization.data(withJSONObject: [
                "type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": text],
            ])
            return SSEEvent(name: "content_block_delta", data: String(decoding: data, as: UTF8.self), byteRange: 0..<1)
        }
        let start = SSEEvent(
            name: "content_block_start",
            data: #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            byteRange: 0..<1
        )
        #expect(guardian.feed([start, delta("The documented example AKIAIOSFODNN7")]) == nil)
        #expect(guardian.feed([delta("EXAMPLE is a placeholder. The real one is AKIAZ7Q3XK")]) == nil)
        #expect(guardian.feed([delta("5M2PLR4T")]) == nil)
        let cut = guardian.feed([delta("WN and more")])
        #expect(cut?.ruleID == "aws-access-key-id")
        #expect(cut?.location == "response.content[0]")
    }
}
