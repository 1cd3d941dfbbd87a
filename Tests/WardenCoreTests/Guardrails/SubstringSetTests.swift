import Testing

@testable import WardenCore

/// `SubstringSet` replaces one search per placeholder marker; it must find the same.
@Suite("SubstringSet")
struct SubstringSetTests {
    private func occurs(_ strings: [String], in text: String) -> Bool {
        SubstringSet(strings.map { Array($0.utf8) }).occurs(in: Array(text.utf8))
    }

    @Test func findsAnyStringAnywhere() {
        #expect(occurs(["xxxx", "example"], in: "akiaiosfodnn7example"))
        #expect(occurs(["xxxx", "example"], in: "xxxxabc"))
        #expect(occurs(["<", "..."], in: "abc..."))
        #expect(occurs(["ab", "abc"], in: "zabc"))
        #expect(!occurs(["xxxx", "example"], in: "xxxexampl"))
        #expect(!occurs(["abcd"], in: "abc"))
        #expect(!occurs([], in: "anything"))
        #expect(!occurs(["a"], in: ""))
    }

    @Test func agreesWithSearchingEachString() {
        let markers = Placeholder.markerBytes.map { String(decoding: $0, as: UTF8.self) }
        let values = ["k3j9x8q2m4n7b5v1", "your_token_here", "abc${x}", "0000000-0000", "00000000-0000-1", "…é<", "sk-live-fake_1"]
        for value in values {
            #expect(occurs(markers, in: value) == markers.contains { value.contains($0) }, "\(value)")
        }
    }
}
