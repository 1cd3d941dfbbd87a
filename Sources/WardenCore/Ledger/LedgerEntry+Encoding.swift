/// Why bytes are not a canonical ledger leaf. Verification reports these per leaf, so they name what is wrong.
public enum LedgerEntryDecodingError: Error, Equatable, Sendable {
    case badMagic
    case unknownKind(UInt8)
    case truncated
    case unknownField(UInt8)
    /// A field out of ascending tag order or repeated where only one is allowed: two encodings of one entry.
    case nonCanonicalOrder(UInt8)
    case malformedField(UInt8)
    case missingField(String)
}

/// The canonical encoding, version 1: the magic `WLEAF` and a version byte, the kind byte, then fields as
/// `tag (1 byte) | length (4 bytes, big-endian) | value`, in ascending tag order, absent fields left out. Strings are
/// UTF-8, counts and sizes 8-byte big-endian unsigned, times 8-byte big-endian two's complement. Groups repeat their
/// tag in token order; attributes repeat theirs sorted by key, each `key length (4 bytes) | key | value`. Decoding
/// accepts exactly what encoding produces, so one entry has one encoding and one leaf hash.
extension LedgerEntry {
    public static let magic: [UInt8] = Array("WLEAF".utf8) + [1]

    private enum Tag: UInt8 {
        case origin = 1
        case id, sessionID, sessionSequence, previousSessionLeaf
        case issuer = 10
        case subject, displayName, group, attribute, runID, tokenHash, tokenID
        case clientAddress = 20
        case userAgent, method, path, query, model
        case requestBodySHA256 = 30
        case requestBodyLength, responseBodySHA256, responseBodyLength, findingsSHA256
        case upstreamStatus = 40
        case upstreamRequestID, outcome, stopReason, inputTokens, outputTokens
        case receivedAt = 50
        case forwardedAt, firstByteAt, completedAt
        case reason = 60
        case target
    }

    public var encoded: [UInt8] {
        var writer = FieldWriter(magic: Self.magic, kind: kind.rawValue)
        writer.string(.origin, origin)
        writer.string(.id, id)
        writer.string(.sessionID, sessionID)
        writer.unsigned(.sessionSequence, sessionSequence)
        if let previousSessionLeaf { writer.field(.previousSessionLeaf, previousSessionLeaf) }
        writer.string(.issuer, issuer)
        writer.string(.subject, subject)
        writer.string(.displayName, displayName)
        for group in groups { writer.string(.group, group) }
        for key in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let value = attributes[key, default: ""]
            writer.header(.attribute, length: 4 + key.utf8.count + value.utf8.count)
            writer.append(UInt32(key.utf8.count))
            writer.bytes.append(contentsOf: key.utf8)
            writer.bytes.append(contentsOf: value.utf8)
        }
        writer.string(.runID, runID)
        writer.string(.tokenHash, tokenHash)
        writer.string(.tokenID, tokenID)
        writer.string(.clientAddress, clientAddress)
        writer.string(.userAgent, userAgent)
        writer.string(.method, method)
        writer.string(.path, path)
        writer.string(.query, query)
        writer.string(.model, model)
        writer.string(.requestBodySHA256, requestBodySHA256)
        writer.unsigned(.requestBodyLength, requestBodyLength)
        writer.string(.responseBodySHA256, responseBodySHA256)
        writer.unsigned(.responseBodyLength, responseBodyLength)
        writer.string(.findingsSHA256, findingsSHA256)
        writer.unsigned(.upstreamStatus, upstreamStatus)
        writer.string(.upstreamRequestID, upstreamRequestID)
        writer.string(.outcome, outcome)
        writer.string(.stopReason, stopReason)
        writer.unsigned(.inputTokens, inputTokens)
        writer.unsigned(.outputTokens, outputTokens)
        writer.signed(.receivedAt, receivedAtMicros)
        writer.signed(.forwardedAt, forwardedAtMicros)
        writer.signed(.firstByteAt, firstByteAtMicros)
        writer.signed(.completedAt, completedAtMicros)
        writer.string(.reason, reason)
        writer.string(.target, target)
        return writer.bytes
    }

    public init(encoded bytes: some Collection<UInt8>) throws(LedgerEntryDecodingError) {
        let bytes = Array(bytes)
        guard bytes.count > Self.magic.count, bytes.starts(with: Self.magic) else { throw .badMagic }
        let kindByte = bytes[Self.magic.count]
        guard let kind = Kind(rawValue: kindByte) else { throw .unknownKind(kindByte) }
        var origin: String?
        var id: String?
        var entry = LedgerEntry(kind: kind, origin: "", id: "")
        var previousTag: UInt8 = 0
        var previousAttributeKey: [UInt8]?
        var position = Self.magic.count + 1
        while position < bytes.count {
            guard bytes.count - position >= 5 else { throw .truncated }
            let rawTag = bytes[position]
            let length = Int(FieldReader.unsigned(bytes[(position + 1)..<(position + 5)]))
            position += 5
            guard bytes.count - position >= length else { throw .truncated }
            let value = bytes[position..<(position + length)]
            position += length
            guard let tag = Tag(rawValue: rawTag) else { throw .unknownField(rawTag) }
            let repeatable = tag == .group || tag == .attribute
            guard rawTag > previousTag || (rawTag == previousTag && repeatable) else { throw .nonCanonicalOrder(rawTag) }
            previousTag = rawTag
            func text() throws(LedgerEntryDecodingError) -> String {
                guard let string = String(validating: value, as: UTF8.self) else { throw .malformedField(rawTag) }
                return string
            }
            func number() throws(LedgerEntryDecodingError) -> UInt64 {
                guard value.count == 8 else { throw .malformedField(rawTag) }
                return FieldReader.unsigned(value)
            }
            switch tag {
            case .origin: origin = try text()
            case .id: id = try text()
            case .sessionID: entry.sessionID = try text()
            case .sessionSequence: entry.sessionSequence = try number()
            case .previousSessionLeaf:
                guard let hash = MerkleHash(bytes: value) else { throw .malformedField(rawTag) }
                entry.previousSessionLeaf = hash
            case .issuer: entry.issuer = try text()
            case .subject: entry.subject = try text()
            case .displayName: entry.displayName = try text()
            case .group: entry.groups.append(try text())
            case .attribute:
                guard value.count >= 4 else { throw .malformedField(rawTag) }
                let keyLength = Int(FieldReader.unsigned(value.prefix(4)))
                guard value.count - 4 >= keyLength else { throw .malformedField(rawTag) }
                let keyBytes = Array(value.dropFirst(4).prefix(keyLength))
                if let previousAttributeKey, !previousAttributeKey.lexicographicallyPrecedes(keyBytes) {
                    throw .nonCanonicalOrder(rawTag)
                }
                previousAttributeKey = keyBytes
                guard let key = String(validating: keyBytes, as: UTF8.self),
                    let attribute = String(validating: value.dropFirst(4 + keyLength), as: UTF8.self)
                else { throw .malformedField(rawTag) }
                entry.attributes[key] = attribute
            case .runID: entry.runID = try text()
            case .tokenHash: entry.tokenHash = try text()
            case .tokenID: entry.tokenID = try text()
            case .clientAddress: entry.clientAddress = try text()
            case .userAgent: entry.userAgent = try text()
            case .method: entry.method = try text()
            case .path: entry.path = try text()
            case .query: entry.query = try text()
            case .model: entry.model = try text()
            case .requestBodySHA256: entry.requestBodySHA256 = try text()
            case .requestBodyLength: entry.requestBodyLength = try number()
            case .responseBodySHA256: entry.responseBodySHA256 = try text()
            case .responseBodyLength: entry.responseBodyLength = try number()
            case .findingsSHA256: entry.findingsSHA256 = try text()
            case .upstreamStatus: entry.upstreamStatus = try number()
            case .upstreamRequestID: entry.upstreamRequestID = try text()
            case .outcome: entry.outcome = try text()
            case .stopReason: entry.stopReason = try text()
            case .inputTokens: entry.inputTokens = try number()
            case .outputTokens: entry.outputTokens = try number()
            case .receivedAt: entry.receivedAtMicros = Int64(bitPattern: try number())
            case .forwardedAt: entry.forwardedAtMicros = Int64(bitPattern: try number())
            case .firstByteAt: entry.firstByteAtMicros = Int64(bitPattern: try number())
            case .completedAt: entry.completedAtMicros = Int64(bitPattern: try number())
            case .reason: entry.reason = try text()
            case .target: entry.target = try text()
            }
        }
        guard let origin else { throw .missingField("origin") }
        guard let id else { throw .missingField("id") }
        entry.origin = origin
        entry.id = id
        self = entry
    }

    /// Appends each field straight into one buffer: a leaf is written for every record and read back by every audit,
    /// so no field goes through an array of its own.
    private struct FieldWriter {
        var bytes: [UInt8] = []

        init(magic: [UInt8], kind: UInt8) {
            bytes.reserveCapacity(512)
            bytes.append(contentsOf: magic)
            bytes.append(kind)
        }

        mutating func header(_ tag: Tag, length: Int) {
            bytes.append(tag.rawValue)
            append(UInt32(length))
        }

        mutating func append<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func field(_ tag: Tag, _ value: MerkleHash) {
            let raw = value.bytes
            header(tag, length: raw.count)
            bytes.append(contentsOf: raw)
        }

        mutating func string(_ tag: Tag, _ value: String?) {
            guard let value else { return }
            header(tag, length: value.utf8.count)
            bytes.append(contentsOf: value.utf8)
        }

        mutating func unsigned(_ tag: Tag, _ value: UInt64?) {
            guard let value else { return }
            header(tag, length: 8)
            append(value)
        }

        mutating func signed(_ tag: Tag, _ value: Int64?) {
            guard let value else { return }
            header(tag, length: 8)
            append(value)
        }
    }

    private enum FieldReader {
        static func unsigned(_ bytes: some Collection<UInt8>) -> UInt64 {
            bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }
    }
}
