import Crypto
import Foundation

/// The RFC 6962 (§2.1) hashing of a Merkle tree, which RFC 9162 keeps for SHA-256 trees. Leaves and interior
/// nodes get different one-byte prefixes so that no leaf can ever be passed off as a node (second preimage).
public enum RFC6962 {
    /// The root of the tree with no leaves, so that even an empty ledger has a root to sign.
    public static let emptyRoot = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// SHA-256(0x00 || data): the only way a ledger entry enters the tree.
    public static func leafHash(_ data: some DataProtocol) -> MerkleHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x00)) { hasher.update(bufferPointer: $0) }
        hasher.update(data: data)
        return MerkleHash(digest: hasher.finalize())
    }

    /// SHA-256(0x01 || left || right), hashed from one stack buffer because a tree of a million leaves makes
    /// a million of these.
    public static func nodeHash(left: MerkleHash, right: MerkleHash) -> MerkleHash {
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * MerkleHash.byteCount, alignment: 1) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1...MerkleHash.byteCount]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[(1 + MerkleHash.byteCount)...]).copyMemory(from: $0) }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return MerkleHash(digest: hasher.finalize())
        }
    }

    /// The same hash over children of any length, as RFC 6962 defines it, to reproduce other implementations'
    /// known answers.
    static func nodeHash(left: some DataProtocol, right: some DataProtocol) -> MerkleHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0x01)) { hasher.update(bufferPointer: $0) }
        hasher.update(data: left)
        hasher.update(data: right)
        return MerkleHash(digest: hasher.finalize())
    }
}
