import ArgumentParser
import Foundation
import WardenCore
import WardenStore

struct Exchanges: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show recorded exchanges.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything recorded about one exchange.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The exchange id (the Warden-Exchange-Id response header).") var id: String
        @Flag(help: "Print the full export record as JSON.") var json = false

        func run() async throws {
            guard let exchangeID = ExchangeID(id) else { throw ValidationError("\(id) is not an exchange id") }
            let recordings = try await store.openAudited(action: "show-exchange", target: id)
            let found = try await recordings.exchange(id: exchangeID)
            try await recordings.shutdown()
            guard let exchange = found else { throw ValidationError("no exchange \(id)") }
            if json {
                print(String(decoding: try ExportRecord.encoder(pretty: true).encode(ExportRecord(exchange)), as: UTF8.self))
                return
            }
            print(Transcript.details(of: exchange))
        }
    }
}
