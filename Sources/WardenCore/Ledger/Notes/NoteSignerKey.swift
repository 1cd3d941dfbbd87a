import Crypto
import Foundation

/// An Ed25519 signed-note signing key (type 0x01), kept in Go's text form `PRIVATE+KEY+name+hex(keyID)+base64(0x01 ||
/// seed)` so that the same secret works with Go's `note.NewSigner` and the tools built on it.
public struct NoteSignerKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let verifierKey: NoteVerifierKey
    private let privateKey: Curve25519.Signing.PrivateKey

    public var name: String { verifierKey.name }
    public var keyID: UInt32 { verifierKey.keyID }

    /// Parses Go's encoding, refusing a key ID that the public key derived from the seed does not give.
    public init(_ encoded: String) throws(NoteKeyError) {
        let parts = encoded.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let stated = NoteVerifierKey.parseKeyID(parts[3]),
            let material = NoteText.decodeBase64(parts[4].utf8), let typeByte = material.first
        else { throw .malformedSignerKey }
        let name = String(parts[2])
        guard NoteVerifierKey.isValidName(name) else { throw .malformedSignerKey }
        guard typeByte == NoteVerifierKey.SignatureType.ed25519.rawValue else { throw .unsupportedSignatureType(typeByte) }
        guard material.count == 33, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: material.dropFirst()) else {
            throw .malformedSignerKey
        }
        try self.init(name: name, privateKey: key)
        guard keyID == stated else { throw .keyIDMismatch(stated: stated, derived: keyID) }
    }

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(NoteKeyError) {
        self.verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey, type: .ed25519)
        self.privateKey = privateKey
    }

    public static func generate(name: String) throws(NoteKeyError) -> NoteSignerKey {
        try NoteSignerKey(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The secret in Go's encoding. Anyone holding it can sign as this key.
    public var encoded: String {
        "PRIVATE+KEY+" + name + "+" + NoteText.keyIDHex(keyID) + "+"
            + NoteText.encodeBase64([NoteVerifierKey.SignatureType.ed25519.rawValue] + privateKey.rawRepresentation)
    }

    /// Redacted, so that logging a signer never leaks the secret.
    public var description: String { "PRIVATE+KEY+" + name + "+" + NoteText.keyIDHex(keyID) + "+<redacted>" }

    public var debugDescription: String { description }

    /// Signs note text (which must include its final newline) and returns the signature line.
    public func sign(_ text: [UInt8]) throws(SignedNoteError) -> NoteSignature {
        guard text.last == NoteText.newline else { throw .textNotNewlineTerminated }
        guard let signature = try? privateKey.signature(for: text) else { throw .signingFailed }
        return NoteSignature(unchecked: name, keyID: keyID, signature: Array(signature))
    }
}
