import Foundation
import WardenCore

/// The checkpoint signing key on disk, in Go's `PRIVATE+KEY+…` note form.
public enum LedgerKeyFile {
    public enum Problem: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case wrongOrigin(path: String, key: String, configured: String)
        case unusablePolicy(path: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "ledger signing key \(path): \(reason)"
            case .wrongOrigin(let path, let key, let configured):
                "ledger signing key \(path) is for log \(key), but ledger.origin is \(configured); a log's key is named after it"
            case .unusablePolicy(let path, let reason): "witness policy \(path): \(reason)"
            }
        }
    }

    /// Reads the key at `path`, or makes one named `origin` (default `warden.local/<host>`) when there is none yet.
    /// Without a configured origin an existing key names the log, so a host rename never splits it.
    public static func loadOrCreate(path: String, origin: String?) throws -> NoteSignerKey {
        guard FileManager.default.fileExists(atPath: path) else {
            return try create(path: path, name: origin ?? "warden.local/" + ProcessInfo.processInfo.hostName)
        }
        let key = try load(path: path)
        if let origin, origin != key.name { throw Problem.wrongOrigin(path: path, key: key.name, configured: origin) }
        return key
    }

    /// Reads an existing key file.
    public static func load(path: String) throws -> NoteSignerKey {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Problem.unreadable(path: path, reason: "cannot be read")
        }
        do {
            return try NoteSignerKey(text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw Problem.unreadable(path: path, reason: "not a note signing key (\(error))")
        }
    }

    /// Makes a new key named `name` and writes it to `path`, which must not exist yet.
    public static func create(path: String, name: String) throws -> NoteSignerKey {
        let key: NoteSignerKey
        do {
            key = try NoteSignerKey.generate(name: name)
        } catch {
            throw Problem.unreadable(path: path, reason: "cannot make a key named \(name) (\(error))")
        }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try writeOwnerOnly(Array((key.encoded + "\n").utf8), to: path)
        return key
    }

    /// Created with mode 0600 from the start, so the secret is never readable by others, not even for a moment.
    private static func writeOwnerOnly(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw Problem.unreadable(path: path, reason: "cannot be created (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Problem.unreadable(path: path, reason: "cannot be written (\(String(cString: strerror(errno))))") }
    }

    /// Reads a tlog-policy for distributing this log's checkpoints: it must name this log's key (else no checkpoint
    /// could ever satisfy it) and give every witness a URL to send checkpoints to.
    public static func witnessPolicy(path: String, for key: NoteVerifierKey) throws -> WitnessPolicy {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem.unusablePolicy(path: path, reason: "cannot be read") }
        let policy: WitnessPolicy
        do {
            policy = try WitnessPolicy(parsing: Array(data))
        } catch {
            throw Problem.unusablePolicy(path: path, reason: "\(error)")
        }
        guard policy.logs.contains(where: { $0.key == key }) else {
            throw Problem.unusablePolicy(path: path, reason: "no log line with this log's verifier key \(key)")
        }
        if let witness = policy.witnesses.first(where: { $0.url == nil }) {
            throw Problem.unusablePolicy(path: path, reason: "witness \(witness.name) has no URL to send checkpoints to")
        }
        return policy
    }
}
