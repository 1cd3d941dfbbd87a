import Foundation
import Testing
import WardenCore

@testable import WardenStore

/// The encodings written by hand for speed read back exactly with Foundation's decoder.
@Suite("Store encodings")
struct StoreCodecTests {
    @Test("headers read back field for field, whatever bytes their values hold")
    func headers() throws {
        let fields = [
            HeaderField("content-type", "application/json"),
            HeaderField("x-quote", #"say "hi" \ back/slash"#),
            HeaderField("x-controls", "tab\there\nline\r\u{01}\u{1F}"),
            HeaderField("x-unicode", "café 😀 \u{2028}"),
            HeaderField("x-empty", ""),
        ]
        let text = StoreCodec.json(fields)
        #expect(try StoreCodec.decode([HeaderField].self, text, field: "headers") == fields)
        #expect(StoreCodec.json([HeaderField]()) == "[]")
        // The same text Foundation's sorted-key encoder writes, for plain values.
        let plain = [HeaderField("a", "1"), HeaderField("b", "two words")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(StoreCodec.json(plain) == String(decoding: try encoder.encode(plain), as: UTF8.self))
    }

    @Test("a principal encodes the same the first time and from the memo, and reads back")
    func principal() throws {
        let principal = Principal(issuer: "https://issuer.example", subject: "repo:acme/app", displayName: "acme", groups: ["a", "b"])
        let first = StoreCodec.json(principal)
        #expect(StoreCodec.json(principal) == first)
        #expect(try StoreCodec.decode(Principal.self, first, field: "principal") == principal)
        var other = principal
        other.groups = ["c"]
        #expect(try StoreCodec.decode(Principal.self, StoreCodec.json(other), field: "principal") == other)
    }

    @Test("event marks read back in order")
    func events() throws {
        let marks = [EventMark(offset: 0, length: 17, arrivalMicros: 1_234), EventMark(offset: 17, length: 3, arrivalMicros: -5)]
        #expect(StoreCodec.events(marks) == "[[0,17,1234],[17,3,-5]]")
        #expect(try StoreCodec.events(from: StoreCodec.events(marks)) == marks)
        #expect(try StoreCodec.events(from: StoreCodec.events([])) == [])
    }
}
