/// The proof checks of RFC 9162, step by step as the RFC writes them, so that anyone auditing Warden's ledger
/// can hold the code against the text. The edge cases the RFC leaves out (equal sizes, an empty first tree) follow
/// transparency-dev/merkle's `proof.VerifyConsistency`, which other logs' clients use.
public enum MerkleVerifier {
    /// RFC 9162 §2.1.3.2 up to its last comparison: the root that `proof` leads to from leaf `index`, for callers
    /// that hold several trusted tree heads and look the computed root up among them.
    public static func rootFromInclusionProof(
        leafHash: MerkleHash,
        index: UInt64,
        size: UInt64,
        proof: [MerkleHash]
    ) throws(MerkleProofError) -> MerkleHash {
        // 1. leaf_index must be below tree_size.
        guard index < size else { throw .indexBeyondSize(index: index, size: size) }
        // 2. and 3.
        var fn = index
        var sn = size - 1
        var r = leafHash
        // 4.
        for p in proof {
            // a. A path longer than the tree is tall.
            guard sn != 0 else { throw .wrongProofLength(count: proof.count, expected: inclusionPathLength(index: index, size: size)) }
            // b.
            if fn & 1 == 1 || fn == sn {
                r = RFC6962.nodeHash(left: p, right: r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = RFC6962.nodeHash(left: r, right: p)
            }
            // c.
            fn >>= 1
            sn >>= 1
        }
        // 5. A path that stops short of the root.
        guard sn == 0 else { throw .wrongProofLength(count: proof.count, expected: inclusionPathLength(index: index, size: size)) }
        return r
    }

    /// RFC 9162 §2.1.3.2: proves that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`.
    public static func verifyInclusion(
        leafHash: MerkleHash,
        index: UInt64,
        size: UInt64,
        proof: [MerkleHash],
        root: MerkleHash
    ) throws(MerkleProofError) {
        let computed = try rootFromInclusionProof(leafHash: leafHash, index: index, size: size, proof: proof)
        guard computed == root else { throw .rootMismatch(size: size, computed: computed, expected: root) }
    }

    /// RFC 9162 §2.1.4.2: proves that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves
    /// with root `root1`, i.e. that the log only appended. Equal sizes need an empty proof and equal roots; an
    /// empty first tree is consistent with any later one, and only an empty proof shows it.
    public static func verifyConsistency(
        size1: UInt64,
        size2: UInt64,
        root1: MerkleHash,
        root2: MerkleHash,
        proof: [MerkleHash]
    ) throws(MerkleProofError) {
        guard size1 <= size2 else { throw .sizesOutOfOrder(size1: size1, size2: size2) }
        if size1 == size2 || size1 == 0 {
            guard proof.isEmpty else { throw .wrongProofLength(count: proof.count, expected: 0) }
            if size1 == size2, root1 != root2 { throw .rootMismatch(size: size2, computed: root1, expected: root2) }
            return
        }
        let wrongLength = MerkleProofError.wrongProofLength(
            count: proof.count,
            expected: consistencyProofLength(size1: size1, size2: size2)
        )
        // 1.
        guard !proof.isEmpty else { throw wrongLength }
        // 2.
        let path = size1 & (size1 - 1) == 0 ? [root1] + proof : proof
        // 3.
        var fn = size1 - 1
        var sn = size2 - 1
        // 4.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5.
        var fr = path[0]
        var sr = path[0]
        // 6.
        for c in path.dropFirst() {
            // a. A path longer than the new tree is tall.
            guard sn != 0 else { throw wrongLength }
            // b.
            if fn & 1 == 1 || fn == sn {
                fr = RFC6962.nodeHash(left: c, right: fr)
                sr = RFC6962.nodeHash(left: c, right: sr)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = RFC6962.nodeHash(left: sr, right: c)
            }
            // c.
            fn >>= 1
            sn >>= 1
        }
        // 7.
        guard sn == 0 else { throw wrongLength }
        guard fr == root1 else { throw .rootMismatch(size: size1, computed: fr, expected: root1) }
        guard sr == root2 else { throw .rootMismatch(size: size2, computed: sr, expected: root2) }
    }

    /// How many hashes §2.1.3.2 consumes before its walk reaches the root, to say what a wrong proof lacked.
    private static func inclusionPathLength(index: UInt64, size: UInt64) -> Int {
        stepsToRoot(fn: index, sn: size - 1)
    }

    /// How many hashes §2.1.4.2 consumes for 0 < size1 < size2, less the first root it supplies itself when
    /// size1 is a power of two.
    private static func consistencyProofLength(size1: UInt64, size2: UInt64) -> Int {
        var fn = size1 - 1
        var sn = size2 - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        return (size1 & (size1 - 1) == 0 ? 0 : 1) + stepsToRoot(fn: fn, sn: sn)
    }

    /// The number of proof hashes the shared walk of §2.1.3.2 and §2.1.4.2 takes from (fn, sn) until sn reaches 0.
    private static func stepsToRoot(fn start: UInt64, sn end: UInt64) -> Int {
        var fn = start
        var sn = end
        var length = 0
        while sn != 0 {
            if fn & 1 == 0 && fn == sn {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            fn >>= 1
            sn >>= 1
            length += 1
        }
        return length
    }
}

/// Why a proof was refused. Each case says which check of RFC 9162 failed, for the audit log.
public enum MerkleProofError: Error, Equatable, Sendable {
    /// The leaf index is not below the tree size, so no tree of that size has such a leaf.
    case indexBeyondSize(index: UInt64, size: UInt64)
    /// The newer tree is smaller than the older one: logs only grow.
    case sizesOutOfOrder(size1: UInt64, size2: UInt64)
    /// The proof has more or fewer hashes than the path between these sizes (and index) needs.
    case wrongProofLength(count: Int, expected: Int)
    /// The proof leads to another root than the one claimed for the tree of this size.
    case rootMismatch(size: UInt64, computed: MerkleHash, expected: MerkleHash)
}
