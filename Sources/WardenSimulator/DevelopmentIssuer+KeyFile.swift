import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DevelopmentIssuer {
    /// An issuer whose key lives in a PEM file (mode 0600), created on first use, so that separate processes
    /// (`warden dev token`, `warden serve --dev`) sign and verify with the same key.
    public static func loadOrCreate(issuer: String, keyFile: URL) throws -> DevelopmentIssuer {
        DevelopmentIssuer(issuer: issuer, key: try loadOrCreateKey(at: keyFile))
    }

    /// The new key is written to a private temporary file and hard-linked into place, which fails if the file
    /// exists: when two processes race, both end up with the key of the one that linked first.
    private static func loadOrCreateKey(at url: URL) throws -> P256.Signing.PrivateKey {
        if FileManager.default.fileExists(atPath: url.path) {
            return try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: url, encoding: .utf8))
        }
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = P256.Signing.PrivateKey()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        try writePrivateFile(Data(key.pemRepresentation.utf8), to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            try FileManager.default.linkItem(at: temporary, to: url)
            return key
        } catch  where FileManager.default.fileExists(atPath: url.path) {
            return try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: url, encoding: .utf8))
        }
    }

    /// Creates the file with mode 0600 from the start, so the key is never readable by others.
    private static func writePrivateFile(_ data: Data, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
