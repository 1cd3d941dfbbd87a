import Foundation
import Testing
import WardenCore

@Suite("What a conversation has shown")
struct ConversationStateTests {
    static let key = "AKIAZ7Q3XK5M2PLR4TWN"

    static func body(_ messages: [String], system: String = "You are terse.") -> [UInt8] {
        let list = messages.enumerated().map { index, text in
            ["role": index % 2 == 0 ? "user" : "assistant", "content": text]
        }
        let object: [String: Any] = ["model": "m", "max_tokens": 5, "messages": list, "system": system]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    @Test("the next request is walked only after the bytes it repeats, and its repeated secret is masked where it was before")
    func repeatedBytes() throws {
        let inspector = try ContentInspector(policy: GuardrailPolicy())
        var state = ConversationState()
        let first = Self.body(["deploy with \(Self.key)"])
        let turn1 = state.inspect(request: first, path: "/v1/messages", with: inspector)
        #expect(turn1.inspection.findings.map(\.ruleID) == ["aws-access-key-id"])
        state.learn(turn1.inspection, request: turn1.last.map { ("/v1/messages", $0) })

        let second = Self.body(["deploy with \(Self.key)", "done", "mail jane.doe@acme-corp.com"])
        let turn2 = state.inspect(request: second, path: "/v1/messages", with: inspector)
        let layout = try #require(turn2.last?.layout)
        #expect(layout.reusedMessages == 1)
        #expect(layout.messages.count == 3)
        #expect(turn2.inspection.findings.map(\.ruleID) == ["pii-email"])
        let recorded = String(decoding: turn2.recorded, as: UTF8.self)
        #expect(!recorded.contains(Self.key))
        #expect(recorded.contains("AKIA****************"))
        #expect(turn2.recorded.count == second.count)
    }

    @Test("a value learned after a request was recorded is searched for everywhere in the next, repeated bytes included")
    func valueLearnedLater() throws {
        let inspector = try ContentInspector(policy: GuardrailPolicy())
        var state = ConversationState()
        let token = "opaque-session-token-7f3a9c"
        let first = Self.body(["my token is \(token)"])
        let turn1 = state.inspect(request: first, path: "/v1/messages", with: inspector)
        #expect(turn1.inspection.findings.isEmpty)
        state.learn(turn1.inspection, request: turn1.last.map { ("/v1/messages", $0) })
        var answer = Inspection()
        answer.hiddenValues = [Array(token.utf8)]
        state.learn(answer)

        let second = Self.body(["my token is \(token)", "noted", "thanks"])
        let turn2 = state.inspect(request: second, path: "/v1/messages", with: inspector)
        #expect(turn2.last?.layout.reusedMessages == 1)
        #expect(!String(decoding: turn2.recorded, as: UTF8.self).contains(token))
    }

    @Test("a request that does not repeat the last one is walked in full, with the same findings")
    func unrelatedRequest() throws {
        let inspector = try ContentInspector(policy: GuardrailPolicy())
        var state = ConversationState()
        let turn1 = state.inspect(request: Self.body(["hello"]), path: "/v1/messages", with: inspector)
        state.learn(turn1.inspection, request: turn1.last.map { ("/v1/messages", $0) })
        let other = Self.body(["key \(Self.key)"], system: "Another prompt entirely.")
        let verdict = state.inspect(request: other, path: "/v1/messages", with: inspector)
        #expect(verdict.last?.layout.reusedMessages == 0)
        #expect(verdict.inspection.findings.map(\.ruleID) == ["aws-access-key-id"])
        #expect(!String(decoding: verdict.recorded, as: UTF8.self).contains(Self.key))
    }

    @Test("the layout walk finds the same messages and system prompt as a JSON parser, whitespace and escapes included")
    func layoutMatchesParser() throws {
        let text =
            #" { "model" : "m", "system":[{"type":"text","text":"a \"quoted\" \\ slash"}], "messages" : [ {"role":"user","content":"x]}{"} , {"role":"assistant","content":[{"type":"text","text":"y\\"}]} ] , "stream" : true } "#
        let body = Array(text.utf8)
        let layout = try #require(RequestLayout(body: body))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let messages = try #require(object["messages"] as? [Any])
        #expect(layout.messages.count == messages.count)
        for (range, message) in zip(layout.messages, messages) {
            let parsed = try JSONSerialization.jsonObject(with: Data(body[range])) as? NSDictionary
            #expect(parsed == (message as? NSDictionary))
        }
        let system = try #require(layout.system)
        #expect((try JSONSerialization.jsonObject(with: Data(body[system])) as? NSArray) == (object["system"] as? NSArray))
        #expect(RequestLayout(body: Array(#"{"messages":[{"role":"user""#.utf8)) == nil)
        #expect(RequestLayout(body: Array("not json".utf8)) == nil)
    }

    @Test("a layout walked in full and marked against the last request equals one walked by resuming, and reads the same")
    func walkedLayoutMatchesResumed() throws {
        let inspector = try ContentInspector(policy: GuardrailPolicy())
        var state = ConversationState()
        let first = Self.body(["deploy with \(Self.key)", "ok"])
        let turn1 = state.inspect(request: first, path: "/v1/messages", with: inspector)
        state.learn(turn1.inspection, request: turn1.last.map { ("/v1/messages", $0) })
        let earlier = try #require(turn1.last?.layout)

        let second = Self.body(["deploy with \(Self.key)", "ok", "mail jane.doe@acme-corp.com"])
        let prefix = RequestLayout.commonPrefix(first, second)
        let resumed = try #require(RequestLayout(body: second, resuming: earlier, commonPrefix: prefix))
        let walked = try #require(RequestLayout(body: second))
        #expect(walked.reusedMessages == 0)
        #expect(walked.reusing(earlier, commonPrefix: prefix) == resumed)
        #expect(resumed.reusedMessages == 2)

        let byResuming = state.inspect(request: second, path: "/v1/messages", with: inspector)
        let byWalked = state.inspect(request: second, walked: walked, path: "/v1/messages", with: inspector)
        #expect(byWalked.last?.layout == byResuming.last?.layout)
        #expect(byWalked.inspection.findings == byResuming.inspection.findings)
        #expect(byWalked.inspection.findings.map(\.ruleID) == ["pii-email"])
        #expect(byWalked.recorded == byResuming.recorded)
    }
}
