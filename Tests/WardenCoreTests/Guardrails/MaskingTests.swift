import Foundation
import Testing
import WardenCore

@Suite("Masking values in recorded bytes")
struct MaskingTests {
    static let key = "AKIAZ7Q3XK5M2PLR4TWN"

    @Test("a value is overwritten in place, keeping the document's length and validity")
    func inPlace() throws {
        let document = Array(#"{"messages":[{"role":"user","content":"use \#(Self.key) and again \#(Self.key)"}]}"#.utf8)
        let result = JSONMasking.mask(document, values: [Array(Self.key.utf8)])
        #expect(result.missing.isEmpty)
        #expect(result.bytes.count == document.count)
        let text = String(decoding: result.bytes, as: UTF8.self)
        #expect(!text.contains(Self.key))
        #expect(text.contains("AKIA****************"))
        #expect((try? JSONSerialization.jsonObject(with: Data(result.bytes))) != nil)
    }

    @Test("a multi-line value is found in its escaped form, and the escapes are overwritten whole")
    func escaped() throws {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
        let document = try JSONSerialization.data(withJSONObject: ["content": "key:\n" + pem], options: [.withoutEscapingSlashes])
        let masked = JSONMasking.hide(Array(document), values: [Array(pem.utf8)])
        #expect(masked.count == document.count)
        let decoded = try JSONSerialization.jsonObject(with: Data(masked)) as? [String: String]
        #expect(decoded?["content"]?.hasPrefix("key:\n") == true)
        #expect(decoded?["content"]?.contains("MIIEvQ") == false)
    }

    @Test("a remembered value that is absent costs no re-encoding; a present one is hidden in place")
    func rememberedValues() {
        let document = Array(#"{"content":"key \#(Self.key)"}"#.utf8)
        let absent = Array("ghp_notInThisDocument0000000000000000".utf8)
        let hidden = JSONMasking.hide(document, values: [], possible: [absent, Array(Self.key.utf8)])
        #expect(hidden.count == document.count)
        #expect(String(decoding: hidden, as: UTF8.self) == #"{"content":"key AKIA****************"}"#)
    }

    @Test("a value written with unicode escapes is hidden by re-encoding the document")
    func reencoded() throws {
        let document = Array(#"{"content":"key \u0041KIAZ7Q3XK5M2PLR4TWN"}"#.utf8)
        #expect(JSONMasking.mask(document, values: [Array(Self.key.utf8)]).missing == [Array(Self.key.utf8)])
        let hidden = JSONMasking.hide(document, values: [Array(Self.key.utf8)])
        let decoded = try JSONSerialization.jsonObject(with: Data(hidden)) as? [String: String]
        #expect(decoded?["content"] == "key AKIA****************")
    }

    @Test("a value streamed across deltas, one of them escaped, is masked in every event that carries part of it")
    func acrossDeltas() throws {
        let pieces = ["Before. ", "Here: AKIAZ7", "Q3XK5M", #"2PL\u0052"#, "4TWN done", " After."]
        var body = Data()
        var marks: [EventMark] = []
        func event(_ data: String) {
            let bytes = Data("event: content_block_delta\ndata: \(data)\n\n".utf8)
            marks.append(EventMark(offset: body.count, length: bytes.count, arrivalMicros: 0))
            body += bytes
        }
        for piece in pieces {
            event(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(piece)"}}"#)
        }
        let result = StreamMasking.mask(Array(body), events: marks, values: [Array(Self.key.utf8)])
        #expect(result.missing.isEmpty)
        #expect(result.masked.count == body.count)
        var text = ""
        for mark in marks {
            let raw = Data(result.masked[mark.offset..<(mark.offset + mark.length)])
            let line = String(decoding: raw, as: UTF8.self).split(separator: "\n")[1].dropFirst("data: ".count)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            text += (object["delta"] as? [String: Any])?["text"] as? String ?? ""
        }
        // The escape sequence `\u0052` is six recorded bytes, so it reads back as six stars.
        #expect(text == "Before. Here: " + String(repeating: "*", count: 25) + " done After.")
    }

    @Test("a value in a tool call's streamed input is found in its JSON-escaped form")
    func toolInput() throws {
        let pieces = [#"{\"content\": \"AWS="#, #"AKIAZ7Q3XK"#, #"5M2PLR4TWN\"}"#]
        var body = Data()
        var marks: [EventMark] = []
        for piece in pieces {
            let bytes = Data(
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\(piece)\"}}\n\n"
                    .utf8
            )
            marks.append(EventMark(offset: body.count, length: bytes.count, arrivalMicros: 0))
            body += bytes
        }
        let result = StreamMasking.mask(Array(body), events: marks, values: [Array(Self.key.utf8)])
        #expect(result.missing.isEmpty)
        #expect(!String(decoding: result.masked, as: UTF8.self).contains("5M2PLR4TWN"))
        #expect(!String(decoding: result.masked, as: UTF8.self).contains("AKIAZ7Q3XK"))
    }
}
