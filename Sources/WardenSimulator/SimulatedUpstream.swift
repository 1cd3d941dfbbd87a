import Hummingbird
import Logging
import NIOCore

/// A stand-in for the Claude API that follows its wire protocol closely (ids, headers, SSE framing and padding,
/// error envelopes, batches, files), for `warden demo`, benchmarks and tests.
///
/// It is an `HTTPResponder`, so it can be served with `Application(router: upstream)` or with
/// ``buildApplication(host:port:logger:onServerRunning:)``.
public struct SimulatedUpstream: Sendable {
    public struct Configuration: Sendable {
        /// The credential callers must present, as `x-api-key: K` or `Authorization: Bearer K`.
        public var apiKey: String
        /// Seeds the ids (`msg_…`, `toolu_…`, `req_…`, `msgbatch_…`, `file_…`) and the padding.
        public var seed: UInt64
        /// Prefix of the absolute `results_url` of batches, as the real API returns one.
        public var publicBaseURL: String
        /// Pause between streamed events.
        public var eventDelay: Duration
        /// Pad data lines with 0–15 spaces inside the closing brace, as the real API does.
        public var pad: Bool

        public init(
            apiKey: String,
            seed: UInt64 = 1,
            publicBaseURL: String = "https://api.anthropic.com",
            eventDelay: Duration = .zero,
            pad: Bool = true
        ) {
            self.apiKey = apiKey
            self.seed = seed
            self.publicBaseURL = publicBaseURL
            self.eventDelay = eventDelay
            self.pad = pad
        }
    }

    /// Largest request body accepted; beyond it the answer is 413 `request_too_large`.
    static let maximumBodySize = 64 * 1024 * 1024

    public let configuration: Configuration
    /// Every request received.
    public let recorder: RequestLog
    public let hooks: SimulatorHooks
    let identifiers: Identifiers
    let batches: ResourceStore<StoredBatch>
    let files: ResourceStore<StoredFile>

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.recorder = RequestLog()
        self.hooks = SimulatorHooks()
        self.identifiers = Identifiers(seed: configuration.seed)
        self.batches = ResourceStore()
        self.files = ResourceStore()
    }

    /// An HTTP/1 server for the upstream; `onServerRunning` receives the bound port (useful with port 0).
    public func buildApplication(
        host: String,
        port: Int,
        logger: Logger = Logger(label: "warden.simulator"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: self,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "warden-simulator"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

extension SimulatedUpstream: HTTPResponderBuilder {
    public func buildResponder() -> SimulatedUpstream { self }
}
