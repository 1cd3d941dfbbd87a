import ArgumentParser
import Foundation
import WardenCore
import WardenStore

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write every recorded exchange as JSON Lines (schema in docs/export.md).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Output format; jsonl is the one format.") var format = "jsonl"
    @Option(help: "Only exchanges received since this time (ISO 8601, or a span like 2h, 7d).") var since: String?

    func run() async throws {
        guard format == "jsonl" else { throw ValidationError("unknown format \(format); use jsonl") }
        let sinceDate = try since.map(TimeArgument.parse)
        let recordings = try await store.openAudited(action: "export", target: since.map { "since \($0)" } ?? "all")
        let encoder = ExportRecord.encoder(pretty: false)
        var cursor: ExchangeID?
        let output = FileHandle.standardOutput
        while true {
            let page = try await recordings.exchanges(after: cursor, since: sinceDate, limit: 500)
            for exchange in page {
                var line = try encoder.encode(ExportRecord(exchange))
                line.append(0x0A)
                output.write(line)
            }
            guard let last = page.last else { break }
            cursor = last.opening.id
        }
        try await recordings.shutdown()
    }
}
