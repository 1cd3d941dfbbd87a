import Foundation
import Testing
import WardenCore

@Suite("Compact token: hostile headers are refused before any cryptography")
struct CompactTokenTests {
    @Test("a well-formed token exposes its header, claims, algorithm, key id, issuer and subject")
    func wellFormed() throws {
        let token = try CompactToken(
            compact(
                header: #"{"alg":"ES256","kid":"key-2024","typ":"JWT"}"#,
                claims: #"{"iss":"https://idp.example","sub":"alice","aud":["w"],"exp":1700000000}"#
            )
        )
        #expect(token.algorithm == "ES256")
        #expect(token.keyID == "key-2024")
        #expect(token.issuer == "https://idp.example")
        #expect(token.subject == "alice")
        #expect(token.header["typ"] as? String == "JWT")
        #expect(token.claims["aud"] as? [String] == ["w"])
        #expect((token.claims["exp"] as? NSNumber)?.intValue == 1_700_000_000)
        #expect(Set(token.claims.keys) == ["iss", "sub", "aud", "exp"])
    }

    @Test("without kid, iss or sub those are nil; non-string iss and sub are nil")
    func optionalFields() throws {
        let bare = try CompactToken(compact(header: #"{"alg":"RS256"}"#, claims: #"{}"#))
        #expect(bare.keyID == nil)
        #expect(bare.issuer == nil)
        #expect(bare.subject == nil)
        let numeric = try CompactToken(compact(claims: #"{"iss":42,"sub":["a"]}"#))
        #expect(numeric.issuer == nil)
        #expect(numeric.subject == nil)
    }

    @Test("alg none is refused in any letter case, even with an empty signature", arguments: ["none", "NONE", "None", "nOnE"])
    func algorithmNone(alg: String) {
        #expect(throws: TokenRefusal.algorithmNone) { try CompactToken(compact(header: #"{"alg":"\#(alg)"}"#)) }
        #expect(throws: TokenRefusal.algorithmNone) { try CompactToken(compact(header: #"{"alg":"\#(alg)"}"#, signature: "")) }
    }

    @Test("a header that offers its own key is refused", arguments: ["jku", "x5u", "jwk", "x5c"])
    func embeddedKey(name: String) {
        let values = [
            "jku": #""https://evil.example/jwks""#, "x5u": #""https://evil.example/cert""#, "jwk": #"{"kty":"oct","k":"c2VjcmV0"}"#,
            "x5c": #"["MIIB"]"#,
        ]
        let header = #"{"alg":"RS256","kid":"k","\#(name)":\#(values[name]!)}"#
        #expect(throws: TokenRefusal.embeddedKey(name)) { try CompactToken(compact(header: header)) }
    }

    @Test("crit extensions are refused")
    func critical() {
        #expect(throws: TokenRefusal.unsupportedCritical) {
            try CompactToken(compact(header: #"{"alg":"RS256","crit":["exp"],"exp":1}"#))
        }
        #expect(throws: TokenRefusal.unsupportedCritical) { try CompactToken(compact(header: #"{"alg":"RS256","crit":[]}"#)) }
    }

    @Test("a kid that is not a string is refused", arguments: ["7", #"["k1"]"#, "null", #"{"id":"k"}"#, "true"])
    func nonStringKid(kid: String) {
        #expect(throws: TokenRefusal.malformed("kid is not a string")) {
            try CompactToken(compact(header: #"{"alg":"RS256","kid":\#(kid)}"#))
        }
    }

    @Test("a kid over 256 bytes is refused; 256 bytes is accepted")
    func longKid() throws {
        let longest = String(repeating: "k", count: 256)
        #expect(try CompactToken(compact(header: #"{"alg":"RS256","kid":"\#(longest)"}"#)).keyID == longest)
        #expect(throws: TokenRefusal.malformed("kid too long")) {
            try CompactToken(compact(header: #"{"alg":"RS256","kid":"\#(longest)k"}"#))
        }
    }

    @Test("16 KiB is the limit: exactly 16384 bytes pass, one more byte is refused unread")
    func sizeLimit() throws {
        #expect(CompactToken.maximumLength == 16 * 1024)
        let prefix = compact(signature: "")
        let atLimit = prefix + String(repeating: "s", count: 16384 - prefix.utf8.count)
        #expect(atLimit.utf8.count == 16384)
        #expect(try CompactToken(atLimit).issuer == "https://idp.example")
        #expect(throws: TokenRefusal.tooLarge(limit: 16384)) { try CompactToken(atLimit + "s") }
        // Refused before it is read: even garbage over the limit is "too large", not "malformed".
        #expect(throws: TokenRefusal.tooLarge(limit: 16384)) { try CompactToken(String(repeating: "%", count: 20_000)) }
    }

    @Test("anything but three dot-separated parts is refused", arguments: ["", "abc", "a.b", "a.b.c.d", "a..b.c", "....."])
    func segmentCount(token: String) {
        #expect(throws: TokenRefusal.malformed("expected three dot-separated parts")) { try CompactToken(token) }
    }

    @Test("characters outside the base64url alphabet are refused in every part")
    func notBase64URL() {
        let header = segment(#"{"alg":"RS256"}"#)
        let claims = segment(#"{"iss":"https://idp.example"}"#)
        let hostile = [
            "\(header)=.\(claims).sig",
            "\(header).\(claims)==.sig",
            "\(header).\(claims).sig+/",
            "\(header).\(claims).sig=",
            "\(header).\(claims).si g",
            "\(header).\(claims).sïg",
            " \(header).\(claims).sig",
            "\(header).\(claims).sig\n",
        ]
        for token in hostile {
            #expect(throws: TokenRefusal.malformed("not base64url"), "\(token)") { try CompactToken(token) }
        }
    }

    @Test(
        "a header that is not a JSON object is refused",
        arguments: [segment("[1,2]"), segment(#""RS256""#), segment("42"), segment(#"{"alg":"#), segment("null"), "A", ""]
    )
    func headerNotObject(header: String) {
        #expect(throws: TokenRefusal.malformed("header is not a JSON object")) {
            try CompactToken("\(header).\(segment(#"{"iss":"x"}"#)).sig")
        }
    }

    @Test("a payload that is not a JSON object is refused", arguments: [segment("[]"), segment(#""claims""#), segment("{"), ""])
    func payloadNotObject(payload: String) {
        #expect(throws: TokenRefusal.malformed("payload is not a JSON object")) {
            try CompactToken("\(segment(#"{"alg":"RS256"}"#)).\(payload).sig")
        }
    }

    @Test("a header without a string alg is refused")
    func noAlgorithm() {
        for header in [#"{"typ":"JWT"}"#, #"{"alg":256}"#, #"{"alg":null}"#] {
            #expect(throws: TokenRefusal.malformed("header has no alg"), "\(header)") { try CompactToken(compact(header: header)) }
        }
    }

    @Test("an empty signature is refused")
    func emptySignature() {
        #expect(throws: TokenRefusal.malformed("empty signature")) { try CompactToken(compact(signature: "")) }
    }

    @Test("base64url decoding: unpadded, URL alphabet; an impossible length is nil")
    func base64URL() {
        #expect(Data(base64URL: "") == Data())
        #expect(Data(base64URL: "YQ") == Data("a".utf8))
        #expect(Data(base64URL: "YWI") == Data("ab".utf8))
        #expect(Data(base64URL: "YWJj") == Data("abc".utf8))
        #expect(Data(base64URL: "-_-_") == Data([0xFB, 0xFF, 0xBF]))
        #expect(Data(base64URL: "YWJjZ") == nil)
        #expect(Data(base64URL: "Y") == nil)
    }
}

// MARK: - Helpers

private func segment(_ json: String) -> String {
    Data(json.utf8).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

private func compact(
    header: String = #"{"alg":"RS256","kid":"k1","typ":"JWT"}"#,
    claims: String = #"{"iss":"https://idp.example","sub":"alice"}"#,
    signature: String = "c2lnbmF0dXJlLWJ5dGVz"
) -> String {
    "\(segment(header)).\(segment(claims)).\(signature)"
}
