import ArgumentParser
import Foundation
import WardenCore
import WardenStore

struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List and show recorded sessions.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sessions, most recent first.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this subject or display name.") var user: String?
        @Option(help: "Only sessions active since this time (ISO 8601, or a duration ago such as 2h, 7d).") var since: String?
        @Option(help: "Only sessions that used this model.") var model: String?
        @Option(help: "At most this many sessions.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let recordings = try await store.openStore()
            let sessions = try await recordings.sessions(
                matching: SessionQuery(user: user, since: try since.map(TimeArgument.parse), model: model, limit: limit)
            )
            try await recordings.shutdown()
            if json {
                print(try Output.json(sessions.map(SessionRecord.init)))
                return
            }
            if sessions.isEmpty {
                print("no sessions recorded")
                return
            }
            print("SESSION                     USER                          SOURCE       EXCHANGES  LAST SEEN             MODELS")
            for session in sessions {
                print(
                    [
                        session.id.padded(27), session.principal.label.padded(29), session.source.rawValue.padded(12),
                        String(session.exchangeCount).padded(10), Output.time(session.lastSeenAt).padded(21), session.models.joined(separator: ","),
                    ].joined(separator: " ")
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One session and its exchanges.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The session id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let recordings = try await store.openAudited(action: "show-session", target: id)
            guard let session = try await recordings.session(id: id) else {
                try await recordings.shutdown()
                throw ValidationError("no session \(id)")
            }
            let exchanges = try await recordings.exchanges(inSession: id)
            try await recordings.shutdown()
            if json {
                var record = SessionRecord(session)
                record.exchanges = exchanges.map(ExchangeLine.init)
                print(try Output.json(record))
                return
            }
            print("session   \(session.id)  (\(session.source.rawValue)\(session.externalKey.map { " \($0)" } ?? ""))")
            print("user      \(Transcript.describe(session.principal))")
            print("active    \(Output.time(session.startedAt)) – \(Output.time(session.lastSeenAt)), \(session.exchangeCount) exchange(s)")
            print("")
            for exchange in exchanges {
                let line = ExchangeLine(exchange)
                print(
                    "\(line.id)  \(Output.time(exchange.opening.receivedAt))  \(line.method) \(line.path)  \(line.model ?? "-")  \(line.status.map(String.init) ?? "-")  \(line.outcome)"
                )
            }
        }
    }
}

/// `--json` shape of a session.
struct SessionRecord: Encodable {
    var id: String
    var source: String
    var externalKey: String?
    var principal: Principal
    var startedAt: Date
    var lastSeenAt: Date
    var exchangeCount: Int
    var models: [String]
    var exchanges: [ExchangeLine]?

    init(_ summary: SessionSummary) {
        id = summary.id
        source = summary.source.rawValue
        externalKey = summary.externalKey
        principal = summary.principal
        startedAt = summary.startedAt
        lastSeenAt = summary.lastSeenAt
        exchangeCount = summary.exchangeCount
        models = summary.models
    }
}

/// One exchange in a listing.
struct ExchangeLine: Encodable {
    var id: String
    var receivedAt: Date
    var method: String
    var path: String
    var model: String?
    var status: Int?
    var outcome: String

    init(_ exchange: StoredExchange) {
        id = exchange.opening.id.rawValue
        receivedAt = exchange.opening.receivedAt
        method = exchange.opening.method
        path = exchange.opening.path
        model = exchange.opening.model
        status = exchange.closing?.upstreamStatus
        outcome = exchange.outcome.rawValue
    }
}

/// Times on the command line: ISO 8601, or a span back from now (`30m`, `2h`, `7d`).
enum TimeArgument {
    static func parse(_ text: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let scale = units[unit], let amount = Double(text.dropLast()) {
            return Date().addingTimeInterval(-amount * scale)
        }
        throw ValidationError("expected an ISO 8601 time or a span like 2h or 7d, got \(text)")
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
