import Crypto
import Foundation

/// Why a cosignature was refused.
public enum CosignatureError: Error, Equatable, Sendable {
    /// Not key ID, 8-byte timestamp and 64-byte Ed25519 signature.
    case malformed
    /// The timestamp exceeds 2^63 - 1, which the spec forbids.
    case timestampOutOfRange
    /// The key is not a cosignature (type 0x04) key, or not the one the signature line names.
    case wrongKey
    case invalidSignature
    case signingFailed
}

/// A c2sp.org/tlog-cosignature Ed25519 (type 0x04) cosignature: a witness's statement that, at `timestamp`, this
/// checkpoint was the largest consistent tree head it had seen for the log.
public struct Cosignature: Sendable, Hashable {
    public static let header = "cosignature/v1"

    public let name: String
    public let keyID: UInt32
    /// Seconds since the Unix epoch.
    public let timestamp: UInt64
    public let signature: [UInt8]

    /// Reads a cosignature out of a note signature (structure only: nothing is verified).
    public init(_ noteSignature: NoteSignature) throws(CosignatureError) {
        let bytes = noteSignature.signature
        guard bytes.count == 8 + 64 else { throw .malformed }
        let timestamp = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp <= UInt64(Int64.max) else { throw .timestampOutOfRange }
        self.name = noteSignature.name
        self.keyID = noteSignature.keyID
        self.timestamp = timestamp
        self.signature = Array(bytes.dropFirst(8))
    }

    /// Reads a cosignature from one signature line, as a witness returns it.
    public init(line: String) throws(CosignatureError) {
        guard let noteSignature = try? NoteSignature(line: line) else { throw .malformed }
        try self.init(noteSignature)
    }

    init(name: String, keyID: UInt32, timestamp: UInt64, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.timestamp = timestamp
        self.signature = signature
    }

    /// The signature line to append to the checkpoint note.
    public var noteSignature: NoteSignature {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(72)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: timestamp >> UInt64(shift)))
        }
        return NoteSignature(unchecked: name, keyID: keyID, signature: bytes + signature)
    }

    /// Exactly what the witness signs: `cosignature/v1\ntime <unix>\n` then the whole checkpoint body. The header gives
    /// domain separation from plain note signatures.
    public static func message(timestamp: UInt64, checkpointBody: String) -> String {
        header + "\ntime " + String(timestamp) + "\n" + checkpointBody
    }

    /// Checks that `key` (a type 0x04 witness key) made this cosignature on `checkpoint`.
    public func verify(on checkpoint: Checkpoint, by key: NoteVerifierKey) throws(CosignatureError) {
        guard key.signatureType == .cosignatureV1, key.keyID == keyID, NoteText.sameBytes(key.name, name) else {
            throw .wrongKey
        }
        let message = Array(Self.message(timestamp: timestamp, checkpointBody: checkpoint.body).utf8)
        guard key.publicKey.isValidSignature(signature, for: message) else { throw .invalidSignature }
    }
}

/// A witness's cosigning key. Warden runs no witness, but its tests need a faithful one.
public struct Cosigner: Sendable {
    public let verifierKey: NoteVerifierKey
    private let privateKey: Curve25519.Signing.PrivateKey

    public var name: String { verifierKey.name }
    public var keyID: UInt32 { verifierKey.keyID }

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(NoteKeyError) {
        self.verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey, type: .cosignatureV1)
        self.privateKey = privateKey
    }

    public static func generate(name: String) throws(NoteKeyError) -> Cosigner {
        try Cosigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    public func cosign(_ checkpoint: Checkpoint, timestamp: UInt64) throws(CosignatureError) -> Cosignature {
        guard timestamp <= UInt64(Int64.max) else { throw .timestampOutOfRange }
        let message = Array(Cosignature.message(timestamp: timestamp, checkpointBody: checkpoint.body).utf8)
        guard let signature = try? privateKey.signature(for: message) else { throw .signingFailed }
        return Cosignature(name: name, keyID: keyID, timestamp: timestamp, signature: Array(signature))
    }

    public func cosign(_ checkpoint: Checkpoint, at date: Date) throws(CosignatureError) -> Cosignature {
        guard let seconds = UInt64(exactly: max(0, date.timeIntervalSince1970.rounded(.down))) else { throw .timestampOutOfRange }
        return try cosign(checkpoint, timestamp: seconds)
    }
}
