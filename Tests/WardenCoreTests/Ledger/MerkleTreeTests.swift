import Testing
import WardenCore

/// The tree against RFC 9162 §2.1 as written — MTH, PATH and SUBPROOF by their recursive definitions — at every
/// size up to 1024, and its proofs against the verifier.
@Suite struct MerkleTreeTests {
    @Test func rootsAtEveryEarlierSizeMatchMTH() throws {
        let leaves = distinctLeaves(1024)
        let reference = ReferenceTree(leaves)
        var tree = MerkleTree()
        #expect(tree.root == RFC6962.emptyRoot)
        for size in 1...leaves.count {
            tree.append(leafHash: leaves[size - 1])
            #expect(tree.size == UInt64(size))
            #expect(tree.root == reference.mth(0..<size))
            // Appending must leave every earlier tree as it was.
            for earlier in 0...size {
                let root = try tree.root(size: UInt64(earlier))
                if root != reference.mth(0..<earlier) {
                    Issue.record("root(size: \(earlier)) wrong after \(size) appends")
                    return
                }
            }
        }
    }

    @Test func inclusionProofsArePATHAndVerify() throws {
        let leaves = distinctLeaves(1024)
        let reference = ReferenceTree(leaves)
        let tree = MerkleTree(leafHashes: leaves)
        var random = SplitMix64(seed: 6962)
        for size in 1...leaves.count {
            let root = try tree.root(size: UInt64(size))
            let indices = size <= 256 ? Array(0..<size) : [0, size - 1] + (0..<6).map { _ in Int.random(in: 0..<size, using: &random) }
            for index in indices {
                let proof = try tree.inclusionProof(index: UInt64(index), size: UInt64(size))
                guard proof == reference.path(index, 0..<size) else {
                    Issue.record("inclusionProof(index: \(index), size: \(size)) is not PATH")
                    return
                }
                try MerkleVerifier.verifyInclusion(leafHash: leaves[index], index: UInt64(index), size: UInt64(size), proof: proof, root: root)
            }
        }
    }

    @Test func consistencyProofsArePROOFAndVerify() throws {
        let leaves = distinctLeaves(1024)
        let reference = ReferenceTree(leaves)
        let tree = MerkleTree(leafHashes: leaves)
        var random = SplitMix64(seed: 9162)
        for size2 in 0...leaves.count {
            let root2 = try tree.root(size: UInt64(size2))
            let sizes1 = size2 <= 128 ? Array(0...size2) : [0, 1, size2 - 1, size2] + (0..<6).map { _ in Int.random(in: 1...size2, using: &random) }
            for size1 in sizes1 {
                let proof = try tree.consistencyProof(from: UInt64(size1), to: UInt64(size2))
                let expected = size1 == 0 || size1 == size2 ? [] : reference.proof(size1, size2)
                guard proof == expected else {
                    Issue.record("consistencyProof(from: \(size1), to: \(size2)) is not PROOF")
                    return
                }
                let root1 = try tree.root(size: UInt64(size1))
                try MerkleVerifier.verifyConsistency(size1: UInt64(size1), size2: UInt64(size2), root1: root1, root2: root2, proof: proof)
            }
        }
    }

    @Test func inclusionProofsWithAnyBitFlippedAreRefused() throws {
        let leaves = distinctLeaves(1024)
        let tree = MerkleTree(leafHashes: leaves)
        var random = SplitMix64(seed: 1)
        for _ in 0..<24 {
            let size = UInt64.random(in: 2...1024, using: &random)
            let index = UInt64.random(in: 0..<size, using: &random)
            let proof = try tree.inclusionProof(index: index, size: size)
            let root = try tree.root(size: size)
            let leaf = leaves[Int(index)]
            try MerkleVerifier.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root)
            func accepts(_ index: UInt64, _ proof: [MerkleHash], _ root: MerkleHash) -> Bool {
                (try? MerkleVerifier.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root)) != nil
            }
            for element in proof.indices {
                for bit in 0..<256 {
                    var flipped = proof
                    flipped[element] = flipped[element].flipping(bit: bit)
                    if accepts(index, flipped, root) { Issue.record("accepted proof[\(element)] bit \(bit) flipped, leaf \(index) of \(size)") }
                }
            }
            for bit in 0..<256 where accepts(index, proof, root.flipping(bit: bit)) {
                Issue.record("accepted root bit \(bit) flipped, leaf \(index) of \(size)")
            }
            for bit in 0..<64 where accepts(index ^ 1 << bit, proof, root) {
                Issue.record("accepted index bit \(bit) flipped, leaf \(index) of \(size)")
            }
        }
    }

    @Test func consistencyProofsWithAnyBitFlippedAreRefused() throws {
        let tree = MerkleTree(leafHashes: distinctLeaves(1024))
        var random = SplitMix64(seed: 2)
        for _ in 0..<16 {
            let size2 = UInt64.random(in: 2...1024, using: &random)
            let size1 = UInt64.random(in: 1..<size2, using: &random)
            let proof = try tree.consistencyProof(from: size1, to: size2)
            let root1 = try tree.root(size: size1)
            let root2 = try tree.root(size: size2)
            try MerkleVerifier.verifyConsistency(size1: size1, size2: size2, root1: root1, root2: root2, proof: proof)
            func accepts(_ root1: MerkleHash, _ root2: MerkleHash, _ proof: [MerkleHash]) -> Bool {
                (try? MerkleVerifier.verifyConsistency(size1: size1, size2: size2, root1: root1, root2: root2, proof: proof)) != nil
            }
            for element in proof.indices {
                for bit in 0..<256 {
                    var flipped = proof
                    flipped[element] = flipped[element].flipping(bit: bit)
                    if accepts(root1, root2, flipped) { Issue.record("accepted proof[\(element)] bit \(bit) flipped, \(size1) to \(size2)") }
                }
            }
            for bit in 0..<256 {
                if accepts(root1.flipping(bit: bit), root2, proof) { Issue.record("accepted root1 bit \(bit) flipped, \(size1) to \(size2)") }
                if accepts(root1, root2.flipping(bit: bit), proof) { Issue.record("accepted root2 bit \(bit) flipped, \(size1) to \(size2)") }
            }
        }
    }

    @Test func loadingLeafHashesBuildsTheSameTreeAsAppendingThem() {
        let leaves = distinctLeaves(1100)
        var tree = MerkleTree()
        #expect(MerkleTree(leafHashes: []) == tree)
        for size in 1...leaves.count {
            tree.append(leafHash: leaves[size - 1])
            if size <= 300 || size.isMultiple(of: 97) || size == leaves.count {
                #expect(MerkleTree(leafHashes: Array(leaves[..<size])) == tree, "size \(size)")
            }
        }
        // A tree that differs in one leaf is another tree.
        var other = leaves
        other[517] = RFC6962.leafHash([UInt8]())
        #expect(MerkleTree(leafHashes: other) != tree)
        #expect(MerkleTree(leafHashes: other).root != tree.root)
    }

    @Test func treeRefusesWhatItDoesNotHold() {
        let tree = MerkleTree(leafHashes: distinctLeaves(10))
        #expect(throws: MerkleTreeError.sizeBeyondTree(size: 11, treeSize: 10)) { try tree.root(size: 11) }
        #expect(throws: MerkleTreeError.sizeBeyondTree(size: .max, treeSize: 10)) { try tree.root(size: .max) }
        #expect(throws: MerkleTreeError.indexOutOfRange(index: 7, size: 7)) { try tree.inclusionProof(index: 7, size: 7) }
        #expect(throws: MerkleTreeError.indexOutOfRange(index: 0, size: 0)) { try tree.inclusionProof(index: 0, size: 0) }
        #expect(throws: MerkleTreeError.sizeBeyondTree(size: 11, treeSize: 10)) { try tree.inclusionProof(index: 0, size: 11) }
        #expect(throws: MerkleTreeError.sizesOutOfOrder(from: 6, to: 5)) { try tree.consistencyProof(from: 6, to: 5) }
        #expect(throws: MerkleTreeError.sizeBeyondTree(size: 11, treeSize: 10)) { try tree.consistencyProof(from: 2, to: 11) }
        #expect(throws: MerkleTreeError.sizeBeyondTree(size: 12, treeSize: 10)) { try tree.consistencyProof(from: 12, to: 12) }
    }
}

/// RFC 9162 §2.1's recursive definitions, taken literally; results are memoised by range only to keep the
/// exhaustive checks fast, which does not change what is computed.
private final class ReferenceTree {
    private let leaves: [MerkleHash]
    private var hashes: [Range<Int>: MerkleHash] = [:]

    init(_ leaves: [MerkleHash]) {
        self.leaves = leaves
    }

    /// MTH(D[range]).
    func mth(_ range: Range<Int>) -> MerkleHash {
        if let hash = hashes[range] { return hash }
        let hash: MerkleHash
        switch range.count {
        case 0: hash = RFC6962.emptyRoot
        case 1: hash = leaves[range.lowerBound]
        default:
            let split = range.lowerBound + largestPowerOfTwo(below: range.count)
            hash = RFC6962.nodeHash(left: mth(range.lowerBound..<split), right: mth(split..<range.upperBound))
        }
        hashes[range] = hash
        return hash
    }

    /// PATH(m, D[range]), m counted from the start of the whole tree.
    func path(_ m: Int, _ range: Range<Int>) -> [MerkleHash] {
        guard range.count > 1 else { return [] }
        let split = range.lowerBound + largestPowerOfTwo(below: range.count)
        if m < split {
            return path(m, range.lowerBound..<split) + [mth(split..<range.upperBound)]
        }
        return path(m, split..<range.upperBound) + [mth(range.lowerBound..<split)]
    }

    /// PROOF(m, D[n]) for 0 < m < n.
    func proof(_ m: Int, _ n: Int) -> [MerkleHash] {
        subproof(m, 0..<n, true)
    }

    /// SUBPROOF(m, D[range], b), m counted from the start of the range.
    private func subproof(_ m: Int, _ range: Range<Int>, _ b: Bool) -> [MerkleHash] {
        if m == range.count { return b ? [] : [mth(range)] }
        let k = largestPowerOfTwo(below: range.count)
        let split = range.lowerBound + k
        if m <= k {
            return subproof(m, range.lowerBound..<split, b) + [mth(split..<range.upperBound)]
        }
        return subproof(m - k, split..<range.upperBound, false) + [mth(range.lowerBound..<split)]
    }
}

private func largestPowerOfTwo(below count: Int) -> Int {
    var power = 1
    while power * 2 < count { power *= 2 }
    return power
}

/// Leaf hashes of the entries 0, 1, 2, … so that no two leaves are alike.
private func distinctLeaves(_ count: Int) -> [MerkleHash] {
    (0..<count).map { RFC6962.leafHash(withUnsafeBytes(of: UInt64($0).littleEndian) { Array($0) }) }
}

extension MerkleHash {
    fileprivate func flipping(bit: Int) -> MerkleHash {
        var bytes = self.bytes
        bytes[bit / 8] ^= 1 << (bit % 8)
        return MerkleHash(bytes: bytes)!
    }
}

/// A seeded generator, so that a failing sample is the same sample on the next run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
