/// A receipt for one ledger entry: a C2SP tlog-proof whose `extra` line carries the entry's canonical encoding, so a
/// CI job can keep it as an artifact and anyone can check it later with only the file and the log's verifier key.
public enum Receipt {
    /// Why a receipt does not prove what it claims; each names the one thing that failed.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(TLogProofError)
        case noEntry
        case malformedEntry(LedgerEntryDecodingError)
        case untrustedCheckpoint(PolicyVerificationError)
        case indexOutsideTree(index: UInt64, size: UInt64)
        case notIncluded
        case wrongLog(entry: String, checkpoint: String)

        public var description: String {
            switch self {
            case .malformed(let error): "not a tlog-proof receipt (\(error))"
            case .noEntry: "the receipt carries no Warden ledger entry in its extra line"
            case .malformedEntry(let error): "the ledger entry is malformed (\(error))"
            case .untrustedCheckpoint(let error): "the checkpoint is not trusted (\(error))"
            case .indexOutsideTree(let index, let size): "index \(index) lies outside the signed tree of \(size)"
            case .notIncluded: "the entry is not included in the signed tree: the inclusion proof does not lead to its root"
            case .wrongLog(let entry, let checkpoint): "the entry belongs to log \(entry), the checkpoint to \(checkpoint)"
            }
        }
    }

    public struct Verified: Sendable, Equatable {
        public let entry: LedgerEntry
        public let index: UInt64
        public let checkpoint: Checkpoint
    }

    /// The receipt for the leaf at `index` of `tree`, proven against `signedCheckpoint` (a checkpoint of that tree).
    public static func make(
        entry: LedgerEntry,
        index: UInt64,
        tree: MerkleTree,
        signedCheckpoint: SignedNote
    ) throws -> TLogProof {
        let checkpoint = try Checkpoint(body: signedCheckpoint.text)
        let proof = try tree.inclusionProof(index: index, size: checkpoint.size)
        return try TLogProof(index: index, inclusionProof: proof, signedCheckpoint: signedCheckpoint, extra: entry.encoded)
    }

    /// Checks a receipt offline: the checkpoint satisfies `policy`, the entry's leaf is included in its tree, and the
    /// entry belongs to the log that signed it.
    public static func verify(_ receipt: some Collection<UInt8>, policy: WitnessPolicy) -> Result<Verified, Problem> {
        let proof: TLogProof
        do throws(TLogProofError) {
            proof = try TLogProof(parsing: receipt)
        } catch {
            return .failure(.malformed(error))
        }
        guard let extra = proof.extra else { return .failure(.noEntry) }
        let entry: LedgerEntry
        do throws(LedgerEntryDecodingError) {
            entry = try LedgerEntry(encoded: extra)
        } catch {
            return .failure(.malformedEntry(error))
        }
        let checkpoint: Checkpoint
        do throws(TLogProofError) {
            checkpoint = try proof.verify(policy: policy, leafHash: entry.leafHash) { claim in
                (try? MerkleVerifier.verifyInclusion(
                    leafHash: claim.leafHash,
                    index: claim.index,
                    size: claim.treeSize,
                    proof: claim.proof,
                    root: claim.rootHash
                )) != nil
            }
        } catch {
            switch error {
            case .policy(let reason): return .failure(.untrustedCheckpoint(reason))
            case .indexOutOfRange: return .failure(.indexOutsideTree(index: proof.index, size: proof.checkpoint.size))
            case .inclusionNotProven: return .failure(.notIncluded)
            default: return .failure(.malformed(error))
            }
        }
        guard entry.origin == checkpoint.origin else { return .failure(.wrongLog(entry: entry.origin, checkpoint: checkpoint.origin)) }
        return .success(Verified(entry: entry, index: proof.index, checkpoint: checkpoint))
    }
}
