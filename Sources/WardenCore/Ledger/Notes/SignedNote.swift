/// Why a signed note was refused, precisely enough for an `INVALID: …` message.
public enum SignedNoteError: Error, Equatable, Sendable {
    case invalidUTF8
    /// An ASCII control character other than newline, at this byte offset.
    case controlCharacter(offset: Int)
    /// No blank line separates the text from the signatures.
    case missingBlankLine
    case noSignatures
    case missingFinalNewline
    /// The note text must end with a newline, or text and signatures could not be told apart.
    case textNotNewlineTerminated
    /// The n-th signature line (1-based) is not `— <valid name> <canonical base64 of ≥ 5 bytes>`.
    case malformedSignatureLine(Int)
    case tooManySignatures(limit: Int)
    case invalidKeyName(String)
    case emptySignature
    /// A configured key named by the note did not verify its signature: the whole note is refused.
    case invalidSignature(name: String, keyID: UInt32)
    /// More than one configured key has this name and key ID, so the note cannot say which one signed.
    case ambiguousKey(name: String, keyID: UInt32)
    /// The note parsed, but no configured key signed it.
    case noVerifiedSignature
    case signingFailed
}

/// A c2sp.org/signed-note: text ending in a newline, a blank line, then one or more signature lines.
///
/// Parsing only checks the shape; ``open(verifiers:)`` is what decides whether the text may be trusted.
public struct SignedNote: Sendable, Hashable {
    /// Go's limit: generous enough for a log signature plus many cosignatures, small enough to bound the work a
    /// hostile note can cause. The spec requires accepting at least 16.
    public static let defaultSignatureLimit = 100

    public let text: String
    public private(set) var signatures: [NoteSignature]

    public init(text: String, signatures: [NoteSignature] = []) throws(SignedNoteError) {
        let bytes = Array(text.utf8)
        guard bytes.last == NoteText.newline else { throw .textNotNewlineTerminated }
        if let offset = NoteText.firstControlCharacter(in: bytes) { throw .controlCharacter(offset: offset) }
        self.text = text
        self.signatures = signatures
    }

    public init(parsing text: String, signatureLimit: Int = defaultSignatureLimit) throws(SignedNoteError) {
        try self.init(parsing: Array(text.utf8), signatureLimit: signatureLimit)
    }

    /// Parses as Go's `note.Open` does before verifying: valid UTF-8, no control characters but newline, the text
    /// separated from the signatures by the last blank line, each signature line well formed, at most `signatureLimit`.
    public init(parsing input: some Collection<UInt8>, signatureLimit: Int = defaultSignatureLimit) throws(SignedNoteError) {
        let bytes = Array(input)
        guard NoteText.isValidUTF8(bytes) else { throw .invalidUTF8 }
        if let offset = NoteText.firstControlCharacter(in: bytes) { throw .controlCharacter(offset: offset) }
        guard let split = NoteText.lastIndex(of: [NoteText.newline, NoteText.newline], in: bytes) else {
            throw .missingBlankLine
        }
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else { throw .noSignatures }
        guard let lines = NoteText.terminatedLines(block) else { throw .missingFinalNewline }
        guard lines.count <= signatureLimit else { throw .tooManySignatures(limit: signatureLimit) }
        var signatures: [NoteSignature] = []
        signatures.reserveCapacity(lines.count)
        for (number, line) in zip(1..., lines) {
            guard let signature = NoteSignature.parse(line) else { throw .malformedSignatureLine(number) }
            signatures.append(signature)
        }
        self.text = String(decoding: bytes[...split], as: UTF8.self)
        self.signatures = signatures
    }

    /// The note as sent: text, blank line, one line per signature.
    public var serialized: String {
        var result = text + "\n"
        for signature in signatures {
            result += signature.line + "\n"
        }
        return result
    }

    /// Adds a signature after the existing ones, replacing any earlier signature by the same key, as Go's `note.Sign`.
    public mutating func add(_ signature: NoteSignature) {
        signatures.removeAll { $0.keyID == signature.keyID && NoteText.sameBytes($0.name, signature.name) }
        signatures.append(signature)
    }

    public func signed(by signer: NoteSignerKey) throws(SignedNoteError) -> SignedNote {
        var copy = self
        copy.add(try signer.sign(Array(text.utf8)))
        return copy
    }

    /// Verifies against configured keys with the signed-note rules: signatures by unknown keys are ignored (and kept
    /// as unverified); every signature by a known key must verify, or the whole note is refused; at least one must.
    public func open(verifiers: [NoteVerifierKey]) throws(SignedNoteError) -> VerifiedNote {
        let textBytes = Array(text.utf8)
        var verified: [NoteSignature] = []
        var unverified: [NoteSignature] = []
        for signature in signatures {
            let candidates = verifiers.filter { $0.matches(signature) }
            guard let key = candidates.first else {
                if !unverified.contains(signature) { unverified.append(signature) }
                continue
            }
            guard candidates.count == 1 else { throw .ambiguousKey(name: signature.name, keyID: signature.keyID) }
            guard key.verify(signature, text: textBytes) else {
                throw .invalidSignature(name: signature.name, keyID: signature.keyID)
            }
            if !verified.contains(where: { key.matches($0) }) { verified.append(signature) }
        }
        guard !verified.isEmpty else { throw .noVerifiedSignature }
        return VerifiedNote(note: self, verifiedSignatures: verified, unverifiedSignatures: unverified)
    }

    /// Parses and verifies in one step, for callers that never need the unverified text.
    public static func open(
        _ input: some Collection<UInt8>,
        verifiers: [NoteVerifierKey],
        signatureLimit: Int = defaultSignatureLimit
    ) throws(SignedNoteError) -> VerifiedNote {
        try SignedNote(parsing: input, signatureLimit: signatureLimit).open(verifiers: verifiers)
    }

    public static func open(
        _ text: String,
        verifiers: [NoteVerifierKey],
        signatureLimit: Int = defaultSignatureLimit
    ) throws(SignedNoteError) -> VerifiedNote {
        try open(Array(text.utf8), verifiers: verifiers, signatureLimit: signatureLimit)
    }
}

/// A note whose text may be trusted: at least one configured key signed it and none of them failed.
public struct VerifiedNote: Sendable, Hashable {
    public let note: SignedNote
    /// One per configured key that signed, in note order.
    public let verifiedSignatures: [NoteSignature]
    /// Signatures by keys that were not configured, kept so that they can be passed on (for example to a witness).
    public let unverifiedSignatures: [NoteSignature]

    public var text: String { note.text }

    public func isSigned(by key: NoteVerifierKey) -> Bool {
        verifiedSignatures.contains { key.matches($0) }
    }
}
