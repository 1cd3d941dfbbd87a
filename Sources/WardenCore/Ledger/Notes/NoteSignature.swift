/// One signature line of a signed note, `— <key name> base64(key ID || signature)`, verified or not.
///
/// The key name and ID only say which key claims to have signed; nothing here is trusted until a configured
/// ``NoteVerifierKey`` has checked it.
public struct NoteSignature: Sendable, Hashable {
    public let name: String
    public let keyID: UInt32
    /// The signature bytes after the key ID (for a cosignature: timestamp then Ed25519 signature).
    public let signature: [UInt8]

    /// Refuses an invalid key name or an empty signature, which no parser would accept back.
    public init(name: String, keyID: UInt32, signature: [UInt8]) throws(SignedNoteError) {
        guard NoteVerifierKey.isValidName(name) else { throw .invalidKeyName(name) }
        guard !signature.isEmpty else { throw .emptySignature }
        self.init(unchecked: name, keyID: keyID, signature: signature)
    }

    /// Parses one line, with or without its final newline, as a witness response carries them.
    public init(line: String) throws(SignedNoteError) {
        var bytes = Array(line.utf8)[...]
        if bytes.last == NoteText.newline { bytes = bytes.dropLast() }
        guard NoteText.firstControlCharacter(in: bytes) == nil, let parsed = Self.parse(bytes) else {
            throw .malformedSignatureLine(1)
        }
        self = parsed
    }

    init(unchecked name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// The line without its final newline.
    public var line: String {
        "\u{2014} " + name + " " + NoteText.encodeBase64(keyIDBytes + signature)
    }

    var keyIDBytes: [UInt8] {
        [
            UInt8(truncatingIfNeeded: keyID >> 24), UInt8(truncatingIfNeeded: keyID >> 16), UInt8(truncatingIfNeeded: keyID >> 8),
            UInt8(truncatingIfNeeded: keyID),
        ]
    }

    /// Go's rule: the em-dash prefix, a valid name up to the first space, then canonical base64 of at least five bytes.
    /// The caller has already refused control characters.
    static func parse(_ line: ArraySlice<UInt8>) -> NoteSignature? {
        guard line.starts(with: NoteText.signaturePrefix) else { return nil }
        let rest = line.dropFirst(NoteText.signaturePrefix.count)
        guard let space = rest.firstIndex(of: NoteText.space) else { return nil }
        guard let nameText = String(validating: rest[..<space], as: UTF8.self), NoteVerifierKey.isValidName(nameText),
            let decoded = NoteText.decodeBase64(rest[(space + 1)...]), decoded.count >= 5
        else { return nil }
        let keyID = decoded.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return NoteSignature(unchecked: nameText, keyID: keyID, signature: Array(decoded.dropFirst(4)))
    }

    public static func == (lhs: NoteSignature, rhs: NoteSignature) -> Bool {
        lhs.keyID == rhs.keyID && lhs.signature == rhs.signature && NoteText.sameBytes(lhs.name, rhs.name)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keyID)
        hasher.combine(signature)
        hasher.combine(Array(name.utf8))
    }
}
