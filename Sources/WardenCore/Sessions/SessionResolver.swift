import Foundation

/// Decides which session evidence a request carries, in the order DESIGN.md fixes:
/// Claude Code's session id, then `X-Warden-Session`, then the CI run, then the conversation itself.
public enum SessionResolver {
    public static let claudeCodeHeader = "x-claude-code-session-id"
    public static let wardenHeader = "x-warden-session"

    public static func assign(headers: [HeaderField], request: MessagesRequest?, principal: Principal) -> SessionAssignment {
        if let id = headers.first(named: claudeCodeHeader).flatMap(clean) {
            return SessionAssignment(source: .claudeCode, key: id)
        }
        if let id = request?.metadataUserID.flatMap(claudeCodeSession(fromUserID:)) {
            return SessionAssignment(source: .claudeCode, key: id)
        }
        if let id = headers.first(named: wardenHeader).flatMap(clean) {
            return SessionAssignment(source: .header, key: id)
        }
        if let run = principal.runID {
            return SessionAssignment(source: .ciRun, key: run)
        }
        let digests = request.map { ConversationFingerprint.prefixDigests(of: $0.messageBytes) } ?? []
        return SessionAssignment(
            source: .conversation,
            conversationPrefixes: digests.dropLast().reversed(),
            conversationDigest: digests.last
        )
    }

    /// Claude Code's `metadata.user_id`: a JSON string with `session_id` (≥ 2.1.78) or `…_session_<uuid>` (older).
    static func claudeCodeSession(fromUserID userID: String) -> String? {
        if userID.hasPrefix("{"), let data = userID.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let session = object["session_id"] as? String
        {
            return clean(session)
        }
        guard let marker = userID.range(of: "_session_", options: .backwards) else { return nil }
        return clean(String(userID[marker.upperBound...]))
    }

    /// Session ids are caller input: bounded, printable, trimmed.
    static func clean(_ value: String) -> String? {
        let trimmed = value.trimmingHTTPWhitespace
        guard !trimmed.isEmpty, trimmed.utf8.count <= 200, trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F })
        else { return nil }
        return trimmed
    }
}
