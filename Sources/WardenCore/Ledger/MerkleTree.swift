/// The ledger's append-only RFC 6962 Merkle tree, held in memory as the hashes of every complete subtree:
/// `levels[k][j]` is the hash of leaves `j << k ..< (j + 1) << k`. Those never change once complete, so an
/// append hashes only the subtrees it completes, and the root or a proof at any earlier size combines at most
/// one hash per level.
public struct MerkleTree: Sendable, Equatable {
    /// Level 0 holds the leaf hashes; level k holds one hash per complete, aligned run of 2^k leaves.
    private var levels: [[MerkleHash]]

    public init() {
        levels = [[]]
    }

    /// Builds level by level rather than by appending, for the restart that reloads every leaf hash at once.
    public init(leafHashes: [MerkleHash]) {
        levels = [leafHashes]
        var below = leafHashes
        while below.count > 1 {
            let parents = [MerkleHash](unsafeUninitializedCapacity: below.count / 2) { parents, count in
                below.withUnsafeBufferPointer { children in
                    for index in 0..<parents.count {
                        parents.initializeElement(
                            at: index,
                            to: RFC6962.nodeHash(left: children[2 * index], right: children[2 * index + 1])
                        )
                    }
                }
                count = parents.count
            }
            levels.append(parents)
            below = parents
        }
    }

    /// The number of leaves, which is also the size of the current tree head.
    public var size: UInt64 { UInt64(levels[0].count) }

    /// The root of the whole tree, to sign as the current tree head.
    public var root: MerkleHash { rootOfPrefix(levels[0].count) }

    /// Appends the hash of the next entry, hashing only the subtrees it completes: one per trailing one-bit of the
    /// old size, so one on average.
    public mutating func append(leafHash: MerkleHash) {
        levels[0].append(leafHash)
        var level = 0
        while levels[level].count.isMultiple(of: 2) {
            let count = levels[level].count
            let parent = RFC6962.nodeHash(left: levels[level][count - 2], right: levels[level][count - 1])
            if level + 1 == levels.count { levels.append([]) }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    /// The root the tree had when it held `size` leaves, so that old tree heads can be checked and proven against.
    public func root(size: UInt64) throws(MerkleTreeError) -> MerkleHash {
        try rootOfPrefix(checkedSize(size))
    }

    /// The size as a count of leaves to index with, once it is known to be one the tree has had.
    func checkedSize(_ size: UInt64) throws(MerkleTreeError) -> Int {
        guard size <= self.size else { throw .sizeBeyondTree(size: size, treeSize: self.size) }
        return Int(size)
    }

    private func rootOfPrefix(_ size: Int) -> MerkleHash {
        size == 0 ? RFC6962.emptyRoot : subtreeHash(0..<size)
    }

    /// MTH(D[range]) for a non-empty range that is a node of the RFC 6962 tree of some size, i.e. whose start is a
    /// multiple of the largest power of two not above its length. Such a range splits into complete subtrees by the
    /// binary digits of its length, largest first, and MTH folds them together from the right.
    func subtreeHash(_ range: Range<Int>) -> MerkleHash {
        var remaining = range.count
        var end = range.upperBound
        var hash: MerkleHash?
        while remaining != 0 {
            let level = remaining.trailingZeroBitCount
            end -= 1 << level
            let node = levels[level][end >> level]
            hash = hash.map { RFC6962.nodeHash(left: node, right: $0) } ?? node
            remaining &= remaining - 1
        }
        return hash!
    }
}

/// Why the tree cannot answer: it is asked about a leaf or a size it does not hold.
public enum MerkleTreeError: Error, Equatable, Sendable {
    /// The index is not that of a leaf in the tree of the given size.
    case indexOutOfRange(index: UInt64, size: UInt64)
    /// The size is larger than the tree has ever been.
    case sizeBeyondTree(size: UInt64, treeSize: UInt64)
    /// A consistency proof runs from an older, smaller tree to a newer one, never backwards.
    case sizesOutOfOrder(from: UInt64, to: UInt64)
}
