import Crypto
import Foundation

/// Chained digests of a conversation's messages, so a request whose messages extend an earlier request's
/// can be tied to that request's session without storing or comparing whole histories.
public enum ConversationFingerprint {
    /// Digest i covers messages 0...i. Each message is canonicalised first (sorted keys, `cache_control` removed),
    /// because agents move cache breakpoints between turns without changing the conversation.
    public static func prefixDigests(of messages: [Any]) -> [String] {
        var chain = SHA256.hash(data: Data("warden-conversation-v1".utf8))
        var digests: [String] = []
        digests.reserveCapacity(messages.count)
        for message in messages {
            var hasher = SHA256()
            hasher.update(data: Data(chain))
            hasher.update(data: canonical(message))
            chain = hasher.finalize()
            digests.append(chain.hexString)
        }
        return digests
    }

    static func canonical(_ value: Any) -> Data {
        let stripped = withoutCacheControl(value)
        guard JSONSerialization.isValidJSONObject([stripped]),
            let data = try? JSONSerialization.data(withJSONObject: [stripped], options: [.sortedKeys, .fragmentsAllowed])
        else { return Data(String(describing: stripped).utf8) }
        return data
    }

    private static func withoutCacheControl(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var copy: [String: Any] = [:]
            for (key, inner) in object where key != "cache_control" {
                copy[key] = withoutCacheControl(inner)
            }
            return copy
        }
        if let array = value as? [Any] {
            return array.map(withoutCacheControl)
        }
        return value
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex, the form digests take in records, exports and logs.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SHA256Digest {
    public var hexString: String { Array(self).hexString }
}
