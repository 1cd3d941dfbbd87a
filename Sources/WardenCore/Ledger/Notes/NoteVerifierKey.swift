import Crypto
import Foundation

/// Why a signed-note key (verifier or signer) was refused.
public enum NoteKeyError: Error, Equatable, Sendable {
    /// Key names must be non-empty UTF-8 without Unicode spaces, `+` or control characters, or they could not be
    /// written unambiguously on a signature line.
    case invalidName(String)
    case malformedVerifierKey
    case malformedSignerKey
    case unsupportedSignatureType(UInt8)
    /// The key ID written in the key is not the one its name and key material derive.
    case keyIDMismatch(stated: UInt32, derived: UInt32)
    case invalidPublicKey
}

/// A signed-note verifier key ("vkey", `name+hex(keyID)+base64(type || public key)`): the only thing a verifier is
/// configured with, so notes are always checked against keys chosen out of band and never against keys carried by
/// the note itself.
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The signature types Warden understands. The type byte is hashed into the key ID, so one Ed25519 key used as a log
    /// key and as a witness key gets two IDs and its two kinds of signature cannot be mistaken for each other.
    public enum SignatureType: UInt8, Sendable, Hashable {
        /// Ed25519 over the note text (c2sp.org/signed-note): the log's checkpoint signature.
        case ed25519 = 0x01
        /// Timestamped Ed25519 witness cosignature (c2sp.org/tlog-cosignature).
        case cosignatureV1 = 0x04
    }

    public let name: String
    public let keyID: UInt32
    public let signatureType: SignatureType
    public let publicKey: Curve25519.Signing.PublicKey

    /// Parses a vkey as Go's `note.NewVerifier` does (hex key ID in either case), refusing a key ID that its name and
    /// key material do not derive.
    public init(_ vkey: String) throws(NoteKeyError) {
        let parts = vkey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let stated = Self.parseKeyID(parts[1]),
            let material = NoteText.decodeBase64(parts[2].utf8), let typeByte = material.first
        else { throw .malformedVerifierKey }
        let name = String(parts[0])
        guard Self.isValidName(name) else { throw .malformedVerifierKey }
        let derived = Self.keyID(name: name, keyMaterial: material)
        guard stated == derived else { throw .keyIDMismatch(stated: stated, derived: derived) }
        guard let type = SignatureType(rawValue: typeByte) else { throw .unsupportedSignatureType(typeByte) }
        guard material.count == 33, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: material.dropFirst())
        else { throw .malformedVerifierKey }
        self.name = name
        self.keyID = stated
        self.signatureType = type
        self.publicKey = key
    }

    public init(name: String, publicKey: Curve25519.Signing.PublicKey, type: SignatureType = .ed25519) throws(NoteKeyError) {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        self.name = name
        self.signatureType = type
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, keyMaterial: [type.rawValue] + publicKey.rawRepresentation)
    }

    /// The vkey text, with the key ID in lower-case hex as Go writes it.
    public var description: String {
        name + "+" + NoteText.keyIDHex(keyID) + "+" + NoteText.encodeBase64([signatureType.rawValue] + publicKey.rawRepresentation)
    }

    /// `SHA-256(name || 0x0A || type || public key)[:4]`, big-endian: an identifier, not a commitment, so that a note can
    /// name its key in four bytes; security comes from verifying with the configured key.
    public static func keyID(name: String, type: SignatureType, publicKey: some Collection<UInt8>) -> UInt32 {
        keyID(name: name, keyMaterial: [type.rawValue] + Array(publicKey))
    }

    /// Go's `isValidName`, plus no control characters (which no note may contain anyway).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar != "+" && scalar.value >= 0x20 && !scalar.properties.isWhitespace
            }
    }

    /// Whether this key is the one a signature line names: same name bytes and same key ID.
    func matches(_ signature: NoteSignature) -> Bool {
        keyID == signature.keyID && NoteText.sameBytes(name, signature.name)
    }

    /// Checks `signature` over a note `text` by this key's rules; for a cosignature key that means the text must be a
    /// checkpoint and the signed message is the cosignature/v1 message.
    func verify(_ signature: NoteSignature, text: [UInt8]) -> Bool {
        guard matches(signature) else { return false }
        switch signatureType {
        case .ed25519:
            return publicKey.isValidSignature(signature.signature, for: text)
        case .cosignatureV1:
            guard let cosignature = try? Cosignature(signature), let checkpoint = try? Checkpoint(bodyBytes: text) else {
                return false
            }
            return (try? cosignature.verify(on: checkpoint, by: self)) != nil
        }
    }

    /// Whether both wrap the same Ed25519 key, whatever their names, IDs and types (tlog-policy's notion of duplicate).
    func sharesPublicKey(with other: NoteVerifierKey) -> Bool {
        publicKey.rawRepresentation == other.publicKey.rawRepresentation
    }

    public static func == (lhs: NoteVerifierKey, rhs: NoteVerifierKey) -> Bool {
        lhs.keyID == rhs.keyID && lhs.signatureType == rhs.signatureType && NoteText.sameBytes(lhs.name, rhs.name)
            && lhs.publicKey.rawRepresentation == rhs.publicKey.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keyID)
        hasher.combine(signatureType)
        hasher.combine(Array(name.utf8))
        hasher.combine(publicKey.rawRepresentation)
    }

    static func keyID(name: String, keyMaterial: [UInt8]) -> UInt32 {
        let digest = SHA256.hash(data: Array(name.utf8) + [NoteText.newline] + keyMaterial)
        return digest.withUnsafeBytes { raw in raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    }

    /// Exactly eight hex digits, either case, as Go's `strconv.ParseUint(_, 16, 32)` with its length check.
    static func parseKeyID(_ text: some StringProtocol) -> UInt32? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }) else {
            return nil
        }
        return UInt32(text, radix: 16)
    }
}
