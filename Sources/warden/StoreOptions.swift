import ArgumentParser
import Foundation
import WardenCore
import WardenGateway
import WardenStore

/// How a reading command finds the recordings: the same configuration file `warden serve` used, or a data directory.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file warden serve runs with.")
    var config: String?

    @Option(name: .long, help: "The data directory (default ./warden-data) when no --config is given.")
    var dataDir: String?

    func configuration() throws -> WardenConfiguration {
        var configuration = try config.map { try ConfigurationFile.load(path: $0) } ?? WardenConfiguration()
        if let dataDir { configuration.dataDirectory = dataDir }
        return configuration
    }

    /// Opens the store read-only, so reading never disturbs a running gateway.
    func openStore() async throws -> any RecordingStore {
        try await openStore(readOnly: true)
    }

    /// Opens the store after recording that `action` reads `target`: auditors are audited too, and the access becomes a
    /// ledger leaf like any exchange. When the access cannot be recorded, nothing is shown.
    func openAudited(action: String, target: String) async throws -> any RecordingStore {
        let store = try await openStore(readOnly: false)
        let access = AccessRecord(id: ExchangeID(), at: Date(), actor: Self.actor, action: action, target: target)
        do {
            try await store.recordAccess(access)
        } catch {
            try? await store.shutdown()
            throw ValidationError("cannot record this \(action) in the ledger, so nothing is shown: \(error)")
        }
        return store
    }

    /// Who is reading: the operating-system account and the host the command runs on.
    private static var actor: String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "uid-\(getuid())"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }

    private func openStore(readOnly: Bool) async throws -> any RecordingStore {
        let configuration = try configuration()
        switch configuration.store {
        case .sqlite:
            let path = configuration.sqlitePath!
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no recordings at \(path) (is --data-dir or --config right?)")
            }
            return try SQLiteStore(path: path, readOnly: readOnly)
        case .postgres(let url):
            return try PostgresStore(url: url)
        }
    }
}

/// Shared by every command with a `--json` flag.
enum Output {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).dateSeparator(.dash))
    }
}
