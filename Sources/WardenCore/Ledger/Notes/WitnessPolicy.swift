/// Why a policy file was refused, and on which line.
public struct WitnessPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// Only tab, newline, 0x20–0x7E and 0x80–0xFF may appear.
        case invalidCharacter(UInt8)
        case unknownKeyword(String)
        /// The line has too few or too many fields for its keyword.
        case wrongFieldCount(keyword: String)
        case invalidKey(NoteKeyError)
        /// Log keys must be Ed25519 note keys (0x01), witness keys Ed25519 cosignature keys (0x04).
        case wrongKeyType(NoteVerifierKey.SignatureType)
        /// Another log line already has this public key.
        case duplicateLog
        /// Another witness line already has this public key.
        case duplicateWitness
        /// Witnesses and groups share one namespace, and `none` is predefined.
        case duplicateName(String)
        case invalidThreshold(String)
        /// A group or the quorum names something not defined on an earlier line.
        case undefinedName(String)
        case duplicateMember(String)
        /// `none` may only be the quorum.
        case noneAsMember
        case duplicateQuorum
        /// No quorum line in the whole file (reported at line 0).
        case missingQuorum
    }

    /// 1-based; 0 for a problem with the file as a whole.
    public let line: Int
    public let reason: Reason

    public init(line: Int, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "policy line \(line): \(reason)" }
}

/// Why a checkpoint did not satisfy a policy.
public enum PolicyVerificationError: Error, Equatable, Sendable {
    case note(SignedNoteError)
    case checkpoint(CheckpointError)
    /// No listed log whose key name is the checkpoint's origin signed it.
    case notSignedByLog(origin: String)
    /// The witnesses whose cosignatures verified (by policy name) do not make the quorum.
    case quorumNotSatisfied(cosigners: [String])
}

/// A c2sp.org/tlog-policy: which logs are trusted and which witnesses must have cosigned a checkpoint before an offline
/// verifier believes it, so that a log cannot show one client a split view without colluding witnesses.
///
/// Names are compared as octet strings, as the spec requires, never by Swift's canonical string equivalence.
public struct WitnessPolicy: Sendable {
    public struct Log: Sendable, Hashable {
        public let key: NoteVerifierKey
        public let url: String?
    }

    public struct Witness: Sendable, Hashable {
        /// The name as text; names that are not valid UTF-8 show U+FFFD here but are still told apart.
        public let name: String
        public let key: NoteVerifierKey
        public let url: String?
        let octets: [UInt8]
    }

    public struct Group: Sendable, Hashable {
        public let name: String
        /// At least this many members must be satisfied (`any` is 1, `all` is the member count).
        public let threshold: Int
        public let members: [String]
    }

    public enum Quorum: Sendable, Hashable {
        /// No cosignature is required.
        case none
        /// This witness or group must be satisfied.
        case named(String)
    }

    public let logs: [Log]
    public let witnesses: [Witness]
    public let groups: [Group]
    public let quorum: Quorum
    private let quorumRule: Rule?

    public init(parsing text: String) throws(WitnessPolicyError) {
        try self.init(parsing: Array(text.utf8))
    }

    public init(parsing input: some Collection<UInt8>) throws(WitnessPolicyError) {
        var parser = Parser()
        for (number, line) in zip(1..., Array(input).split(separator: NoteText.newline, omittingEmptySubsequences: false)) {
            try parser.parse(line, number: number)
        }
        guard let quorum = parser.quorum else { throw WitnessPolicyError(line: 0, reason: .missingQuorum) }
        self.logs = parser.logs
        self.witnesses = parser.witnesses
        self.groups = parser.groups
        self.quorum = quorum.0
        self.quorumRule = quorum.1
    }

    /// Whether cosignatures from these witnesses (by their names in this policy) make the quorum.
    public func isSatisfied(byWitnesses names: some Sequence<String>) -> Bool {
        guard let quorumRule else { return true }
        return quorumRule.isSatisfied(by: Set(names.map { Array($0.utf8) }))
    }

    /// Verifies a signed checkpoint offline: some listed log whose key name is the origin signed it, no known key's
    /// signature failed, and the witnesses whose cosignatures verified make the quorum.
    public func verify(_ signedCheckpoint: SignedNote) throws(PolicyVerificationError) -> Checkpoint {
        let note: VerifiedNote
        do throws(SignedNoteError) {
            note = try signedCheckpoint.open(verifiers: logs.map(\.key) + witnesses.map(\.key))
        } catch {
            throw .note(error)
        }
        let checkpoint: Checkpoint
        do throws(CheckpointError) {
            checkpoint = try Checkpoint(body: note.text)
        } catch {
            throw .checkpoint(error)
        }
        let logSigned = logs.contains { log in
            NoteText.sameBytes(log.key.name, checkpoint.origin) && note.isSigned(by: log.key)
        }
        guard logSigned else { throw .notSignedByLog(origin: checkpoint.origin) }
        let cosigners = witnesses.filter { note.isSigned(by: $0.key) }
        guard quorumRule?.isSatisfied(by: Set(cosigners.map(\.octets))) ?? true else {
            throw .quorumNotSatisfied(cosigners: cosigners.map(\.name))
        }
        return checkpoint
    }

    private indirect enum Rule: Sendable {
        case witness([UInt8])
        case group(threshold: Int, members: [Rule])

        func isSatisfied(by names: Set<[UInt8]>) -> Bool {
            switch self {
            case .witness(let name): names.contains(name)
            case .group(let threshold, let members): members.count { $0.isSatisfied(by: names) } >= threshold
            }
        }
    }

    private struct Parser {
        var logs: [Log] = []
        var witnesses: [Witness] = []
        var groups: [Group] = []
        var rules: [[UInt8]: Rule] = [:]
        var quorum: (Quorum, Rule?)?

        static let none = Array("none".utf8)

        mutating func parse(_ line: ArraySlice<UInt8>, number: Int) throws(WitnessPolicyError) {
            func fail(_ reason: WitnessPolicyError.Reason) -> WitnessPolicyError {
                WitnessPolicyError(line: number, reason: reason)
            }
            if let bad = line.first(where: { $0 < 0x20 && $0 != NoteText.tab || $0 == 0x7F }) {
                throw fail(.invalidCharacter(bad))
            }
            let fields = line.split { $0 == NoteText.space || $0 == NoteText.tab }
            guard let keyword = fields.first, keyword.first != UInt8(ascii: "#") else { return }
            let keywordText = String(decoding: keyword, as: UTF8.self)
            let arguments = Array(fields.dropFirst())
            switch keywordText {
            case "log":
                guard (1...2).contains(arguments.count) else { throw fail(.wrongFieldCount(keyword: keywordText)) }
                let key = try Self.key(arguments[0], type: .ed25519, line: number)
                guard !logs.contains(where: { $0.key.sharesPublicKey(with: key) }) else {
                    throw fail(.duplicateLog)
                }
                logs.append(Log(key: key, url: arguments.count == 2 ? Self.text(arguments[1]) : nil))
            case "witness":
                guard (2...3).contains(arguments.count) else { throw fail(.wrongFieldCount(keyword: keywordText)) }
                let name = Array(arguments[0])
                guard name != Self.none, rules[name] == nil else { throw fail(.duplicateName(Self.text(arguments[0]))) }
                let key = try Self.key(arguments[1], type: .cosignatureV1, line: number)
                guard !witnesses.contains(where: { $0.key.sharesPublicKey(with: key) })
                else { throw fail(.duplicateWitness) }
                witnesses.append(
                    Witness(name: Self.text(arguments[0]), key: key, url: arguments.count == 3 ? Self.text(arguments[2]) : nil, octets: name)
                )
                rules[name] = .witness(name)
            case "group":
                guard arguments.count >= 3 else { throw fail(.wrongFieldCount(keyword: keywordText)) }
                let name = Array(arguments[0])
                guard name != Self.none, rules[name] == nil else { throw fail(.duplicateName(Self.text(arguments[0]))) }
                let memberNames = arguments.dropFirst(2).map { Array($0) }
                let threshold: Int
                switch Self.text(arguments[1]) {
                case "any": threshold = 1
                case "all": threshold = memberNames.count
                case let digits:
                    guard digits.utf8.count <= 9, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                        let value = Int(digits), (1...memberNames.count).contains(value)
                    else { throw fail(.invalidThreshold(digits)) }
                    threshold = value
                }
                var members: [Rule] = []
                var seen: Set<[UInt8]> = []
                for member in memberNames {
                    guard member != Self.none else { throw fail(.noneAsMember) }
                    guard let rule = rules[member] else { throw fail(.undefinedName(Self.text(member[...]))) }
                    guard seen.insert(member).inserted else { throw fail(.duplicateMember(Self.text(member[...]))) }
                    members.append(rule)
                }
                groups.append(Group(name: Self.text(arguments[0]), threshold: threshold, members: memberNames.map { Self.text($0[...]) }))
                rules[name] = .group(threshold: threshold, members: members)
            case "quorum":
                guard arguments.count == 1 else { throw fail(.wrongFieldCount(keyword: keywordText)) }
                guard quorum == nil else { throw fail(.duplicateQuorum) }
                let name = Array(arguments[0])
                if name == Self.none {
                    quorum = (.none, nil)
                } else {
                    guard let rule = rules[name] else { throw fail(.undefinedName(Self.text(arguments[0]))) }
                    quorum = (.named(Self.text(arguments[0])), rule)
                }
            default:
                throw fail(.unknownKeyword(keywordText))
            }
        }

        static func key(
            _ field: ArraySlice<UInt8>,
            type: NoteVerifierKey.SignatureType,
            line: Int
        ) throws(WitnessPolicyError) -> NoteVerifierKey {
            let key: NoteVerifierKey
            do throws(NoteKeyError) {
                key = try NoteVerifierKey(text(field))
            } catch {
                throw WitnessPolicyError(line: line, reason: .invalidKey(error))
            }
            guard key.signatureType == type else { throw WitnessPolicyError(line: line, reason: .wrongKeyType(key.signatureType)) }
            return key
        }

        static func text(_ field: ArraySlice<UInt8>) -> String {
            String(decoding: field, as: UTF8.self)
        }
    }
}
