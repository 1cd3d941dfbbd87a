import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenGateway
import WardenStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway.")

    @Option(name: .long, help: "The configuration file (YAML); defaults apply to everything not in it.")
    var config: String?

    @Flag(name: .long, help: "Also trust the local development issuer (tokens from `warden dev token`). Never in production.")
    var dev = false

    @Option(name: .long, help: "Override listen.port.")
    var port: Int?

    @Option(name: .long, help: "Override data_directory.")
    var dataDir: String?

    func run() async throws {
        var configuration: WardenConfiguration
        do {
            configuration = try config.map { try ConfigurationFile.load(path: $0) } ?? WardenConfiguration()
        } catch let problems as ConfigProblems {
            throw ValidationError("configuration has problems:\n\(problems)")
        }
        if let port { configuration.listen.port = port }
        if let dataDir { configuration.dataDirectory = dataDir }
        let logger = LoggingSetup.bootstrap(configuration.logging)
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        if dev {
            configuration.identity.issuers.append(try DevelopmentIdentity.policy(dataDirectory: configuration.dataDirectory))
            logger.warning("development issuer trusted (--dev): tokens from `warden dev token` are accepted")
        }
        guard !configuration.identity.issuers.isEmpty else {
            throw ValidationError("no trusted issuers: add identity.issuers to the configuration, or pass --dev to try Warden locally")
        }
        if configuration.upstream.apiKey == nil {
            logger.warning("upstream.api_key is not set: requests reach the upstream without Warden's credential")
        }
        let store = try StoreFactory.open(configuration, logger: logger)
        let gateway = try Gateway(configuration: configuration, store: store, logger: logger)
        let host = configuration.listen.host
        let upstream = configuration.upstream.baseURL
        try await gateway.run { port in
            logger.notice("Warden listening", metadata: ["address": "\(host):\(port)", "upstream": "\(upstream)"])
        }
    }
}

enum StoreFactory {
    static func open(_ configuration: WardenConfiguration, logger: Logger) throws -> any RecordingStore {
        switch configuration.store {
        case .sqlite:
            return try SQLiteStore(path: configuration.sqlitePath!, durability: configuration.durability)
        case .postgres(let url):
            return try PostgresStore(url: url, logger: logger)
        }
    }
}
