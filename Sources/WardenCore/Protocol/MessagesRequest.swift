import Foundation

/// The few facts Warden reads from a Messages API request body; the body itself is forwarded untouched.
public struct MessagesRequest: @unchecked Sendable {
    public var model: String?
    public var stream: Bool
    public var metadataUserID: String?
    /// The `messages` array as parsed JSON, kept only long enough to fingerprint the conversation and inspect it.
    public var messages: [Any]
    /// The `system` prompt as parsed JSON (a string or text blocks), for the guardrails.
    public var system: Any?

    /// Nil when the body is not a JSON object: such requests are still forwarded, the upstream judges them.
    public init?(json body: Data) {
        guard !body.isEmpty, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        model = object["model"] as? String
        stream = JSONScalar.bool(object["stream"]) ?? false
        metadataUserID = (object["metadata"] as? [String: Any])?["user_id"] as? String
        messages = object["messages"] as? [Any] ?? []
        system = object["system"]
    }
}
