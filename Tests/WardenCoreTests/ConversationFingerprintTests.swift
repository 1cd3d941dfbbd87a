import Foundation
import Testing
import WardenCore

@Suite("Conversation fingerprints")
struct ConversationFingerprintTests {
    static let conversation = #"""
        [
          {"role":"user","content":[{"type":"text","text":"Summarise README.md"}]},
          {"role":"assistant","content":[{"type":"text","text":"Reading it."},
            {"type":"tool_use","id":"toolu_01","name":"read","input":{"path":"README.md","limit":200}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"# Warden"}]},
          {"role":"assistant","content":"It describes Warden."},
          {"role":"user","content":"Thanks"}
        ]
        """#

    @Test("one lowercase hex SHA-256 digest per message, all different")
    func shape() {
        let digests = ConversationFingerprint.prefixDigests(of: messages(Self.conversation))
        #expect(digests.count == 5)
        #expect(digests.allSatisfy { $0.count == 64 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(Set(digests).count == 5)
        #expect(ConversationFingerprint.prefixDigests(of: []).isEmpty)
    }

    /// Digests are stored and matched across releases, so the chain and its canonical form are pinned:
    /// d0 = SHA-256(SHA-256("warden-conversation-v1") ‖ canonical([m0])), d1 = SHA-256(d0 ‖ canonical([m1])), …
    @Test("digests are pinned across releases")
    func pinned() {
        let digests = ConversationFingerprint.prefixDigests(
            of: messages(#"[{"role":"user","content":"hello"},{"role":"assistant","content":[{"type":"text","text":"Hi there"}]}]"#)
        )
        #expect(
            digests == [
                "00813064050df1bfbf27d52d20cb8bedff51a01e277bf57f431b362a65e284a7",
                "5c00c21e09e6e84803b4c7e92dbdbb95f416cfa15902d1b70e9dc1f78bdd3a22",
            ]
        )
    }

    @Test("prefix digests chain: digest i is the last digest of messages 0...i")
    func chain() {
        let all = messages(Self.conversation)
        let digests = ConversationFingerprint.prefixDigests(of: all)
        for count in 1...all.count {
            let prefix = ConversationFingerprint.prefixDigests(of: Array(all.prefix(count)))
            #expect(prefix == Array(digests.prefix(count)), "prefix of \(count)")
        }
    }

    @Test("moving cache_control between turns does not change any digest")
    func cacheControlMoves() {
        let turn1 = #"""
            [{"role":"user","content":[{"type":"text","text":"Summarise README.md","cache_control":{"type":"ephemeral"}}]},
             {"role":"assistant","content":"Done."},
             {"role":"user","content":[{"type":"text","text":"Thanks"}]}]
            """#
        let turn2 = #"""
            [{"role":"user","content":[{"type":"text","text":"Summarise README.md"}]},
             {"role":"assistant","content":"Done.","cache_control":{"type":"ephemeral","ttl":"1h"}},
             {"role":"user","content":[{"type":"text","text":"Thanks","cache_control":{"type":"ephemeral"}}]}]
            """#
        let plain = #"""
            [{"role":"user","content":[{"type":"text","text":"Summarise README.md"}]},
             {"role":"assistant","content":"Done."},
             {"role":"user","content":[{"type":"text","text":"Thanks"}]}]
            """#
        let expected = ConversationFingerprint.prefixDigests(of: messages(plain))
        #expect(ConversationFingerprint.prefixDigests(of: messages(turn1)) == expected)
        #expect(ConversationFingerprint.prefixDigests(of: messages(turn2)) == expected)
    }

    @Test("key order does not change the digests")
    func keyOrder() {
        let reordered = #"""
            [
              {"content":[{"text":"Summarise README.md","type":"text"}],"role":"user"},
              {"content":[{"type":"text","text":"Reading it."},
                {"input":{"limit":200,"path":"README.md"},"name":"read","id":"toolu_01","type":"tool_use"}],"role":"assistant"},
              {"content":[{"content":"# Warden","tool_use_id":"toolu_01","type":"tool_result"}],"role":"user"},
              {"content":"It describes Warden.","role":"assistant"},
              {"content":"Thanks","role":"user"}
            ]
            """#
        #expect(
            ConversationFingerprint.prefixDigests(of: messages(reordered)) == ConversationFingerprint.prefixDigests(of: messages(Self.conversation))
        )
    }

    @Test("a changed earlier message changes that digest and every later one, but none before it")
    func earlierChange() {
        let original = messages(Self.conversation)
        var edited = original
        edited[2] = ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_01", "content": "# Warden!"]]]
        let before = ConversationFingerprint.prefixDigests(of: original)
        let after = ConversationFingerprint.prefixDigests(of: edited)
        #expect(Array(after.prefix(2)) == Array(before.prefix(2)))
        for index in 2..<before.count {
            #expect(after[index] != before[index], "digest \(index)")
        }
    }

    @Test("content that differs only in role, type or nesting gives different digests")
    func sensitivity() {
        let variants = [
            #"[{"role":"user","content":"x"}]"#,
            #"[{"role":"assistant","content":"x"}]"#,
            #"[{"role":"user","content":["x"]}]"#,
            #"[{"role":"user","content":"x "}]"#,
            #"[{"role":"user","content":1}]"#,
            #"[{"role":"user","content":"1"}]"#,
            #"[{"role":"user","content":"x","extra":null}]"#,
        ]
        let digests = variants.map { ConversationFingerprint.prefixDigests(of: messages($0)) }
        #expect(digests.allSatisfy { $0.count == 1 })
        #expect(Set(digests.map { $0[0] }).count == variants.count)
    }

    @Test("the same messages as Swift values and as parsed JSON give the same digests")
    func swiftValues() {
        let swift: [Any] = [["role": "user", "content": "hello"], ["role": "assistant", "content": [["type": "text", "text": "Hi there"]]]]
        let parsed = messages(#"[{"role":"user","content":"hello"},{"role":"assistant","content":[{"type":"text","text":"Hi there"}]}]"#)
        #expect(ConversationFingerprint.prefixDigests(of: swift) == ConversationFingerprint.prefixDigests(of: parsed))
    }

    @Test("hexString is lowercase, two digits per byte")
    func hex() {
        #expect([UInt8]().hexString == "")
        #expect([UInt8]([0x00, 0x0F, 0xA0, 0xFF]).hexString == "000fa0ff")
        #expect(Data([0xDE, 0xAD, 0xBE, 0xEF]).hexString == "deadbeef")
    }
}

private func messages(_ json: String) -> [Any] {
    (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [Any] ?? []
}
