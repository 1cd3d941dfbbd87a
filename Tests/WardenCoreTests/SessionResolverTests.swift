import Foundation
import Testing
import WardenCore

@Suite("Session resolution: strongest evidence first")
struct SessionResolverTests {
    static let ciPrincipal = Principal(issuer: "https://token.actions.githubusercontent.com", subject: "repo:acme/app", runID: "github:acme/app/42/1")
    static let person = Principal(issuer: "https://idp.example", subject: "alice")

    // MARK: Precedence

    @Test("Claude Code header > metadata.user_id > X-Warden-Session > CI run > conversation")
    func precedence() {
        let all = [HeaderField("X-Claude-Code-Session-Id", "cc-header"), HeaderField("X-Warden-Session", "warden-header")]
        let withUserID = request(userID: "user_1_account_2_session_cc-metadata")

        let first = SessionResolver.assign(headers: all, request: withUserID, principal: Self.ciPrincipal)
        #expect(first == SessionAssignment(source: .claudeCode, key: "cc-header"))

        let second = SessionResolver.assign(headers: [all[1]], request: withUserID, principal: Self.ciPrincipal)
        #expect(second == SessionAssignment(source: .claudeCode, key: "cc-metadata"))

        let third = SessionResolver.assign(headers: [all[1]], request: request(), principal: Self.ciPrincipal)
        #expect(third == SessionAssignment(source: .header, key: "warden-header"))

        let fourth = SessionResolver.assign(headers: [], request: request(), principal: Self.ciPrincipal)
        #expect(fourth == SessionAssignment(source: .ciRun, key: "github:acme/app/42/1"))

        let fifth = SessionResolver.assign(headers: [], request: request(), principal: Self.person)
        #expect(fifth.source == .conversation)
        #expect(fifth.key == nil)
        #expect(fifth.conversationDigest != nil)
    }

    @Test("header names are matched in any case, and the first of repeated headers wins")
    func headerNames() {
        let headers = [HeaderField("x-claude-code-session-id", "one"), HeaderField("X-CLAUDE-CODE-SESSION-ID", "two")]
        #expect(SessionResolver.assign(headers: headers, request: nil, principal: Self.person).key == "one")
        #expect(SessionResolver.claudeCodeHeader == "x-claude-code-session-id")
        #expect(SessionResolver.wardenHeader == "x-warden-session")
        let warden = SessionResolver.assign(headers: [HeaderField("x-WARDEN-session", "w")], request: nil, principal: Self.person)
        #expect(warden == SessionAssignment(source: .header, key: "w"))
    }

    // MARK: metadata.user_id

    @Test(
        "metadata.user_id: the JSON form's session_id and the legacy _session_ suffix",
        arguments: [
            (
                #"{"device_id":"d41d8cd98f00","account_uuid":"","session_id":"6c3f9b2e-5d7a-4e8b-9c1d-2a4f6e8b0c3d"}"#,
                "6c3f9b2e-5d7a-4e8b-9c1d-2a4f6e8b0c3d"
            ),
            (#"{"session_id":"  padded  "}"#, "padded"),
            (
                "user_5f1c9a_account_7e2d4b6a-1c3e-4f5a-8b9c-0d1e2f3a4b5c_session_9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4",
                "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
            ),
            ("user_x_session_first_session_last", "last"),
        ]
    )
    func userID(userID: String, session: String) {
        let assignment = SessionResolver.assign(headers: [], request: request(userID: userID), principal: Self.ciPrincipal)
        #expect(assignment == SessionAssignment(source: .claudeCode, key: session))
    }

    @Test(
        "a user_id without a usable session falls through to the next evidence",
        arguments: [
            "user_5f1c9a_account_7e2d4b6a", #"{"device_id":"d","account_uuid":"a"}"#, #"{"session_id":42}"#, "user_1_session_",
            "user_1_session_has space", #"{"session_id":"bad\u0007bell"}"#, "", "{not json",
        ]
    )
    func unusableUserID(userID: String) {
        let assignment = SessionResolver.assign(
            headers: [HeaderField("X-Warden-Session", "fallback")],
            request: request(userID: userID),
            principal: Self.ciPrincipal
        )
        #expect(assignment == SessionAssignment(source: .header, key: "fallback"))
    }

    // MARK: Cleaning

    @Test(
        "ids are trimmed of spaces and tabs",
        arguments: [("  abc  ", "abc"), ("\tabc\t", "abc"), ("a-b_c.d:e@f/g", "a-b_c.d:e@f/g"), ("~!#$%^&*()", "~!#$%^&*()")]
    )
    func trimmed(value: String, key: String) {
        let assignment = SessionResolver.assign(headers: [HeaderField("X-Warden-Session", value)], request: nil, principal: Self.person)
        #expect(assignment == SessionAssignment(source: .header, key: key))
    }

    @Test("an id of exactly 200 bytes is kept")
    func longestID() {
        let id = String(repeating: "s", count: 200)
        let assignment = SessionResolver.assign(headers: [HeaderField("X-Claude-Code-Session-Id", id)], request: nil, principal: Self.person)
        #expect(assignment == SessionAssignment(source: .claudeCode, key: id))
    }

    @Test(
        "unusable ids are refused and the next evidence is used",
        arguments: [
            String(repeating: "s", count: 201), "", "   ", "has space", "line\nbreak", "bell\u{07}", "nul\u{00}", "tab\tinside", "del\u{7F}",
            "ünïcode", "emoji🙂", "trailing\n", "\r\nleading",
        ]
    )
    func refusedIDs(value: String) {
        let claudeCode = SessionResolver.assign(
            headers: [HeaderField("X-Claude-Code-Session-Id", value), HeaderField("X-Warden-Session", "next")],
            request: nil,
            principal: Self.person
        )
        #expect(claudeCode == SessionAssignment(source: .header, key: "next"))
        let warden = SessionResolver.assign(headers: [HeaderField("X-Warden-Session", value)], request: nil, principal: Self.ciPrincipal)
        #expect(warden == SessionAssignment(source: .ciRun, key: "github:acme/app/42/1"))
        let metadata = SessionResolver.assign(headers: [], request: request(userID: "user_1_session_" + value), principal: Self.ciPrincipal)
        #expect(metadata.source == .ciRun)
    }

    // MARK: Conversation

    @Test("conversation: prefixes are the message-list prefixes longest first, excluding the whole list")
    func conversationPrefixes() throws {
        let messages = [user("one"), assistant("two"), user("three"), assistant("four")]
        let assignment = SessionResolver.assign(headers: [], request: request(messages: messages), principal: Self.person)
        let digests = ConversationFingerprint.prefixDigests(of: messages.map(json))
        #expect(digests.count == 4)
        #expect(assignment.source == .conversation)
        #expect(assignment.key == nil)
        #expect(assignment.conversationDigest == digests[3])
        #expect(assignment.conversationPrefixes == [digests[2], digests[1], digests[0]])
    }

    @Test("the next turn's prefixes contain this turn's digest, so the two requests share a session")
    func nextTurnLinks() throws {
        let turn1 = [user("Fix the failing test")]
        let turn2 = turn1 + [assistant("Which test?"), user("test_login")]
        let first = SessionResolver.assign(headers: [], request: request(messages: turn1), principal: Self.person)
        let second = SessionResolver.assign(headers: [], request: request(messages: turn2), principal: Self.person)
        let firstDigest = try #require(first.conversationDigest)
        #expect(first.conversationPrefixes.isEmpty)
        #expect(second.conversationPrefixes.last == firstDigest)
        #expect(second.conversationPrefixes.count == 2)
        #expect(second.conversationDigest != firstDigest)

        let unrelated = SessionResolver.assign(
            headers: [],
            request: request(messages: [user("Other"), assistant("x"), user("y")]),
            principal: Self.person
        )
        #expect(!unrelated.conversationPrefixes.contains(firstDigest))
    }

    @Test("no request body or no messages: a conversation with nothing to match")
    func emptyConversation() {
        let none = SessionResolver.assign(headers: [], request: nil, principal: Self.person)
        #expect(none == SessionAssignment(source: .conversation))
        let empty = SessionResolver.assign(headers: [], request: request(messages: []), principal: Self.person)
        #expect(empty == SessionAssignment(source: .conversation))
    }

    @Test("a single message has a digest and no prefixes")
    func singleMessage() {
        let assignment = SessionResolver.assign(headers: [], request: request(messages: [user("hi")]), principal: Self.person)
        #expect(assignment.conversationPrefixes.isEmpty)
        #expect(assignment.conversationDigest == ConversationFingerprint.prefixDigests(of: [json(user("hi"))]).first)
    }

    @Test("session sources have the documented raw values")
    func sources() {
        #expect(SessionSource.allCases.map(\.rawValue) == ["claude_code", "header", "ci_run", "conversation"])
    }
}

// MARK: - Helpers

private func user(_ text: String) -> [String: Any] { ["role": "user", "content": text] }

private func assistant(_ text: String) -> [String: Any] { ["role": "assistant", "content": [["type": "text", "text": text]]] }

private func json(_ message: [String: Any]) -> [UInt8] { Array((try? JSONSerialization.data(withJSONObject: message)) ?? Data()) }

private func request(userID: String? = nil, messages: [[String: Any]] = [["role": "user", "content": "hello"]]) -> MessagesRequest? {
    var body: [String: Any] = ["model": "claude-sonnet-4-5", "max_tokens": 16, "messages": messages]
    if let userID { body["metadata"] = ["user_id": userID] }
    guard let data = try? JSONSerialization.data(withJSONObject: body) else { return nil }
    return MessagesRequest(json: Array(data))
}
