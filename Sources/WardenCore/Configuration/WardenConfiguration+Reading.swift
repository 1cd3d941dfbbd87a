import Foundation

extension WardenConfiguration {
    /// Builds a configuration from a parsed document, or throws every problem found, each with its key path.
    public init(document: ConfigValue, environment: [String: String], readFile: (String) throws -> String) throws(ConfigProblems) {
        self.init()
        let reader = ConfigReader(environment: environment)
        let top = reader.map(
            document,
            at: "",
            known: [
                "listen", "data_directory", "store", "recording", "upstream", "identity", "limits", "shutdown", "logging", "ledger", "guardrails",
            ]
        )
        readListen(top["listen"], reader)
        if let directory = reader.string(top["data_directory"], at: "data_directory") { dataDirectory = directory }
        readStore(top["store"], reader)
        if let mode = reader.string(top["recording"], at: "recording") {
            if let parsed = RecordingMode(rawValue: mode) {
                recording = parsed
            } else {
                reader.fail("recording", "expected strict or best_effort, got \"\(mode)\"")
            }
        }
        readUpstream(top["upstream"], reader, readFile: readFile)
        readIdentity(top["identity"], reader)
        let limits = reader.map(top["limits"], at: "limits", known: ["max_request_body"])
        if let size = reader.byteSize(limits["max_request_body"], at: "limits.max_request_body") { maxRequestBodyBytes = size }
        let shutdown = reader.map(top["shutdown"], at: "shutdown", known: ["grace_period"])
        if let grace = reader.duration(shutdown["grace_period"], at: "shutdown.grace_period") { shutdownGracePeriod = grace }
        let logs = reader.map(top["logging"], at: "logging", known: ["format", "level"])
        if let format = reader.string(logs["format"], at: "logging.format") {
            if ["text", "json"].contains(format) { logging.format = format } else { reader.fail("logging.format", "expected text or json") }
        }
        if let level = reader.string(logs["level"], at: "logging.level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            if levels.contains(level) {
                logging.level = level
            } else {
                reader.fail("logging.level", "expected one of \(levels.joined(separator: ", "))")
            }
        }
        readLedger(top["ledger"], reader)
        readGuardrails(top["guardrails"], reader)
        if !reader.problems.isEmpty { throw ConfigProblems(problems: reader.problems) }
    }

    private mutating func readLedger(_ value: ConfigValue?, _ reader: ConfigReader) {
        let node = reader.map(
            value,
            at: "ledger",
            known: ["enabled", "origin", "signing_key", "checkpoint_directory", "witness_policy", "webhook", "interval"]
        )
        if let enabled = reader.bool(node["enabled"], at: "ledger.enabled") { ledger.enabled = enabled }
        if let origin = reader.string(node["origin"], at: "ledger.origin") {
            if origin.isEmpty || origin.contains(where: { $0.isWhitespace || $0 == "+" }) {
                reader.fail("ledger.origin", "expected a log name without spaces or '+', such as example.com/warden")
            } else {
                ledger.origin = origin
            }
        }
        ledger.signingKey = reader.string(node["signing_key"], at: "ledger.signing_key")
        ledger.checkpointDirectory = reader.string(node["checkpoint_directory"], at: "ledger.checkpoint_directory")
        ledger.witnessPolicy = reader.string(node["witness_policy"], at: "ledger.witness_policy")
        if let webhook = reader.string(node["webhook"], at: "ledger.webhook") {
            if URL(string: webhook)?.scheme.map({ ["http", "https"].contains($0) }) == true {
                ledger.webhook = webhook
            } else {
                reader.fail("ledger.webhook", "expected an http or https URL")
            }
        }
        if let interval = reader.duration(node["interval"], at: "ledger.interval") {
            if interval > .zero && interval <= .seconds(1) {
                ledger.interval = interval
            } else {
                reader.fail("ledger.interval", "expected more than 0 and at most 1s (a leaf is integrated within a second)")
            }
        }
    }

    private mutating func readListen(_ value: ConfigValue?, _ reader: ConfigReader) {
        let node = reader.map(value, at: "listen", known: ["host", "port", "tls", "public_url"])
        if let host = reader.string(node["host"], at: "listen.host") { listen.host = host }
        if let port = reader.integer(node["port"], at: "listen.port", range: 0...65535) { listen.port = port }
        if let url = reader.string(node["public_url"], at: "listen.public_url") {
            if URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) == true {
                listen.publicURL = url
            } else {
                reader.fail("listen.public_url", "expected an http or https URL")
            }
        }
        if let tlsValue = node["tls"] {
            let tls = reader.map(tlsValue, at: "listen.tls", known: ["certificate", "key"])
            listen.tlsCertificate = reader.string(tls["certificate"], at: "listen.tls.certificate")
            listen.tlsKey = reader.string(tls["key"], at: "listen.tls.key")
            if (listen.tlsCertificate == nil) != (listen.tlsKey == nil) {
                reader.fail("listen.tls", "certificate and key must be given together")
            }
        }
    }

    private mutating func readStore(_ value: ConfigValue?, _ reader: ConfigReader) {
        guard let value else { return }
        let node = reader.map(value, at: "store", known: ["type", "path", "url", "durability"])
        let type = reader.string(node["type"], at: "store.type") ?? "sqlite"
        if let text = reader.string(node["durability"], at: "store.durability") {
            if type != "sqlite" {
                reader.fail("store.durability", "applies to sqlite only; PostgreSQL follows its server's synchronous_commit")
            } else if let chosen = Durability(rawValue: text) {
                durability = chosen
            } else {
                reader.fail("store.durability", "expected process or power, got \"\(text)\"")
            }
        }
        switch type {
        case "sqlite":
            store = .sqlite(path: reader.string(node["path"], at: "store.path"))
        case "postgres":
            if let url = reader.string(node["url"], at: "store.url") {
                store = .postgres(url: url)
            } else {
                reader.fail("store.url", "required when store.type is postgres")
            }
        default:
            reader.fail("store.type", "expected sqlite or postgres, got \"\(type)\"")
        }
    }

    private mutating func readUpstream(_ value: ConfigValue?, _ reader: ConfigReader, readFile: (String) throws -> String) {
        let node = reader.map(
            value,
            at: "upstream",
            known: ["base_url", "api_key", "api_key_file", "credential_header", "timeouts", "max_connections"]
        )
        if let url = reader.string(node["base_url"], at: "upstream.base_url") {
            if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                upstream.baseURL = url.trimmingSuffix("/")
            } else {
                reader.fail("upstream.base_url", "expected an http or https URL")
            }
        }
        let key = reader.string(node["api_key"], at: "upstream.api_key")
        let keyFile = reader.string(node["api_key_file"], at: "upstream.api_key_file")
        if key != nil, keyFile != nil {
            reader.fail("upstream", "give api_key or api_key_file, not both")
        } else if let key {
            upstream.apiKey = key
        } else if let keyFile {
            do {
                upstream.apiKey = try readFile(keyFile).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                reader.fail("upstream.api_key_file", "cannot read \(keyFile)")
            }
        }
        if let header = reader.string(node["credential_header"], at: "upstream.credential_header") {
            if let parsed = UpstreamCredentialHeader(rawValue: header) {
                upstream.credentialHeader = parsed
            } else {
                reader.fail("upstream.credential_header", "expected x-api-key or bearer")
            }
        }
        let timeouts = reader.map(node["timeouts"], at: "upstream.timeouts", known: ["connect", "response", "idle"])
        if let connect = reader.duration(timeouts["connect"], at: "upstream.timeouts.connect") { upstream.connectTimeout = connect }
        if let response = reader.duration(timeouts["response"], at: "upstream.timeouts.response") { upstream.responseTimeout = response }
        if let idle = reader.duration(timeouts["idle"], at: "upstream.timeouts.idle") { upstream.idleTimeout = idle }
        if let connections = reader.integer(node["max_connections"], at: "upstream.max_connections", range: 1...100_000) {
            upstream.maxConnections = connections
        }
    }

    private mutating func readIdentity(_ value: ConfigValue?, _ reader: ConfigReader) {
        let node = reader.map(
            value,
            at: "identity",
            known: ["issuers", "clock_skew", "jwks_min_refresh_interval", "jwks_ttl", "token_cache_size"]
        )
        if let skew = reader.duration(node["clock_skew"], at: "identity.clock_skew") { identity.clockSkew = skew }
        if let interval = reader.duration(node["jwks_min_refresh_interval"], at: "identity.jwks_min_refresh_interval") {
            identity.jwksMinimumRefreshInterval = interval
        }
        if let ttl = reader.duration(node["jwks_ttl"], at: "identity.jwks_ttl") { identity.jwksTTL = ttl }
        if let size = reader.integer(node["token_cache_size"], at: "identity.token_cache_size", range: 0...10_000_000) {
            identity.verifiedTokenCacheSize = size
        }
        switch node["issuers"] {
        case nil, .null?:
            break
        case .list(let items)?:
            let read = items.enumerated().compactMap { index, item in
                readIssuer(item, at: "identity.issuers[\(index)]", reader).map { (index: index, policy: $0) }
            }
            var seen: Set<String> = []
            for (index, issuer) in read {
                for name in issuer.issuerNames where !seen.insert(name).inserted {
                    reader.fail("identity.issuers[\(index)].issuer", "issuer \(name) is configured twice")
                }
            }
            identity.issuers = read.map(\.policy)
        default:
            reader.fail("identity.issuers", "expected a list of issuers")
        }
    }

    private static let supportedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    private func readIssuer(_ value: ConfigValue, at path: String, _ reader: ConfigReader) -> IssuerPolicy? {
        let node = reader.map(
            value,
            at: path,
            known: [
                "issuer", "alternate_issuers", "audiences", "algorithms", "jwks_uri", "jwks_file", "claims", "required_claims", "token_types",
            ]
        )
        guard let issuer = reader.string(node["issuer"], at: "\(path).issuer") else {
            reader.fail("\(path).issuer", "required")
            return nil
        }
        var policy = IssuerPolicy(issuer: issuer, audiences: [])
        policy.alternateIssuers = reader.strings(node["alternate_issuers"], at: "\(path).alternate_issuers") ?? []
        policy.audiences = reader.strings(node["audiences"], at: "\(path).audiences") ?? []
        if policy.audiences.isEmpty { reader.fail("\(path).audiences", "at least one audience is required (Warden's own, never a default one)") }
        if let algorithms = reader.strings(node["algorithms"], at: "\(path).algorithms") {
            for (index, algorithm) in algorithms.enumerated() where !Self.supportedAlgorithms.contains(algorithm) {
                let why =
                    algorithm.hasPrefix("HS") || algorithm.lowercased() == "none"
                    ? "is never accepted from an OIDC issuer" : "is not supported"
                reader.fail("\(path).algorithms[\(index)]", "\(algorithm) \(why) (use \(Self.supportedAlgorithms.sorted().joined(separator: ", ")))")
            }
            policy.algorithms = algorithms
        }
        policy.jwksURI = reader.string(node["jwks_uri"], at: "\(path).jwks_uri")
        policy.jwksFile = reader.string(node["jwks_file"], at: "\(path).jwks_file")
        if policy.jwksURI != nil, policy.jwksFile != nil { reader.fail(path, "give jwks_uri or jwks_file, not both") }
        if policy.jwksFile == nil {
            let keySource = policy.jwksURI ?? issuer
            if URL(string: keySource)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                reader.fail(policy.jwksURI == nil ? "\(path).issuer" : "\(path).jwks_uri", "keys are fetched over http(s); give a URL or jwks_file")
            }
        }
        let claims = reader.map(node["claims"], at: "\(path).claims", known: ["subject", "display_name", "groups", "attributes"])
        if let subject = reader.string(claims["subject"], at: "\(path).claims.subject") { policy.subjectClaim = subject }
        if claims["display_name"] != nil { policy.displayNameClaim = reader.string(claims["display_name"], at: "\(path).claims.display_name") }
        if claims["groups"] != nil { policy.groupsClaim = reader.string(claims["groups"], at: "\(path).claims.groups") }
        if let attributes = reader.strings(claims["attributes"], at: "\(path).claims.attributes") { policy.attributeClaims = attributes }
        switch node["required_claims"] {
        case nil, .null?:
            break
        case .map(let entries)?:
            for entry in entries {
                let values = reader.strings(entry.value, at: "\(path).required_claims.\(entry.key)") ?? []
                if values.isEmpty { reader.fail("\(path).required_claims.\(entry.key)", "give at least one accepted value") }
                policy.requiredClaims[entry.key] = values
            }
        default:
            reader.fail("\(path).required_claims", "expected a mapping of claim names to accepted values")
        }
        policy.tokenTypes = reader.strings(node["token_types"], at: "\(path).token_types") ?? []
        return policy
    }
}
