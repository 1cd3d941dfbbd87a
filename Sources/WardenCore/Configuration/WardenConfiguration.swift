import Foundation

/// Everything `warden serve` needs, with the defaults docs/configuration.md documents.
public struct WardenConfiguration: Sendable, Equatable {
    public enum RecordingMode: String, Sendable, Equatable {
        /// The opening record is durable before anything is forwarded; when the store fails, callers get 503.
        case strict
        /// Forward even when recording fails (every failure is logged). An explicit opt-in.
        case bestEffort = "best_effort"
    }

    public enum Store: Sendable, Equatable {
        /// A SQLite file; nil means `warden.sqlite` in the data directory.
        case sqlite(path: String?)
        case postgres(url: String)
    }

    /// What a committed SQLite record survives. PostgreSQL follows its server's `synchronous_commit` instead.
    public enum Durability: String, Sendable, Equatable {
        /// Warden crashing or being killed: a commit is in the operating system's hands when it returns, and is on
        /// disk by the next background checkpoint (at most a second later). A power loss can take that last second.
        case process
        /// A power loss too: every commit waits for fsync, which costs one disk flush per record.
        case power
    }

    public enum UpstreamCredentialHeader: String, Sendable, Equatable {
        case apiKey = "x-api-key"
        case bearer
    }

    public struct Listen: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 8787
        public var tlsCertificate: String?
        public var tlsKey: String?
        /// The URL callers use to reach Warden; batch `results_url`s are rewritten to it. Nil: derived from host and port.
        public var publicURL: String?
    }

    public struct Upstream: Sendable, Equatable {
        public var baseURL = "https://api.anthropic.com"
        /// The credential only Warden holds. Never logged, never recorded.
        public var apiKey: String?
        public var credentialHeader = UpstreamCredentialHeader.apiKey
        public var connectTimeout: Duration = .seconds(10)
        /// Time to the response head; non-streaming calls can think for minutes.
        public var responseTimeout: Duration = .seconds(600)
        /// Longest silence between two chunks of a body (streams send pings about every 15 s).
        public var idleTimeout: Duration = .seconds(300)
        public var maxConnections = 256
    }

    public struct Identity: Sendable, Equatable {
        public var issuers: [IssuerPolicy] = []
        public var clockSkew: Duration = .seconds(60)
        /// Minimum time between two JWKS fetches for one issuer caused by unknown key ids.
        public var jwksMinimumRefreshInterval: Duration = .seconds(30)
        /// How long fetched keys are used before a routine refresh.
        public var jwksTTL: Duration = .seconds(3600)
        public var verifiedTokenCacheSize = 10_000
    }

    public struct Logging: Sendable, Equatable {
        public var format = "text"
        public var level = "info"
    }

    /// The tamper-evident ledger: every closed exchange, refusal and read becomes a leaf; checkpoints are signed.
    public struct Ledger: Sendable, Equatable {
        public var enabled = true
        /// The log's name in checkpoints and leaves; nil means `warden.local/` plus the host name.
        public var origin: String?
        /// The Ed25519 note key (Go `PRIVATE+KEY+…` form); nil means `ledger-signing.key` in the data directory,
        /// created on first start.
        public var signingKey: String?
        /// Each signed checkpoint is also written here as `<size>`, e.g. a mounted write-once bucket.
        public var checkpointDirectory: String?
        /// A C2SP tlog-policy file: the witnesses (with URLs) that cosign each checkpoint and the quorum they must make
        /// before a checkpoint is served or used for receipts.
        public var witnessPolicy: String?
        /// Each published checkpoint is POSTed here as text/plain.
        public var webhook: String?
        /// How often new records are sequenced and a checkpoint is signed when the log grew.
        public var interval: Duration = .milliseconds(250)

        public init() {}
    }

    public var listen = Listen()
    public var dataDirectory = "./warden-data"
    public var store = Store.sqlite(path: nil)
    public var durability = Durability.process
    public var recording = RecordingMode.strict
    public var upstream = Upstream()
    public var identity = Identity()
    public var maxRequestBodyBytes = 32_000_000
    public var shutdownGracePeriod: Duration = .seconds(30)
    public var logging = Logging()
    public var ledger = Ledger()
    public var guardrails = GuardrailPolicy()

    public init() {}

    /// The SQLite file path the configuration resolves to, if the store is SQLite.
    /// The checkpoint signing key: `ledger.signing_key`, else `ledger-signing.key` in the data directory.
    public var ledgerSigningKeyPath: String {
        ledger.signingKey ?? (dataDirectory as NSString).appendingPathComponent("ledger-signing.key")
    }

    /// Where the sequencer remembers the last checkpoint it signed, outside the store it guards.
    public var ledgerCheckpointPath: String {
        (dataDirectory as NSString).appendingPathComponent("ledger-checkpoint")
    }

    public var sqlitePath: String? {
        guard case .sqlite(let path) = store else { return nil }
        return path ?? (dataDirectory as NSString).appendingPathComponent("warden.sqlite")
    }

    public var publicURL: String {
        listen.publicURL ?? "\(listen.tlsCertificate == nil ? "http" : "https")://\(listen.host):\(listen.port)"
    }
}
