import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import WardenCore
import WardenSimulator
import WardenStore

@testable import WardenGateway

/// Checkpoints leave the machine: two simulated C2SP witnesses over real HTTP, a webhook receiver, a real SQLite
/// store, and the distributor between them.
@Suite("Checkpoint distribution")
struct CheckpointDistributionTests {
    @Test("Witnesses cosign to quorum before a checkpoint is served; short of it, receipts stay on the last cosigned one")
    func cosignsToQuorum() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "warden-witness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Self.quietLogger
        let signer = try NoteSignerKey.generate(name: "ledger.test/witnessed")
        let alpha = try SimulatedWitness(name: "witness.test/alpha", logs: [signer.verifierKey])
        let beta = try SimulatedWitness(name: "witness.test/beta", logs: [signer.verifierKey])
        let hooks = WebhookReceiver()
        let store = try SQLiteStore(path: directory.appending(path: "warden.sqlite").path)
        try await store.prepare()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)

        let alphaServer = try await Server.start { alpha.buildApplication(host: "127.0.0.1", port: 0, logger: logger, onServerRunning: $0) }
        let betaServer = try await Server.start { beta.buildApplication(host: "127.0.0.1", port: 0, logger: logger, onServerRunning: $0) }
        let hookServer = try await Server.start { hooks.buildApplication(logger: logger, onServerRunning: $0) }
        let both = try WitnessPolicy(
            parsing: """
                log \(signer.verifierKey)
                witness alpha \(alpha.cosigner.verifierKey) http://127.0.0.1:\(alphaServer.port)
                witness beta \(beta.cosigner.verifierKey) http://127.0.0.1:\(betaServer.port)/
                group both 2 alpha beta
                quorum both

                """
        )
        let sequencer = LedgerSequencer(
            store: store,
            signer: signer,
            checkpointFile: directory.appending(path: "ledger-checkpoint").path,
            publishDirectory: nil,
            witnessed: true,
            logger: logger
        )
        try await sequencer.start()
        let distributor = CheckpointDistributor(
            sequencer: sequencer,
            httpClient: client,
            policy: both,
            webhook: "http://127.0.0.1:\(hookServer.port)/checkpoints",
            // Long enough for a cosignature on a loaded CI machine (500 ms was not); the stalled witness below costs it once.
            timeout: .seconds(3),
            logger: logger
        )

        let first = try await Self.record(store, seed: 1)
        try await sequencer.step()
        #expect(await sequencer.checkpoint == nil)  // signed, not yet cosigned
        await distributor.distributeLatest()
        let published = try #require(await sequencer.checkpoint)
        #expect(try both.verify(published).size == 1)
        #expect(alpha.cosignedSize(origin: signer.name) == 1 && beta.cosignedSize(origin: signer.name) == 1)
        #expect(hooks.received == [published.serialized])
        #expect(try await store.latestCheckpoint()?.note == published.serialized)
        let receipt = try #require(try await sequencer.receipt(recordID: first.rawValue))
        let policyText =
            "log \(signer.verifierKey)\nwitness a \(alpha.cosigner.verifierKey)\nwitness b \(beta.cosigner.verifierKey)\ngroup g 2 a b\nquorum g\n"
        #expect(throws: Never.self) { try Receipt.verify(Array(receipt.serialized.utf8), policy: WitnessPolicy(parsing: policyText)).get() }
        await distributor.distributeLatest()
        #expect(hooks.received.count == 1)  // nothing new, nothing sent

        // Beta stops answering (its connection stays open, so the call runs into the timeout): the next checkpoint falls short of the quorum and is neither served nor sent.
        await betaServer.stop()
        let second = try await Self.record(store, seed: 2)
        try await sequencer.step()
        await distributor.distributeLatest()
        #expect(try Checkpoint(body: try #require(await sequencer.checkpoint).text).size == 1)
        #expect(try await sequencer.receipt(recordID: second.rawValue) == nil)
        #expect(alpha.cosignedSize(origin: signer.name) == 2)
        #expect(hooks.received.count == 1)

        // After a restart the distributor knows no witness sizes: alpha answers 409 with its size, and the retry from
        // there is cosigned. With a policy alpha alone satisfies, the checkpoint is published.
        let alphaOnly = try WitnessPolicy(
            parsing: "log \(signer.verifierKey)\nwitness alpha \(alpha.cosigner.verifierKey) http://127.0.0.1:\(alphaServer.port)\nquorum alpha\n"
        )
        let restarted = CheckpointDistributor(sequencer: sequencer, httpClient: client, policy: alphaOnly, webhook: nil, logger: logger)
        let requestsBefore = alpha.requestCount
        await restarted.distributeLatest()
        #expect(alpha.requestCount == requestsBefore + 2)
        #expect(try Checkpoint(body: try #require(await sequencer.checkpoint).text).size == 2)
        #expect(try await sequencer.receipt(recordID: second.rawValue) != nil)

        // A witness whose answer is signed by another key than the policy names counts for nothing.
        let impostorPolicy = try WitnessPolicy(
            parsing: "log \(signer.verifierKey)\nwitness beta \(beta.cosigner.verifierKey) http://127.0.0.1:\(alphaServer.port)\nquorum beta\n"
        )
        _ = try await Self.record(store, seed: 3)
        try await sequencer.step()
        await CheckpointDistributor(sequencer: sequencer, httpClient: client, policy: impostorPolicy, webhook: nil, logger: logger).distributeLatest()
        #expect(try Checkpoint(body: try #require(await sequencer.checkpoint).text).size == 2)

        await alphaServer.stop()
        await hookServer.stop()
        try await client.shutdown()
        try await store.shutdown()
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "warden.test")
        logger.logLevel = .critical
        return logger
    }

    static func record(_ store: SQLiteStore, seed: Int) async throws -> ExchangeID {
        let at = Date()
        let opening = ExchangeOpening(
            id: ExchangeID(date: at),
            session: SessionAssignment(source: .header, key: "witnessed"),
            principal: Principal(issuer: "https://issuer.test", subject: "ci"),
            tokenHash: String(repeating: "0", count: 64),
            method: "POST",
            path: "/v1/messages",
            requestBody: Data("{\"seed\":\(seed)}".utf8),
            receivedAt: at
        )
        _ = try await store.open(opening)
        try await store.close(ExchangeClosing(id: opening.id, outcome: .complete, upstreamStatus: 200, completedAt: Date()))
        return opening.id
    }
}

/// Collects what the checkpoint webhook receives.
final class WebhookReceiver: Sendable {
    private let bodies = Mutex<[String]>([])
    /// Each body as it arrives, for tests that wait for a delivery.
    let arrivals: AsyncStream<String>
    private let arrived: AsyncStream<String>.Continuation

    init() {
        (arrivals, arrived) = AsyncStream.makeStream(of: String.self)
    }

    var received: [String] { bodies.withLock { $0 } }

    func buildApplication(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.post("/checkpoints") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 16)
            self.bodies.withLock { $0.append(String(buffer: body)) }
            self.arrived.yield(String(buffer: body))
            return .noContent
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

/// One application served on loopback until `stop()`, with the port it bound.
struct Server: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `build` receives the callback that reports the bound port.
    static func start<App: ApplicationProtocol>(_ build: (@escaping @Sendable (Int) async -> Void) -> App) async throws -> Server {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = build { sink.yield($0) }
        let group = ServiceGroup(services: [app], logger: CheckpointDistributionTests.quietLogger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return Server(port: port, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
