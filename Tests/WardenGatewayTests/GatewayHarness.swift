import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle
import Testing
import WardenCore
import WardenGateway
import WardenSimulator
import WardenStore

/// A whole Warden on loopback for one test: the simulated upstream, a development OIDC issuer served over HTTP
/// (so discovery, JWKS fetching and rotation are real), the gateway and its SQLite file in a temporary directory.
struct GatewayHarness {
    static let audience = "https://warden.test"
    static let upstreamKey = "sk-ant-upstream-\(UUID().uuidString)"

    let gatewayPort: Int
    let upstream: SimulatedUpstream
    let issuer: DevelopmentIssuer
    let store: SQLiteStore
    /// The gateway's ledger sequencer (also running in the background); tests call `step()` to integrate now.
    let ledger: LedgerSequencer?
    let directory: URL
    let client: HTTPClient

    var databasePath: String { directory.appendingPathComponent("warden.sqlite").path }

    /// A change to the default test configuration, e.g. `.configured { $0.recording = .bestEffort }`.
    struct Adjustment: Sendable {
        let apply: @Sendable (inout WardenConfiguration) -> Void

        static let none = Adjustment { _ in }
        static func configured(_ apply: @escaping @Sendable (inout WardenConfiguration) -> Void) -> Adjustment { Adjustment(apply: apply) }
    }

    /// Runs `body` against a fresh deployment. The issuer's port is chosen before it binds (its URL is its identity),
    /// so a parallel test can take the same port first; such a start is retried rather than left waiting.
    static func run(_ adjustment: Adjustment = .none, _ body: (GatewayHarness) async throws -> Void) async throws {
        for attempt in 1...3 {
            do {
                return try await runOnce(adjustment, body)
            } catch HarnessError.serversDidNotStart where attempt < 3 {
                continue
            }
        }
    }

    private static func runOnce(_ adjustment: Adjustment, _ body: (GatewayHarness) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-test-\(ExchangeID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "warden.test")
        logger.logLevel = .critical
        let upstream = SimulatedUpstream(configuration: .init(apiKey: upstreamKey))
        let (ports, portSink) = AsyncStream.makeStream(of: (String, Int).self)
        let upstreamApp = upstream.buildApplication(host: "127.0.0.1", port: 0, logger: logger) { portSink.yield(("upstream", $0)) }
        let issuerPort = try await Self.freeIssuerPort()
        let issuer = DevelopmentIssuer(issuer: "http://127.0.0.1:\(issuerPort)")
        let issuerApp = issuer.buildApplication(host: "127.0.0.1", port: issuerPort, logger: logger) { portSink.yield(("issuer", $0)) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let group = ServiceGroup(services: [upstreamApp, issuerApp], logger: logger)
            tasks.addTask {
                do {
                    try await group.run()
                } catch {
                    portSink.finish()
                    throw HarnessError.serversDidNotStart
                }
            }
            var iterator = ports.makeAsyncIterator()
            var bound: [String: Int] = [:]
            while bound.count < 2, let (name, port) = await iterator.next() { bound[name] = port }
            guard bound.count == 2 else {
                try await client.shutdown()
                throw HarnessError.serversDidNotStart
            }

            var configuration = WardenConfiguration()
            configuration.listen.port = 0
            configuration.dataDirectory = directory.path
            configuration.upstream.baseURL = "http://127.0.0.1:\(bound["upstream"]!)"
            configuration.upstream.apiKey = upstreamKey
            configuration.identity.issuers = [
                IssuerPolicy(issuer: issuer.issuer, audiences: [audience], algorithms: ["ES256"], displayNameClaim: "name")
            ]
            configuration.identity.jwksMinimumRefreshInterval = .seconds(3600)
            adjustment.apply(&configuration)
            let store = try SQLiteStore(path: configuration.sqlitePath ?? directory.appendingPathComponent("warden.sqlite").path)
            try await store.prepare()
            let gateway = try Gateway(configuration: configuration, store: store, logger: logger)
            let gatewayApp = try gateway.buildApplication { portSink.yield(("gateway", $0)) }
            let gatewayGroup = ServiceGroup(services: [gatewayApp], logger: logger)
            tasks.addTask { try await gatewayGroup.run() }
            guard let (_, gatewayPort) = await iterator.next() else { return }
            let harness = GatewayHarness(
                gatewayPort: gatewayPort,
                upstream: upstream,
                issuer: issuer,
                store: store,
                ledger: gateway.ledger,
                directory: directory,
                client: client
            )
            do {
                try await body(harness)
            } catch {
                await gatewayGroup.triggerGracefulShutdown()
                await group.triggerGracefulShutdown()
                try await client.shutdown()
                throw error
            }
            await gatewayGroup.triggerGracefulShutdown()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try await client.shutdown()
            try await store.shutdown()
        }
    }

    /// The issuer's URL is its identity and must be known before it serves, so it binds to a port found free first.
    private static func freeIssuerPort() async throws -> Int {
        let channel = try await ServerBootstrapProbe.bindEphemeral()
        return channel
    }

    func token(
        subject: String = "alice",
        audience: String = Self.audience,
        ttl: Duration = .seconds(600),
        claims: [String: JSONValue] = [:]
    ) -> String {
        issuer.mint(subject: subject, audience: audience, ttl: ttl, claims: claims)
    }

    /// Sends a request to the gateway and collects the whole answer.
    func send(
        _ method: HTTPMethod = .POST,
        path: String = "/v1/messages",
        headers: [(String, String)] = [],
        token: String? = nil,
        body: ByteBuffer? = nil
    ) async throws -> (status: Int, headers: [(String, String)], body: Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)\(path)")
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        if !headers.contains(where: { $0.0.lowercased() == "anthropic-version" }) {
            request.headers.add(name: "anthropic-version", value: "2023-06-01")
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, bytes)
    }

    /// Waits (bounded) until the exchange has a closing record, which is written after the client saw the last byte.
    func closedExchange(_ id: String) async throws -> StoredExchange {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let exchange = try await store.exchange(id: ExchangeID(id)!), exchange.closing != nil { return exchange }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw HarnessError.timedOut("exchange \(id) never closed")
    }

    /// The one exchange recorded so far, once it has closed: for a caller that never saw its response headers.
    func latestClosedExchange() async throws -> StoredExchange {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let exchange = try await store.exchanges(after: nil, since: nil, limit: 1).first, exchange.closing != nil { return exchange }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw HarnessError.timedOut("no exchange closed")
    }

    /// The stored exchange named by a response's `Warden-Exchange-Id`.
    func recorded(_ response: (status: Int, headers: [(String, String)], body: Data)) async throws -> StoredExchange {
        try await recorded(exchangeID: response.headers.value("warden-exchange-id"))
    }

    func recorded(exchangeID: String?) async throws -> StoredExchange {
        guard let text = exchangeID, let id = ExchangeID(text), let exchange = try await store.exchange(id: id) else {
            throw HarnessError.timedOut("no recorded exchange \(exchangeID ?? "(no header)")")
        }
        return exchange
    }

    enum HarnessError: Error {
        case timedOut(String)
        case serversDidNotStart
    }
}

extension Array where Element == (String, String) {
    func value(_ name: String) -> String? { first { $0.0.lowercased() == name.lowercased() }?.1 }
}

func messagesBody(_ text: String, stream: Bool = false, model: String = "claude-sonnet-4-5") -> ByteBuffer {
    ByteBuffer(string: #"{"model":"\#(model)","max_tokens":128,"stream":\#(stream),"messages":[{"role":"user","content":"\#(text)"}]}"#)
}
