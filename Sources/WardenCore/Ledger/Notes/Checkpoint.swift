/// Why a checkpoint body was refused.
public enum CheckpointError: Error, Equatable, Sendable {
    case missingFinalNewline
    /// Fewer than the three mandatory lines (origin, size, root hash).
    case tooFewLines
    case emptyOrigin
    /// A field given to the initialiser contains a newline, so it would not stay one line of the body.
    case newlineInField
    /// Not a decimal without leading zeros, or above `Checkpoint.maximumSize`.
    case malformedSize
    /// Not the canonical base64 of 32 bytes.
    case malformedRootHash
    /// Extension lines must be non-empty; this one (1-based, counted from the first extension line) is empty.
    case emptyExtensionLine(Int)
    case controlCharacter(offset: Int)
    case note(SignedNoteError)
}

/// A c2sp.org/tlog-checkpoint: the signed statement of a log's tree head, `origin\nsize\nbase64(root)\n` followed by
/// optional extension lines.
///
/// Parsing accepts extension lines, because other logs may write them and they are covered by signatures, but Warden
/// writes none: monitors cannot audit them.
public struct Checkpoint: Sendable, Hashable {
    /// Go's `tlog` keeps sizes as `int64`; a larger size could not interoperate.
    public static let maximumSize = UInt64(Int64.max)

    public let origin: String
    public let size: UInt64
    public let rootHash: MerkleHash
    public let extensionLines: [String]

    public init(origin: String, size: UInt64, rootHash: MerkleHash, extensionLines: [String] = []) throws(CheckpointError) {
        var body = Array(origin.utf8)
        for line in extensionLines { body += line.utf8 }
        if let offset = NoteText.firstControlCharacter(in: body) { throw .controlCharacter(offset: offset) }
        guard !origin.isEmpty else { throw .emptyOrigin }
        guard size <= Self.maximumSize else { throw .malformedSize }
        for (number, line) in zip(1..., extensionLines) where line.isEmpty {
            throw .emptyExtensionLine(number)
        }
        guard !body.contains(NoteText.newline) else { throw .newlineInField }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// Parses a note text as a checkpoint body.
    public init(body: String) throws(CheckpointError) {
        try self.init(bodyBytes: Array(body.utf8))
    }

    init(bodyBytes: [UInt8]) throws(CheckpointError) {
        if let offset = NoteText.firstControlCharacter(in: bodyBytes) { throw .controlCharacter(offset: offset) }
        guard let lines = NoteText.terminatedLines(bodyBytes[...]) else { throw .missingFinalNewline }
        guard lines.count >= 3 else { throw .tooFewLines }
        guard !lines[0].isEmpty else { throw .emptyOrigin }
        guard let size = NoteText.decodeDecimal(lines[1], maximum: Self.maximumSize) else { throw .malformedSize }
        guard let rootBytes = NoteText.decodeBase64(lines[2]), let root = MerkleHash(bytes: rootBytes) else {
            throw .malformedRootHash
        }
        for (number, line) in zip(1..., lines.dropFirst(3)) where line.isEmpty {
            throw .emptyExtensionLine(number)
        }
        self.origin = String(decoding: lines[0], as: UTF8.self)
        self.size = size
        self.rootHash = root
        self.extensionLines = lines.dropFirst(3).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The note text: exactly what the log signs and what a cosignature's message ends with.
    public var body: String {
        var result = origin + "\n" + String(size) + "\n" + rootHash.base64 + "\n"
        for line in extensionLines {
            result += line + "\n"
        }
        return result
    }

    public func signed(by signer: NoteSignerKey) throws(CheckpointError) -> SignedNote {
        do throws(SignedNoteError) {
            return try SignedNote(text: body).signed(by: signer)
        } catch {
            throw .note(error)
        }
    }

    /// The signed checkpoint text a log publishes at `checkpoint`.
    public static func signedText(
        origin: String,
        size: UInt64,
        rootHash: MerkleHash,
        signer: NoteSignerKey
    ) throws(CheckpointError) -> String {
        try Checkpoint(origin: origin, size: size, rootHash: rootHash).signed(by: signer).serialized
    }

    /// Verifies a signed checkpoint against configured keys, then parses its body.
    public static func open(
        _ input: some Collection<UInt8>,
        verifiers: [NoteVerifierKey],
        signatureLimit: Int = SignedNote.defaultSignatureLimit
    ) throws(CheckpointError) -> (checkpoint: Checkpoint, note: VerifiedNote) {
        let note: VerifiedNote
        do throws(SignedNoteError) {
            note = try SignedNote.open(input, verifiers: verifiers, signatureLimit: signatureLimit)
        } catch {
            throw .note(error)
        }
        return (try Checkpoint(body: note.text), note)
    }

    public static func open(
        _ text: String,
        verifiers: [NoteVerifierKey],
        signatureLimit: Int = SignedNote.defaultSignatureLimit
    ) throws(CheckpointError) -> (checkpoint: Checkpoint, note: VerifiedNote) {
        try open(Array(text.utf8), verifiers: verifiers, signatureLimit: signatureLimit)
    }
}
