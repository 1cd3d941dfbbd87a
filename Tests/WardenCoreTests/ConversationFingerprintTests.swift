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
        #expect(ConversationFingerprint.prefixDigests(of: [[UInt8]]()).isEmpty)
    }

    /// Digests are stored and matched across releases, so the chain and its canonical form are pinned. The expected
    /// values were computed with Python, independently of Warden: d₋₁ = sha256(b"warden-conversation-v2"),
    /// dᵢ = sha256(dᵢ₋₁ + json.dumps(mᵢ without cache_control, sort_keys=True, separators=(",", ":"), ensure_ascii=False)).
    @Test("digests are pinned across releases")
    func pinned() {
        let digests = ConversationFingerprint.prefixDigests(
            of: messages(#"[{"role":"user","content":"hello"},{"role":"assistant","content":[{"type":"text","text":"Hi there"}]}]"#)
        )
        #expect(
            digests == [
                "e47f686a91a2e781f49afeec466b1efa415d114c2e017debf44e102da8939874",
                "f1d1a5e8090deb8687f36768c7bc0d84c878e6bead3846c09d1c8c2f5eb1199c",
            ]
        )
        // Escapes of every kind, a surrogate pair, non-ASCII keys (sorted by code point), literals and numbers.
        let tricky = #"""
            [{"role":"user","content":[{"type":"text","text":"caf\u00e9 \ud83d\ude00 \"q\" back\\slash a\/b \n\t\u0001 \u00ff","cache_control":{"type":"ephemeral"}}],"z":null,"a":[true,false,-1.5,0,200],"é":1,"e":2}]
            """#
        #expect(ConversationFingerprint.prefixDigests(of: messages(tricky)) == ["a52f8fc34292f7b7e3bc670cd2eca240491cdc24077a1ea50a1b08bbbf141df4"])
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
        edited[2] = Array(##"{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"# Warden!"}]}"##.utf8)
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

    @Test("whitespace and escapes the JSON does not need do not change the digests")
    func spellings() {
        let plain = messages(#"[{"role":"user","content":"a/b é"}]"#)
        let spelled = messages(#"[ { "role" : "user" ,\#n "content" : "a\/b \u00e9" } ]"#)
        #expect(ConversationFingerprint.prefixDigests(of: spelled) == ConversationFingerprint.prefixDigests(of: plain))
    }

    @Test("a message that is not JSON counts by its bytes")
    func notJSON() {
        let broken = [Array(#"{"role":"user","content":"#.utf8)]
        let other = [Array(#"{"role":"user","content":"x"#.utf8)]
        #expect(ConversationFingerprint.prefixDigests(of: broken).count == 1)
        #expect(ConversationFingerprint.prefixDigests(of: broken) != ConversationFingerprint.prefixDigests(of: other))
    }

    @Test("hexString is lowercase, two digits per byte")
    func hex() {
        #expect([UInt8]().hexString == "")
        #expect([UInt8]([0x00, 0x0F, 0xA0, 0xFF]).hexString == "000fa0ff")
        #expect(Data([0xDE, 0xAD, 0xBE, 0xEF]).hexString == "deadbeef")
    }
}

/// Each element of a JSON array, as its bytes (what a request's layout hands the fingerprint).
private func messages(_ json: String) -> [[UInt8]] {
    let request = MessagesRequest(json: Array((#"{"messages":"# + json + "}").utf8))
    return request?.messageBytes.map { Array($0) } ?? []
}
