import Foundation

/// The few facts Warden reads from a Messages API request body; the body itself is forwarded untouched. Only the small
/// top-level values are read up front, straight from the bytes: an agent's body carries its whole conversation, and
/// most requests (those with a session id) never need the messages themselves.
public struct MessagesRequest: Sendable {
    public var model: String?
    public var stream: Bool
    public var metadataUserID: String?
    /// Each element of `messages`, as the bytes the caller sent.
    public let messageBytes: [ArraySlice<UInt8>]
    /// Where the body's parts sit, when the walk could follow it; the guardrails read the same layout.
    public let layout: RequestLayout?

    /// Nil when the body is not a JSON object: such requests are still forwarded, the upstream judges them.
    public init?(json body: [UInt8]) {
        layout = RequestLayout(body: body)
        if let layout {
            model = layout.members["model"].flatMap { CanonicalJSON.string(body[$0]) }
            stream = layout.members["stream"].map { body[$0].elementsEqual("true".utf8) } ?? false
            // Metadata is small and optional; Foundation reads it.
            metadataUserID = layout.members["metadata"].flatMap { Self.userID(inMetadata: try? JSONSerialization.jsonObject(with: Data(body[$0]))) }
            messageBytes = layout.messages.map { body[$0] }
        } else if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            // A body the layout walk could not follow is read by the JSON parser instead.
            model = object["model"] as? String
            stream = JSONScalar.bool(object["stream"]) ?? false
            metadataUserID = Self.userID(inMetadata: object["metadata"])
            let messages = object["messages"] as? [Any] ?? []
            messageBytes = messages.map { message in
                let data = try? JSONSerialization.data(withJSONObject: [message], options: [.fragmentsAllowed])
                return ArraySlice(data.map { Array($0.dropFirst().dropLast()) } ?? [])
            }
        } else {
            return nil
        }
    }

    private static func userID(inMetadata metadata: Any?) -> String? {
        (metadata as? [String: Any])?["user_id"] as? String
    }
}
