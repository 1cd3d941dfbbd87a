/// Why a tlog-proof receipt was refused.
public enum TLogProofError: Error, Equatable, Sendable {
    /// The first line is not `c2sp.org/tlog-proof@v1`.
    case missingHeader
    /// An `extra` line whose data is not canonical base64.
    case malformedExtra
    /// No `index <decimal without leading zeros>` line where one must be.
    case malformedIndex
    /// This proof line (1-based) is not the canonical base64 of a 32-byte hash.
    case malformedProofLine(Int)
    case tooManyProofLines
    /// The input ends before the blank line that introduces the checkpoint.
    case missingCheckpoint
    case checkpoint(CheckpointError)
    case policy(PolicyVerificationError)
    /// The index is not below the checkpoint's tree size.
    case indexOutOfRange
    /// The caller's Merkle check refused the inclusion proof.
    case inclusionNotProven
}

/// A c2sp.org/tlog-proof@v1 receipt: an offline-verifiable proof that an entry is in the log, made of the entry's index,
/// its inclusion proof, and the log's (co)signed checkpoint, so that it verifies with only the origin and a policy.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra <base64>              (optional, not authenticated)
/// index <N>
/// <base64 hash>               (zero or more)
///
/// <signed checkpoint, verbatim>
/// ```
///
/// Parsing is strict and canonical: anything it accepts serialises back to the same bytes, so an altered receipt either
/// fails to parse or carries different values, which then fail verification.
public struct TLogProof: Sendable, Hashable {
    public static let header = "c2sp.org/tlog-proof@v1"
    /// An inclusion proof in a tree of at most 2^63 - 1 leaves has at most 63 hashes.
    public static let maximumProofLength = 63

    /// Opaque application data; never trust it, the spec leaves it unauthenticated.
    public let extra: [UInt8]?
    public let index: UInt64
    public let inclusionProof: [MerkleHash]
    public let signedCheckpoint: SignedNote
    /// The parsed body of `signedCheckpoint` (signatures not verified).
    public let checkpoint: Checkpoint

    public init(index: UInt64, inclusionProof: [MerkleHash], signedCheckpoint: SignedNote, extra: [UInt8]? = nil) throws(TLogProofError) {
        guard inclusionProof.count <= Self.maximumProofLength else { throw .tooManyProofLines }
        guard !signedCheckpoint.signatures.isEmpty else { throw .checkpoint(.note(.noSignatures)) }
        do throws(CheckpointError) {
            self.checkpoint = try Checkpoint(body: signedCheckpoint.text)
        } catch {
            throw .checkpoint(error)
        }
        self.extra = extra
        self.index = index
        self.inclusionProof = inclusionProof
        self.signedCheckpoint = signedCheckpoint
    }

    public init(parsing text: String, signatureLimit: Int = SignedNote.defaultSignatureLimit) throws(TLogProofError) {
        try self.init(parsing: Array(text.utf8), signatureLimit: signatureLimit)
    }

    public init(parsing input: some Collection<UInt8>, signatureLimit: Int = SignedNote.defaultSignatureLimit) throws(TLogProofError) {
        let bytes = Array(input)
        var position = 0
        /// The next newline-terminated line, without its newline; nil at the end of the input.
        func nextLine() -> ArraySlice<UInt8>? {
            guard let end = bytes[position...].firstIndex(of: NoteText.newline) else { return nil }
            defer { position = end + 1 }
            return bytes[position..<end]
        }
        guard let first = nextLine(), first.elementsEqual(Self.header.utf8) else { throw .missingHeader }
        guard var line = nextLine() else { throw .malformedIndex }
        var extra: [UInt8]?
        if NoteText.hasPrefix(line, "extra ") {
            guard let data = NoteText.decodeBase64(line.dropFirst(6)) else { throw .malformedExtra }
            extra = data
            guard let following = nextLine() else { throw .malformedIndex }
            line = following
        }
        guard NoteText.hasPrefix(line, "index "), let index = NoteText.decodeDecimal(line.dropFirst(6)) else {
            throw .malformedIndex
        }
        var proof: [MerkleHash] = []
        while true {
            guard let proofLine = nextLine() else { throw .missingCheckpoint }
            if proofLine.isEmpty { break }
            guard proof.count < Self.maximumProofLength else { throw .tooManyProofLines }
            guard let hashBytes = NoteText.decodeBase64(proofLine), let hash = MerkleHash(bytes: hashBytes) else {
                throw .malformedProofLine(proof.count + 1)
            }
            proof.append(hash)
        }
        let note: SignedNote
        do throws(SignedNoteError) {
            note = try SignedNote(parsing: bytes[position...], signatureLimit: signatureLimit)
        } catch {
            throw .checkpoint(.note(error))
        }
        try self.init(index: index, inclusionProof: proof, signedCheckpoint: note, extra: extra)
    }

    public var serialized: String {
        var result = Self.header + "\n"
        if let extra { result += "extra " + NoteText.encodeBase64(extra) + "\n" }
        result += "index " + String(index) + "\n"
        for hash in inclusionProof {
            result += hash.base64 + "\n"
        }
        return result + "\n" + signedCheckpoint.serialized
    }

    /// What the caller's RFC 6962 verifier must check: that `proof` leads from `leafHash` at `index` to `rootHash` in a
    /// tree of `treeSize` leaves.
    public struct InclusionClaim: Sendable, Hashable {
        public let leafHash: MerkleHash
        public let index: UInt64
        public let treeSize: UInt64
        public let proof: [MerkleHash]
        public let rootHash: MerkleHash
    }

    /// Verifies the receipt offline: the checkpoint satisfies `policy` (log signature and witness quorum), the index
    /// lies in the tree, and `inclusion` (the Merkle verifier, kept out of this format layer) accepts the proof.
    public func verify(
        policy: WitnessPolicy,
        leafHash: MerkleHash,
        inclusion: (InclusionClaim) -> Bool
    ) throws(TLogProofError) -> Checkpoint {
        let verified: Checkpoint
        do throws(PolicyVerificationError) {
            verified = try policy.verify(signedCheckpoint)
        } catch {
            throw .policy(error)
        }
        guard index < verified.size else { throw .indexOutOfRange }
        let claim = InclusionClaim(
            leafHash: leafHash,
            index: index,
            treeSize: verified.size,
            proof: inclusionProof,
            rootHash: verified.rootHash
        )
        guard inclusion(claim) else { throw .inclusionNotProven }
        return verified
    }
}
