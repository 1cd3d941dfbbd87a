/// Why an add-checkpoint request body was refused.
public enum WitnessRequestError: Error, Equatable, Sendable {
    /// No blank line ends the old-size and proof lines.
    case missingBlankLine
    /// The first line is not `old <decimal without leading zeros>`.
    case malformedOldSize
    /// This proof line (1-based) is not the canonical base64 of a 32-byte hash.
    case malformedProofLine(Int)
    case tooManyProofLines
    /// A consistency proof from the empty tree must be empty.
    case proofFromEmptyTree
    case checkpoint(CheckpointError)
}

/// The body of a c2sp.org/tlog-witness `POST <submission prefix>/add-checkpoint`: `old <size>\n`, the consistency proof
/// from that size, a blank line, then the signed checkpoint. Warden serialises it as the log; a test witness parses it.
public struct WitnessRequest: Sendable, Hashable {
    /// Appended to the witness's submission prefix.
    public static let path = "add-checkpoint"
    /// The spec's cap; a proof between 63-bit tree sizes never needs more.
    public static let maximumProofLength = 63

    public let oldSize: UInt64
    public let consistencyProof: [MerkleHash]
    public let signedCheckpoint: SignedNote
    /// The parsed body of `signedCheckpoint` (signatures not verified).
    public let checkpoint: Checkpoint

    public init(oldSize: UInt64, consistencyProof: [MerkleHash], signedCheckpoint: SignedNote) throws(WitnessRequestError) {
        guard consistencyProof.count <= Self.maximumProofLength else { throw .tooManyProofLines }
        guard oldSize > 0 || consistencyProof.isEmpty else { throw .proofFromEmptyTree }
        guard !signedCheckpoint.signatures.isEmpty else { throw .checkpoint(.note(.noSignatures)) }
        do throws(CheckpointError) {
            self.checkpoint = try Checkpoint(body: signedCheckpoint.text)
        } catch {
            throw .checkpoint(error)
        }
        self.oldSize = oldSize
        self.consistencyProof = consistencyProof
        self.signedCheckpoint = signedCheckpoint
    }

    public init(parsing text: String, signatureLimit: Int = SignedNote.defaultSignatureLimit) throws(WitnessRequestError) {
        try self.init(parsing: Array(text.utf8), signatureLimit: signatureLimit)
    }

    /// Parses as a witness must: everything up to the first blank line is the old size and the proof, the rest is the
    /// signed checkpoint, whose signatures the witness still has to verify.
    public init(parsing input: some Collection<UInt8>, signatureLimit: Int = SignedNote.defaultSignatureLimit) throws(WitnessRequestError) {
        let bytes = Array(input)
        guard let split = NoteText.firstIndex(of: [NoteText.newline, NoteText.newline], in: bytes) else {
            throw .missingBlankLine
        }
        let header = bytes[...split].dropLast().split(separator: NoteText.newline, omittingEmptySubsequences: false)
        guard let first = header.first, NoteText.hasPrefix(first, "old "),
            let oldSize = NoteText.decodeDecimal(first.dropFirst(4), maximum: Checkpoint.maximumSize)
        else { throw .malformedOldSize }
        let proofLines = header.dropFirst()
        guard proofLines.count <= Self.maximumProofLength else { throw .tooManyProofLines }
        var proof: [MerkleHash] = []
        for (number, line) in zip(1..., proofLines) {
            guard let hashBytes = NoteText.decodeBase64(line), let hash = MerkleHash(bytes: hashBytes) else {
                throw .malformedProofLine(number)
            }
            proof.append(hash)
        }
        let note: SignedNote
        do throws(SignedNoteError) {
            note = try SignedNote(parsing: bytes[(split + 2)...], signatureLimit: signatureLimit)
        } catch {
            throw .checkpoint(.note(error))
        }
        try self.init(oldSize: oldSize, consistencyProof: proof, signedCheckpoint: note)
    }

    public var body: String {
        var result = "old " + String(oldSize) + "\n"
        for hash in consistencyProof {
            result += hash.base64 + "\n"
        }
        return result + "\n" + signedCheckpoint.serialized
    }
}
