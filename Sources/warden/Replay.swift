import ArgumentParser
import Foundation
import WardenCore
import WardenStore

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a recorded session as a transcript, or write an exchange's exact response bytes."
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "The session id.") var session: String?
    @Flag(help: "Play streamed answers back with their recorded timing.") var realtime = false
    @Option(help: "Write the exact recorded response bytes of this exchange to standard output.") var raw: String?
    @Flag(help: "Print the session's exchanges as JSON export records.") var json = false

    func run() async throws {
        let recordings = try await store.openAudited(action: raw == nil ? "replay" : "replay-raw", target: raw ?? session ?? "")
        defer { Task { try? await recordings.shutdown() } }
        if let raw {
            guard let id = ExchangeID(raw), let exchange = try await recordings.exchange(id: id), let closing = exchange.closing else {
                throw ValidationError("no recorded response for exchange \(raw)")
            }
            FileHandle.standardOutput.write(closing.responseBody)
            return
        }
        guard let session else { throw ValidationError("give a session id, or --raw EXCHANGE") }
        guard let summary = try await recordings.session(id: session) else { throw ValidationError("no session \(session)") }
        let exchanges = try await recordings.exchanges(inSession: session)
        if json {
            let encoder = ExportRecord.encoder(pretty: false)
            for exchange in exchanges { print(String(decoding: try encoder.encode(ExportRecord(exchange)), as: UTF8.self)) }
            return
        }
        guard realtime else {
            print(Transcript.session(summary, exchanges))
            return
        }
        print("Session \(summary.id) — \(Transcript.describe(summary.principal))\n")
        for exchange in exchanges {
            guard let closing = exchange.closing, exchange.opening.streamed, !closing.events.isEmpty else {
                print(Transcript.turn(exchange))
                continue
            }
            if let prompt = Transcript.lastUserTurn(exchange.opening.requestBody) { print(Transcript.indent("user", prompt)) }
            FileHandle.standardOutput.write(Data("   assistant: ".utf8))
            try await StreamPlayback.play(closing) { text in FileHandle.standardOutput.write(Data(text.utf8)) }
            print("\n")
        }
    }
}

/// Plays a recorded stream back: each event's text appears when it arrived, relative to the first byte
/// (silences longer than two seconds are shortened so a replay never stalls).
enum StreamPlayback {
    static func play(_ closing: ExchangeClosing, write: (String) -> Void) async throws {
        let start = ContinuousClock.now
        var shift: Int64 = 0
        var previous: Int64 = 0
        for mark in closing.events {
            shift += max(0, mark.arrivalMicros - previous - 2_000_000)
            previous = mark.arrivalMicros
            try await Task.sleep(until: start + .microseconds(mark.arrivalMicros - shift), clock: .continuous)
            let bytes = closing.responseBody.dropFirst(mark.offset).prefix(mark.length)
            var scanner = SSEScanner()
            for event in scanner.feed(bytes) + scanner.finish() {
                guard let data = event.data.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let delta = object["delta"] as? [String: Any]
                else { continue }
                if let text = delta["text"] as? String { write(text) }
                if delta["type"] as? String == "thinking_delta" { write("·") }
            }
        }
    }
}
