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
        let configuration = try configuration()
        switch configuration.store {
        case .sqlite:
            let path = configuration.sqlitePath!
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no recordings at \(path) (is --data-dir or --config right?)")
            }
            return try SQLiteStore(path: path, readOnly: true)
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
