extension MerkleTree {
    /// The audit path of RFC 9162 §2.1.3.1 (PATH) that proves leaf `index` is in the tree of `size` leaves,
    /// deepest sibling first. Walking down from the root, every sibling but the first one that lies on the
    /// right edge is a complete subtree, so the path costs O(log n) hashes.
    public func inclusionProof(index: UInt64, size: UInt64) throws(MerkleTreeError) -> [MerkleHash] {
        let size = try checkedSize(size)
        guard index < UInt64(size) else { throw .indexOutOfRange(index: index, size: UInt64(size)) }
        let leaf = Int(index)
        var path: [MerkleHash] = []
        path.reserveCapacity(Int.bitWidth)
        var range = 0..<size
        while range.count > 1 {
            let split = range.lowerBound + Self.largestPowerOfTwo(below: range.count)
            if leaf < split {
                path.append(subtreeHash(split..<range.upperBound))
                range = range.lowerBound..<split
            } else {
                path.append(subtreeHash(range.lowerBound..<split))
                range = split..<range.upperBound
            }
        }
        path.reverse()
        return path
    }

    /// The consistency proof of RFC 9162 §2.1.4.1 (PROOF and SUBPROOF) that the tree of `to` leaves extends the
    /// tree of `from` leaves. Empty when `from` is 0 or equals `to`: there is nothing to prove then.
    public func consistencyProof(from: UInt64, to: UInt64) throws(MerkleTreeError) -> [MerkleHash] {
        let newSize = try checkedSize(to)
        guard from <= to else { throw .sizesOutOfOrder(from: from, to: to) }
        let oldSize = Int(from)
        guard oldSize > 0, oldSize < newSize else { return [] }
        var proof: [MerkleHash] = []
        proof.reserveCapacity(Int.bitWidth)
        var range = 0..<newSize
        var isOldTreeRoot = true
        while oldSize != range.upperBound {
            let split = range.lowerBound + Self.largestPowerOfTwo(below: range.count)
            if oldSize <= split {
                proof.append(subtreeHash(split..<range.upperBound))
                range = range.lowerBound..<split
            } else {
                proof.append(subtreeHash(range.lowerBound..<split))
                range = split..<range.upperBound
                isOldTreeRoot = false
            }
        }
        if !isOldTreeRoot { proof.append(subtreeHash(range)) }
        proof.reverse()
        return proof
    }

    /// The k of RFC 6962's split: the largest power of two smaller than `count`, for `count` > 1.
    private static func largestPowerOfTwo(below count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }
}
