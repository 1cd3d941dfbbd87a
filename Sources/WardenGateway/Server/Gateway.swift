import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals
import WardenCore
import WardenStore

/// A configured Warden gateway: the HTTP server and the services it needs (upstream client, store, shutdown watch),
/// run in one service group that drains in-flight exchanges on SIGTERM.
public struct Gateway: Sendable {
    public let configuration: WardenConfiguration
    public let store: any RecordingStore
    public let logger: Logger
    /// Sequences closed records into the tamper-evident ledger; nil when `ledger.enabled` is false.
    public let ledger: LedgerSequencer?
    private let distributor: CheckpointDistributor?
    private let guardrails: GuardrailStage?
    private let httpClient: HTTPClient
    private let verifier: TokenVerifier
    private let shutdownState = ShutdownState()

    /// Throws when the ledger's signing key cannot be read or made, or a custom guardrail rule does not compile.
    public init(configuration: WardenConfiguration, store: any RecordingStore, logger: Logger) throws {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        let httpClient = UpstreamClient.make(configuration.upstream)
        self.httpClient = httpClient
        let discovery = KeyDiscovery(httpClient: httpClient)
        self.verifier = TokenVerifier(policies: configuration.identity.issuers, identity: configuration.identity, fetcher: discovery.fetcher(for:))
        guardrails =
            configuration.guardrails.enabled
            ? GuardrailStage(
                inspector: try ContentInspector(policy: configuration.guardrails),
                memory: ConversationMemory(),
                alerts: FindingAlerts(policy: configuration.guardrails, httpClient: httpClient, logger: logger)
            ) : nil
        if configuration.ledger.enabled {
            let signer = try LedgerKeyFile.loadOrCreate(path: configuration.ledgerSigningKeyPath, origin: configuration.ledger.origin)
            let policy = try configuration.ledger.witnessPolicy.map { try LedgerKeyFile.witnessPolicy(path: $0, for: signer.verifierKey) }
            let sequencer = LedgerSequencer(
                store: store,
                signer: signer,
                checkpointFile: configuration.ledgerCheckpointPath,
                publishDirectory: configuration.ledger.checkpointDirectory,
                witnessed: policy != nil,
                logger: logger
            )
            ledger = sequencer
            distributor =
                policy != nil || configuration.ledger.webhook != nil
                ? CheckpointDistributor(
                    sequencer: sequencer,
                    httpClient: httpClient,
                    policy: policy,
                    webhook: configuration.ledger.webhook,
                    logger: logger
                ) : nil
        } else {
            ledger = nil
            distributor = nil
        }
    }

    /// Builds the Hummingbird application; `onServerRunning` receives the bound port (useful with port 0).
    public func buildApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let store = self.store
        let responder = GatewayResponder(
            configuration: configuration,
            verifier: verifier,
            recorder: Recorder(store: store, mode: configuration.recording, logger: logger),
            httpClient: httpClient,
            shutdown: shutdownState,
            ledger: ledger,
            guardrails: guardrails,
            readiness: {
                do {
                    _ = try await store.session(id: "")
                    return true
                } catch {
                    return false
                }
            },
            logger: logger
        )
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [HangUpHandler()],
            idleTimeout: .init(configuration.upstream.idleTimeout + .seconds(60))
        )
        let server: HTTPServerBuilder
        if let certificate = configuration.listen.tlsCertificate, let key = configuration.listen.tlsKey {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            )
            tls.minimumTLSVersion = .tlsv12
            server = try .tls(.http1(configuration: http1), tlsConfiguration: tls)
        } else {
            server = .http1(configuration: http1)
        }
        let ledgerServices: [any Service] =
            ledger.map {
                [LedgerService(sequencer: $0, distributor: distributor, interval: configuration.ledger.interval, logger: logger)]
            } ?? []
        return Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: nil),
            services: ledgerServices + [HTTPClientService(client: httpClient)] + (guardrails.map { [$0.alerts] } ?? []),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Runs until SIGTERM or SIGINT: stops accepting, lets exchanges finish within the grace period, cancels the rest
    /// (recorded as interrupted), then flushes the store.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await store.prepare()
        let interrupted = try await store.markInterrupted(at: Date())
        if interrupted > 0 { logger.notice("marked exchanges left open by an earlier stop as interrupted", metadata: ["count": "\(interrupted)"]) }
        let application = try buildApplication(onServerRunning: onServerRunning)
        // Services shut down in reverse order, so the shutdown state learns of the signal before the server starts
        // draining: an exchange cut at the end of the grace period is then always recorded as interrupted.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: application, successTerminationBehavior: .gracefullyShutdownGroup), .init(service: shutdownState)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            logger.notice("stopped after the grace period; unfinished exchanges are recorded as interrupted", metadata: ["error": "\(error)"])
        }
        await shutdownState.waitUntilIdle(limit: .seconds(10))
        try await store.shutdown()
    }
}

/// Shuts the upstream client down after the server has stopped.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
