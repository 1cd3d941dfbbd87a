import Foundation

/// The few facts Warden reads from a Messages API request body; the body itself is forwarded untouched. Only the small
/// top-level values are parsed up front: an agent's body carries its whole conversation, and most requests (those
/// with a session id) never need the messages themselves.
public struct MessagesRequest: Sendable {
    public var model: String?
    public var stream: Bool
    public var metadataUserID: String?
    private let body: [UInt8]
    private let messageRanges: [Range<Int>]?

    /// Nil when the body is not a JSON object: such requests are still forwarded, the upstream judges them.
    public init?(json data: Data) {
        let body = Array(data)
        let object: [String: Any]
        var messageRanges: [Range<Int>]?
        if let layout = RequestLayout(body: body) {
            object = layout.members.filter { ["model", "stream", "metadata"].contains($0.key) }.compactMapValues {
                try? JSONSerialization.jsonObject(with: Data(body[$0]), options: [.fragmentsAllowed])
            }
            messageRanges = layout.messages
        } else if let parsed = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            // A body the layout walk could not follow is read by the JSON parser instead.
            object = parsed
        } else {
            return nil
        }
        model = object["model"] as? String
        stream = JSONScalar.bool(object["stream"]) ?? false
        metadataUserID = (object["metadata"] as? [String: Any])?["user_id"] as? String
        self.body = body
        self.messageRanges = messageRanges
    }

    /// The `messages` array as parsed JSON, parsed when asked for (to fingerprint a conversation without a session id).
    public var messages: [Any] {
        guard let messageRanges else {
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            return object?["messages"] as? [Any] ?? []
        }
        return messageRanges.compactMap { try? JSONSerialization.jsonObject(with: Data(body[$0])) }
    }
}
