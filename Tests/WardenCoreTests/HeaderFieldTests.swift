import Foundation
import Testing
import WardenCore

@Suite("Header fields")
struct HeaderFieldTests {
    static let headers = [
        HeaderField("Content-Type", "application/json"),
        HeaderField("anthropic-beta", "one"),
        HeaderField("Anthropic-Beta", "two"),
        HeaderField("x-empty", ""),
    ]

    @Test("first(named:) compares names case-insensitively and returns the first of repeats")
    func firstNamed() {
        #expect(Self.headers.first(named: "content-type") == "application/json")
        #expect(Self.headers.first(named: "CONTENT-TYPE") == "application/json")
        #expect(Self.headers.first(named: "ANTHROPIC-BETA") == "one")
        #expect(Self.headers.first(named: "x-empty") == "")
        #expect(Self.headers.first(named: "x-missing") == nil)
        #expect(Self.headers.first(named: "content-typ") == nil)
        #expect([HeaderField]().first(named: "a") == nil)
    }

    @Test("name and value are kept exactly as on the wire")
    func verbatim() {
        let field = HeaderField("X-Odd-Case", "  spaced value  ")
        #expect(field.name == "X-Odd-Case")
        #expect(field.value == "  spaced value  ")
        #expect(HeaderField("a", "1") != HeaderField("A", "1"))
    }

    @Test("Codable round-trips name and value, order and repeats included")
    func codable() throws {
        let encoded = try JSONEncoder().encode(Self.headers)
        #expect(try JSONDecoder().decode([HeaderField].self, from: encoded) == Self.headers)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [[String: String]])
        #expect(object.first == ["name": "Content-Type", "value": "application/json"])
    }
}

@Suite("HeaderField: name comparison")
struct HeaderFieldNameTests {
    @Test("names match regardless of ASCII letter case, and only letters fold")
    func asciiFolding() {
        #expect(HeaderField("X-Claude-Code-Session-Id", "s").isNamed("x-claude-code-session-id"))
        #expect(HeaderField("AUTHORIZATION", "a").isNamed("authorization"))
        #expect(!HeaderField("x@", "v").isNamed("x`"))
        #expect(!HeaderField("x-api-key", "v").isNamed("x-api-keys"))
        #expect(!HeaderField("x-api-kez", "v").isNamed("x-api-key"))
    }

    @Test("values lose the spaces and tabs around them, nothing else")
    func trimming() {
        #expect(" \t Bearer abc \t ".trimmingHTTPWhitespace == "Bearer abc")
        #expect("é x é".trimmingHTTPWhitespace == "é x é")
        #expect(" \t ".trimmingHTTPWhitespace == "")
        #expect("".trimmingHTTPWhitespace == "")
        #expect("\nvalue\n".trimmingHTTPWhitespace == "\nvalue\n")
        #expect("  ünïcode ".dropFirst().trimmingHTTPWhitespace == "ünïcode")
    }
}
