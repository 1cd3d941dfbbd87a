import Testing
import WardenCore

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    private func canonical(_ json: String, dropping: Set<String> = []) -> String? {
        CanonicalJSON.canonical(Array(json.utf8), dropping: dropping).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("members sorted by key at every depth, whitespace removed, arrays kept in order")
    func sorting() {
        #expect(canonical(#" { "b" : 1 , "a" : { "d" : [ 3 , 1 ] , "c" : true } } "#) == #"{"a":{"c":true,"d":[3,1]},"b":1}"#)
        #expect(canonical(#"{"é":1,"z":2,"e":3,"Z":4}"#) == #"{"Z":4,"e":3,"z":2,"é":1}"#)
        #expect(canonical("[]") == "[]")
        #expect(canonical("{}") == "{}")
    }

    @Test("named members are dropped at every depth, nowhere else")
    func dropping() {
        let json = #"{"cache_control":{"type":"ephemeral"},"content":[{"text":"cache_control","cache_control":1}]}"#
        #expect(canonical(json, dropping: ["cache_control"]) == #"{"content":[{"text":"cache_control"}]}"#)
    }

    @Test("strings are decoded and re-escaped minimally")
    func strings() {
        #expect(canonical(#""a\/b \u00e9 \ud83d\ude00 \"q\" \\ \n\t\b\f\r \u0001 \u001F""#) == #""a/b é 😀 \"q\" \\ \n\t\b\f\r \u0001 \u001f""#)
        #expect(canonical(#""\ud83d alone""#) == "\"\u{FFFD} alone\"")
    }

    @Test("numbers keep their source text; literals are checked")
    func scalars() {
        #expect(canonical("[1.50,-2e3,0,true,false,null]") == "[1.50,-2e3,0,true,false,null]")
        #expect(canonical("tru") == nil)
        #expect(canonical("nul") == nil)
    }

    @Test(
        "anything that is not exactly one JSON value is refused",
        arguments: [
            "", "{", #"{"a":1"#, #"{"a" 1}"#, #"{"a":1,}"#, "[1,]", "[1 2]", #""open"#, #""bad \x escape""#, "\"raw \u{01} control\"", "{} {}",
            "{a:1}",
        ]
    )
    func refused(json: String) {
        #expect(canonical(json) == nil)
    }

    @Test("nesting deeper than the limit is refused rather than recursed into")
    func depth() {
        let deep = String(repeating: "[", count: CanonicalJSON.maximumDepth + 1) + String(repeating: "]", count: CanonicalJSON.maximumDepth + 1)
        let allowed = String(repeating: "[", count: CanonicalJSON.maximumDepth) + String(repeating: "]", count: CanonicalJSON.maximumDepth)
        #expect(canonical(deep) == nil)
        #expect(canonical(allowed) == allowed)
    }

    @Test("a string's value, or nil for anything else")
    func stringValue() {
        #expect(CanonicalJSON.string(Array(#""claude\u002dsonnet\n""#.utf8)) == "claude-sonnet\n")
        #expect(CanonicalJSON.string(Array(#" "x" "#.utf8)) == "x")
        #expect(CanonicalJSON.string(Array("42".utf8)) == nil)
        #expect(CanonicalJSON.string(Array(#""x" 1"#.utf8)) == nil)
        #expect(CanonicalJSON.string(Array(#""x"#.utf8)) == nil)
    }
}
