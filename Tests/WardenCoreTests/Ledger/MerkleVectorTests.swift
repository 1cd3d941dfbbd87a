import Foundation
import Testing
import WardenCore

struct InclusionVector: Sendable, CustomTestStringConvertible {
    let leafIndex: UInt64
    let treeSize: UInt64
    let root: String
    let leafHash: String
    let proof: [String]

    var testDescription: String { "leaf \(leafIndex) of \(treeSize)" }
}

struct ConsistencyVector: Sendable, CustomTestStringConvertible {
    let size1: UInt64
    let size2: UInt64
    let root1: String
    let root2: String
    let proof: [String]

    var testDescription: String { "\(size1) to \(size2)" }
}

/// The happy paths of transparency-dev/merkle must verify, and every corruption its `cmd/proofgen` derives from them
/// (mirrored here from `invalidInclusionProof` and `invalidConsistencyProof`) must be refused. Hashes stay raw bytes
/// until the verifier is called, as on the wire: a corruption that is not 32 bytes long ("WrongLeaf", an empty
/// "garbage" element) is refused where Warden decodes it, because it cannot become a `MerkleHash`.
@Suite struct MerkleVectorTests {
    @Test(arguments: inclusionHappyPaths)
    func inclusionHappyPathVerifies(_ vector: InclusionVector) throws {
        let probe = InclusionProbe(vector)
        #expect(probe.refusal() == nil)
        let computed = try MerkleVerifier.rootFromInclusionProof(
            leafHash: try #require(MerkleHash(bytes: probe.leafHash)),
            index: probe.leafIndex,
            size: probe.treeSize,
            proof: probe.proof.map { try #require(MerkleHash(bytes: $0)) }
        )
        #expect(computed.bytes == probe.root)
    }

    @Test(arguments: inclusionHappyPaths)
    func inclusionCorruptionsAreRefused(_ vector: InclusionVector) {
        let probes = InclusionProbe(vector).corruptions()
        // 12 fixed corruptions, one bit flip per proof hash, a removed hash if there is one, an inserted one if two.
        #expect(probes.count == 12 + vector.proof.count + min(vector.proof.count, 1) + (vector.proof.count > 1 ? 1 : 0))
        for probe in probes {
            #expect(probe.refusal() != nil, "accepted: \(probe.description)")
        }
    }

    @Test(arguments: consistencyHappyPaths)
    func consistencyHappyPathVerifies(_ vector: ConsistencyVector) {
        #expect(ConsistencyProbe(vector).refusal() == nil)
    }

    @Test(arguments: consistencyHappyPaths)
    func consistencyCorruptionsAreRefused(_ vector: ConsistencyVector) {
        let probes = ConsistencyProbe(vector).corruptions()
        // proofgen derives no corruption from an empty proof (the 1-to-1 happy path): with size1 == size2 there is
        // nothing to corrupt but the roots, and several of its corruptions (an empty proof, say) would still verify.
        if vector.proof.isEmpty {
            #expect(probes.isEmpty)
        } else {
            #expect(probes.count == 17 + vector.proof.count)
        }
        for probe in probes {
            #expect(probe.refusal() != nil, "accepted: \(probe.description)")
        }
    }

    @Test func corruptionsAreRefusedForThePreciseReason() throws {
        let oneLeaf = InclusionProbe(inclusionHappyPaths[0])
        let leaf = try #require(MerkleHash(bytes: oneLeaf.leafHash))
        #expect(throws: MerkleProofError.indexBeyondSize(index: .max, size: 1)) {
            try MerkleVerifier.verifyInclusion(leafHash: leaf, index: 0 &- 1, size: 1, proof: [], root: leaf)
        }
        #expect(throws: MerkleProofError.wrongProofLength(count: 1, expected: 0)) {
            try MerkleVerifier.verifyInclusion(leafHash: leaf, index: 0, size: 1, proof: [leaf], root: leaf)
        }
        #expect(throws: MerkleProofError.rootMismatch(size: 1, computed: leaf, expected: RFC6962.emptyRoot)) {
            try MerkleVerifier.verifyInclusion(leafHash: leaf, index: 0, size: 1, proof: [], root: RFC6962.emptyRoot)
        }

        let vector = consistencyHappyPaths[2]
        let root1 = try #require(MerkleHash(base64: vector.root1))
        let root2 = try #require(MerkleHash(base64: vector.root2))
        let proof = try vector.proof.map { try #require(MerkleHash(base64: $0)) }
        #expect(throws: MerkleProofError.sizesOutOfOrder(size1: 8, size2: 6)) {
            try MerkleVerifier.verifyConsistency(size1: 8, size2: 6, root1: root2, root2: root1, proof: proof)
        }
        #expect(throws: MerkleProofError.wrongProofLength(count: 2, expected: 3)) {
            try MerkleVerifier.verifyConsistency(size1: 6, size2: 8, root1: root1, root2: root2, proof: Array(proof.dropLast()))
        }
        #expect(throws: MerkleProofError.wrongProofLength(count: 0, expected: 3)) {
            try MerkleVerifier.verifyConsistency(size1: 6, size2: 8, root1: root1, root2: root2, proof: [])
        }
        #expect(throws: MerkleProofError.wrongProofLength(count: 3, expected: 0)) {
            try MerkleVerifier.verifyConsistency(size1: 8, size2: 8, root1: root2, root2: root2, proof: proof)
        }
        let error = #expect(throws: MerkleProofError.self) {
            try MerkleVerifier.verifyConsistency(size1: 6, size2: 8, root1: RFC6962.emptyRoot, root2: root2, proof: proof)
        }
        #expect(error == .rootMismatch(size: 6, computed: root1, expected: RFC6962.emptyRoot))
        #expect(throws: MerkleProofError.rootMismatch(size: 8, computed: root2, expected: root1)) {
            try MerkleVerifier.verifyConsistency(size1: 6, size2: 8, root1: root1, root2: root1, proof: proof)
        }
    }

    /// The edge cases proofgen writes to `testdata/consistency/additional/`, with `proof.VerifyConsistency`'s verdicts.
    @Test func consistencyEdgeCasesFollowTransparencyDev() {
        let some = RFC6962.leafHash(Array("don't care".utf8))
        let empty = RFC6962.emptyRoot
        func verdict(_ size1: UInt64, _ size2: UInt64, _ root1: MerkleHash, _ root2: MerkleHash, _ proof: [MerkleHash]) -> Bool {
            (try? MerkleVerifier.verifyConsistency(size1: size1, size2: size2, root1: root1, root2: root2, proof: proof)) != nil
        }
        #expect(verdict(0, 0, empty, empty, []))
        #expect(verdict(1, 1, some, some, []))
        #expect(verdict(0, 1, empty, some, []))
        #expect(!verdict(0, 0, empty, some, []))
        #expect(!verdict(1, 1, empty, some, []))
        #expect(!verdict(0, 0, empty, empty, [empty]))
        #expect(!verdict(1, 1, empty, empty, [empty]))
        #expect(!verdict(0, 1, empty, empty, [empty]))
        #expect(!verdict(1, 0, some, some, []))
        #expect(!verdict(2, 1, some, some, []))
        #expect(!verdict(1, 2, some, some, []))
    }

    /// The probes proofgen writes to `testdata/inclusion/additional/` and `single-entry/`.
    @Test func inclusionEdgeCasesAreRefused() {
        let some = MerkleHash(hex: "abacaba000000000000000000000000000000000000000000060061e00123456")!
        for (index, size) in [(0, 0), (0, 1), (1, 0), (2, 1)] as [(UInt64, UInt64)] {
            #expect(throws: MerkleProofError.self) {
                try MerkleVerifier.verifyInclusion(leafHash: some, index: index, size: size, proof: [], root: RFC6962.emptyRoot)
            }
        }
        let data = RFC6962.leafHash(Array("data".utf8))
        #expect(throws: Never.self) { try MerkleVerifier.verifyInclusion(leafHash: data, index: 0, size: 1, proof: [], root: data) }
    }

    @Test func referenceTreeHasTheReferenceRoots() throws {
        let leaves = try referenceLeafInputs.map { RFC6962.leafHash(try hexBytes($0)) }
        var tree = MerkleTree()
        for leaf in leaves { tree.append(leafHash: leaf) }
        let loaded = MerkleTree(leafHashes: leaves)
        for (size, hex) in referenceRootHashes.enumerated() {
            #expect(try tree.root(size: UInt64(size)).hex == hex)
            #expect(try loaded.root(size: UInt64(size)).hex == hex)
        }
    }

    /// The happy paths are proofs about the reference tree, so the tree must produce exactly them.
    @Test func referenceTreeProducesTheHappyPaths() throws {
        let tree = MerkleTree(leafHashes: try referenceLeafInputs.map { RFC6962.leafHash(try hexBytes($0)) })
        for vector in inclusionHappyPaths {
            let proof = try tree.inclusionProof(index: vector.leafIndex, size: vector.treeSize)
            #expect(proof.map(\.base64) == vector.proof, "\(vector.testDescription)")
            #expect(try tree.root(size: vector.treeSize).base64 == vector.root)
        }
        for vector in consistencyHappyPaths {
            let proof = try tree.consistencyProof(from: vector.size1, to: vector.size2)
            #expect(proof.map(\.base64) == vector.proof, "\(vector.testDescription)")
        }
    }
}

/// One inclusion verification as proofgen writes it to a JSON file.
private struct InclusionProbe: CustomStringConvertible {
    var leafIndex: UInt64
    var treeSize: UInt64
    var root: [UInt8]
    var leafHash: [UInt8]
    var proof: [[UInt8]]
    var name = "happy path"

    init(_ vector: InclusionVector) {
        leafIndex = vector.leafIndex
        treeSize = vector.treeSize
        root = base64Bytes(vector.root)
        leafHash = base64Bytes(vector.leafHash)
        proof = vector.proof.map(base64Bytes)
    }

    var description: String { "\(name) (leaf \(leafIndex) of \(treeSize))" }

    /// Why Warden refuses this probe, or nil if it verifies.
    func refusal() -> String? {
        guard let leaf = MerkleHash(bytes: leafHash) else { return "leaf hash is \(leafHash.count) bytes" }
        guard let root = MerkleHash(bytes: root) else { return "root is \(root.count) bytes" }
        var hashes: [MerkleHash] = []
        for element in proof {
            guard let hash = MerkleHash(bytes: element) else { return "proof has a \(element.count)-byte hash" }
            hashes.append(hash)
        }
        do {
            try MerkleVerifier.verifyInclusion(leafHash: leaf, index: leafIndex, size: treeSize, proof: hashes, root: root)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// proofgen's `invalidInclusionProof`, in its order.
    func corruptions() -> [InclusionProbe] {
        var probes = [
            with("leafIdx - 1") { $0.leafIndex = leafIndex &- 1 },
            with("leafIdx + 1") { $0.leafIndex = leafIndex &+ 1 },
            with("leafIdx ^ 2") { $0.leafIndex = leafIndex ^ 2 },
            with("treeSize * 2") { $0.treeSize = treeSize &* 2 },
            with("treeSize div 2") { $0.treeSize = treeSize / 2 },
            with("wrong leaf") { $0.leafHash = Array("WrongLeaf".utf8) },
            with("empty root") { $0.root = emptyTreeHash },
            with("random root") { $0.root = someHash },
            with("trailing garbage") { $0.proof = proof + [[]] },
            with("trailing root") { $0.proof = proof + [root] },
            with("preceding garbage") { $0.proof = [[]] + proof },
            with("preceding root") { $0.proof = [root] + proof },
        ]
        for index in proof.indices {
            probes.append(with("modified proof[\(index)] bit 3") { $0.proof[index][0] ^= 8 })
        }
        if !proof.isEmpty {
            probes.append(with("removed component") { $0.proof = Array(proof.dropLast()) })
        }
        if proof.count > 1 {
            probes.append(with("inserted component") { $0.proof = [proof[0], someHash] + proof[1...] })
        }
        return probes
    }

    private func with(_ name: String, _ change: (inout InclusionProbe) -> Void) -> InclusionProbe {
        var probe = self
        probe.name = name
        change(&probe)
        return probe
    }
}

/// One consistency verification as proofgen writes it to a JSON file.
private struct ConsistencyProbe: CustomStringConvertible {
    var size1: UInt64
    var size2: UInt64
    var root1: [UInt8]
    var root2: [UInt8]
    var proof: [[UInt8]]
    var name = "happy path"

    init(_ vector: ConsistencyVector) {
        size1 = vector.size1
        size2 = vector.size2
        root1 = base64Bytes(vector.root1)
        root2 = base64Bytes(vector.root2)
        proof = vector.proof.map(base64Bytes)
    }

    var description: String { "\(name) (\(size1) to \(size2))" }

    /// Why Warden refuses this probe, or nil if it verifies.
    func refusal() -> String? {
        guard let first = MerkleHash(bytes: root1) else { return "root1 is \(root1.count) bytes" }
        guard let second = MerkleHash(bytes: root2) else { return "root2 is \(root2.count) bytes" }
        var hashes: [MerkleHash] = []
        for element in proof {
            guard let hash = MerkleHash(bytes: element) else { return "proof has a \(element.count)-byte hash" }
            hashes.append(hash)
        }
        do {
            try MerkleVerifier.verifyConsistency(size1: size1, size2: size2, root1: first, root2: second, proof: hashes)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// proofgen's `invalidConsistencyProof`, in its order; `corruptedConsistencyProbes` derives none from an
    /// empty proof.
    func corruptions() -> [ConsistencyProbe] {
        guard !proof.isEmpty else { return [] }
        var probes = [
            with("size1 - 1") { $0.size1 = size1 &- 1 },
            with("size1 + 1") { $0.size1 = size1 &+ 1 },
            with("size1 ^ 2") { $0.size1 = size1 ^ 2 },
            with("size2 * 2") { $0.size2 = size2 &* 2 },
            with("size2 div 2") { $0.size2 = size2 / 2 },
            with("wrong root1") { $0.root1 = Array("WrongRoot".utf8) },
            with("wrong root2") { $0.root2 = Array("WrongRoot".utf8) },
            with("swapped roots") { ($0.root1, $0.root2) = (root2, root1) },
            with("empty proof") { $0.proof = [] },
            with("trailing garbage") { $0.proof = proof + [[]] },
            with("trailing root1") { $0.proof = proof + [root1] },
            with("trailing root2") { $0.proof = proof + [root2] },
            with("preceding garbage") { $0.proof = [[]] + proof },
            with("preceding root1") { $0.proof = [root1] + proof },
            with("preceding root2") { $0.proof = [root2] + proof },
            with("preceding proof[0]") { $0.proof = [proof[0]] + proof },
            with("truncated proof") { $0.proof = Array(proof.dropLast()) },
        ]
        for index in proof.indices {
            probes.append(with("modified proof[\(index)] bit 4") { $0.proof[index][0] ^= 16 })
        }
        return probes
    }

    private func with(_ name: String, _ change: (inout ConsistencyProbe) -> Void) -> ConsistencyProbe {
        var probe = self
        probe.name = name
        change(&probe)
        return probe
    }
}

/// proofgen's `sha256EmptyTreeHash` and `sha256SomeHash`.
private let emptyTreeHash = hexBytesOrCrash("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
private let someHash = hexBytesOrCrash("abacaba000000000000000000000000000000000000000000060061e00123456")

private func base64Bytes(_ text: String) -> [UInt8] {
    Array(Data(base64Encoded: text)!)
}

private struct BadHex: Error {}

private func hexBytes(_ text: String) throws -> [UInt8] {
    let digits = Array(text.utf8)
    guard digits.count.isMultiple(of: 2) else { throw BadHex() }
    return try stride(from: 0, to: digits.count, by: 2).map { start in
        guard let byte = UInt8(String(decoding: digits[start..<start + 2], as: UTF8.self), radix: 16) else { throw BadHex() }
        return byte
    }
}

private func hexBytesOrCrash(_ text: String) -> [UInt8] {
    try! hexBytes(text)
}
