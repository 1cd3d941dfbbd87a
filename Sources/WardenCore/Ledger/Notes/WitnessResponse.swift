/// Why a witness's answer could not be classified.
public enum WitnessResponseError: Error, Equatable, Sendable {
    /// A 200 body that is not one or more newline-terminated signature lines.
    case malformedCosignatures
    /// A 409 whose body is not `<decimal>\n`.
    case malformedSize
    /// A 409 without `Content-Type: text/x.tlog.size`, so its body cannot be taken as the witness's size.
    case unexpectedContentType(String?)
}

/// What a c2sp.org/tlog-witness witness answered to add-checkpoint, as something the log can act on.
public enum WitnessResponse: Sendable, Equatable {
    /// 200: the witness's cosignature lines, still to be verified against its key (unknown keys are to be ignored).
    case cosigned([NoteSignature])
    /// 409: the old size was not the size the witness last cosigned (or the same size came with another root); resend
    /// from `witnessSize` with a proof from there.
    case conflict(witnessSize: UInt64)
    /// 404: the witness does not know the checkpoint's origin.
    case unknownLog
    /// 403: no signature by a key the witness trusts for this log verified.
    case untrusted
    /// 400: the old size is larger than the checkpoint's size, or the request was malformed.
    case badRequest
    /// 422: the consistency proof did not verify; the log (or this request) is inconsistent.
    case inconsistent
    /// Any other status; retry policy is the caller's.
    case unexpectedStatus(Int)

    public static let sizeContentType = "text/x.tlog.size"

    public init(
        status: Int,
        contentType: String?,
        body: some Collection<UInt8>,
        signatureLimit: Int = SignedNote.defaultSignatureLimit
    ) throws(WitnessResponseError) {
        switch status {
        case 200:
            guard let lines = NoteText.terminatedLines(Array(body)[...]), !lines.isEmpty, lines.count <= signatureLimit,
                NoteText.firstControlCharacter(in: body) == nil
            else { throw .malformedCosignatures }
            var signatures: [NoteSignature] = []
            for line in lines {
                guard let signature = NoteSignature.parse(line) else { throw .malformedCosignatures }
                signatures.append(signature)
            }
            self = .cosigned(signatures)
        case 409:
            guard Self.isSizeContentType(contentType) else { throw .unexpectedContentType(contentType) }
            guard let lines = NoteText.terminatedLines(Array(body)[...]), lines.count == 1,
                let size = NoteText.decodeDecimal(lines[0], maximum: Checkpoint.maximumSize)
            else { throw .malformedSize }
            self = .conflict(witnessSize: size)
        case 404: self = .unknownLog
        case 403: self = .untrusted
        case 400: self = .badRequest
        case 422: self = .inconsistent
        default: self = .unexpectedStatus(status)
        }
    }

    /// The 409 body a witness sends for `size`.
    public static func sizeBody(_ size: UInt64) -> String { String(size) + "\n" }

    /// The 200 body a witness sends for its cosignatures.
    public static func cosignatureBody(_ cosignatures: [Cosignature]) -> String {
        cosignatures.map { $0.noteSignature.line + "\n" }.joined()
    }

    /// Media types are case-insensitive and may carry parameters.
    private static func isSizeContentType(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = essence.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        return String(trimmed).lowercased() == sizeContentType
    }
}
