import Foundation
import Testing
import WardenCore

@Suite("Messages request facts")
struct MessagesRequestTests {
    @Test("model, stream, metadata.user_id and messages are read")
    func reads() throws {
        let body = #"""
            {"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,
             "metadata":{"user_id":"user_abc_account_def_session_0b8f"},
             "messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"Hi"},{"role":"user","content":"Bye"}]}
            """#
        let request = try #require(MessagesRequest(json: Array(body.utf8)))
        #expect(request.model == "claude-sonnet-4-5")
        #expect(request.stream == true)
        #expect(request.metadataUserID == "user_abc_account_def_session_0b8f")
        #expect(
            request.messageBytes.map { String(decoding: $0, as: UTF8.self) } == [
                #"{"role":"user","content":"Hello"}"#, #"{"role":"assistant","content":"Hi"}"#, #"{"role":"user","content":"Bye"}"#,
            ]
        )
    }

    @Test("values are read as JSON: escapes resolved, whitespace around them ignored")
    func spelledValues() throws {
        let request = try #require(MessagesRequest(json: Array(#"{ "model" : "claude\u002dsonnet\/4" , "stream" : true , "messages" : [ ] }"#.utf8)))
        #expect(request.model == "claude-sonnet/4")
        #expect(request.stream == true)
        #expect(request.messageBytes.isEmpty)
    }

    @Test("absent fields: no model, not streaming, no user id, no messages")
    func absentFields() throws {
        let request = try #require(MessagesRequest(json: Array("{}".utf8)))
        #expect(request.model == nil)
        #expect(request.stream == false)
        #expect(request.metadataUserID == nil)
        #expect(request.messageBytes.isEmpty)
    }

    @Test("fields of the wrong type are treated as absent")
    func wrongTypes() throws {
        let body = #"{"model":42,"stream":"true","metadata":{"user_id":7},"messages":{"role":"user"}}"#
        let request = try #require(MessagesRequest(json: Array(body.utf8)))
        #expect(request.model == nil)
        #expect(request.stream == false)
        #expect(request.metadataUserID == nil)
        #expect(request.messageBytes.isEmpty)
        let metadataString = try #require(MessagesRequest(json: Array(#"{"metadata":"user_1","stream":false}"#.utf8)))
        #expect(metadataString.metadataUserID == nil)
        #expect(metadataString.stream == false)
    }

    @Test("nil for anything that is not a JSON object", arguments: ["", "not json", "[1,2]", #""text""#, "42", "null", "{", #"{"model":"x""#])
    func notAnObject(body: String) {
        #expect(MessagesRequest(json: Array(body.utf8)) == nil)
    }

    @Test("nil for bytes that are not UTF-8")
    func notUTF8() {
        #expect(MessagesRequest(json: [0x7B, 0xFF, 0xFE, 0x7D]) == nil)
    }
}
