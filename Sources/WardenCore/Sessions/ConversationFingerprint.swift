import Crypto
import Foundation

/// Chained digests of a conversation's messages, so a request whose messages extend an earlier request's
/// can be tied to that request's session without storing or comparing whole histories.
public enum ConversationFingerprint {
    /// Digest i covers messages 0...i: d₋₁ = SHA-256("warden-conversation-v2"), dᵢ = SHA-256(dᵢ₋₁ ‖ canonical(mᵢ)).
    /// Each message is put in `CanonicalJSON` form with `cache_control` left out, because agents move cache
    /// breakpoints between turns without changing the conversation; a message that is not JSON counts by its bytes.
    public static func prefixDigests<Message: Collection<UInt8>>(of messages: [Message]) -> [String] {
        var chain = SHA256.hash(data: Array("warden-conversation-v2".utf8))
        var digests: [String] = []
        digests.reserveCapacity(messages.count)
        for message in messages {
            var hasher = SHA256()
            chain.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            if let canonical = CanonicalJSON.canonical(message, dropping: ["cache_control"]) {
                hasher.update(data: canonical)
            } else {
                hasher.update(data: Array(message))
            }
            chain = hasher.finalize()
            digests.append(chain.hexString)
        }
        return digests
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
