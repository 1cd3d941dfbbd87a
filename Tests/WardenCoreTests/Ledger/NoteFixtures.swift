import Foundation
import WardenCore

/// Published vectors and small helpers shared by the signed-note, checkpoint, witness and receipt tests.
enum NoteFixtures {
    /// c2sp.org/signed-note's worked example.
    static let specVerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let specText = "This is an example message.\n"
    static let specSignatureLine =
        "\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
    static var specNote: String { specText + "\n" + specSignatureLine + "\n" }

    /// golang.org/x/mod/sumdb/note's documentation and tests.
    static let goSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let goVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let enochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSignatureLine =
        "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSignatureLine =
        "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    static let origin = "warden.example/ledger"

    static func hash(_ seed: UInt8) -> MerkleHash {
        MerkleHash(bytes: (0..<32).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0 &* 7) })!
    }

    static func checkpoint(size: UInt64 = 10, seed: UInt8 = 1, origin: String = origin) throws -> Checkpoint {
        try Checkpoint(origin: origin, size: size, rootHash: hash(seed))
    }

    /// A log key named after the origin, as tlog-policy requires.
    static func logKey(origin: String = origin) throws -> NoteSignerKey {
        try NoteSignerKey.generate(name: origin)
    }

    /// The checkpoint signed by `log`, with one cosignature per witness.
    static func cosignedCheckpoint(
        _ checkpoint: Checkpoint,
        log: NoteSignerKey,
        witnesses: [Cosigner],
        timestamp: UInt64 = 1_700_000_000
    ) throws -> SignedNote {
        var note = try checkpoint.signed(by: log)
        for witness in witnesses {
            note.add(try witness.cosign(checkpoint, timestamp: timestamp).noteSignature)
        }
        return note
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
