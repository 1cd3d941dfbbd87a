import Foundation
import Testing
import WardenCore

@Suite("Configuration document")
struct ConfigurationTests {
    // MARK: Defaults

    @Test("WardenConfiguration() has every default docs/configuration.md documents")
    func documentedDefaults() {
        let configuration = WardenConfiguration()
        #expect(configuration.listen.host == "127.0.0.1")
        #expect(configuration.listen.port == 8787)
        #expect(configuration.listen.publicURL == nil)
        #expect(configuration.listen.tlsCertificate == nil)
        #expect(configuration.listen.tlsKey == nil)
        #expect(configuration.publicURL == "http://127.0.0.1:8787")
        #expect(configuration.dataDirectory == "./warden-data")
        #expect(configuration.store == .sqlite(path: nil))
        #expect(configuration.sqlitePath == "./warden-data/warden.sqlite")
        #expect(configuration.recording == .strict)
        #expect(configuration.upstream.baseURL == "https://api.anthropic.com")
        #expect(configuration.upstream.apiKey == nil)
        #expect(configuration.upstream.credentialHeader == .apiKey)
        #expect(configuration.upstream.credentialHeader.rawValue == "x-api-key")
        #expect(configuration.upstream.connectTimeout == .seconds(10))
        #expect(configuration.upstream.responseTimeout == .seconds(600))
        #expect(configuration.upstream.idleTimeout == .seconds(300))
        #expect(configuration.upstream.maxConnections == 256)
        #expect(configuration.identity.issuers.isEmpty)
        #expect(configuration.identity.clockSkew == .seconds(60))
        #expect(configuration.identity.jwksTTL == .seconds(3600))
        #expect(configuration.identity.jwksMinimumRefreshInterval == .seconds(30))
        #expect(configuration.identity.verifiedTokenCacheSize == 10_000)
        #expect(configuration.maxRequestBodyBytes == 32_000_000)
        #expect(configuration.shutdownGracePeriod == .seconds(30))
        #expect(configuration.logging.format == "text")
        #expect(configuration.logging.level == "info")
    }

    @Test(
        "an empty document, and empty sections, give the defaults",
        arguments: [
            ConfigValue.map([]),
            ConfigValue.null,
            mapping([
                "listen": .null, "store": .null, "upstream": .map([]), "identity": .map([]), "limits": .null, "shutdown": .map([]),
                "logging": .null,
            ]),
            mapping(["upstream": mapping(["timeouts": .null]), "identity": mapping(["issuers": .null]), "listen": mapping(["tls": .null])]),
        ]
    )
    func emptyDocument(document: ConfigValue) throws {
        #expect(try read(document) == WardenConfiguration())
    }

    @Test("an issuer given only its name and audience takes the documented per-issuer defaults")
    func issuerDefaults() throws {
        let configuration = try read(identity(issuers: [mapping(["issuer": .scalar("https://idp.example"), "audiences": items("warden")])]))
        let issuer = try #require(configuration.identity.issuers.first)
        #expect(issuer.issuer == "https://idp.example")
        #expect(issuer.audiences == ["warden"])
        #expect(issuer.alternateIssuers.isEmpty)
        #expect(issuer.algorithms == ["RS256"])
        #expect(issuer.jwksURI == nil)
        #expect(issuer.jwksFile == nil)
        #expect(issuer.tokenTypes.isEmpty)
        #expect(issuer.subjectClaim == "sub")
        #expect(issuer.displayNameClaim == "email")
        #expect(issuer.groupsClaim == "groups")
        #expect(issuer.requiredClaims.isEmpty)
        #expect(issuer.attributeClaims == IssuerPolicy.defaultAttributeClaims)
        for claim in ["repository", "workflow", "run_id", "ref", "sha", "pipeline_id", "project_path"] {
            #expect(issuer.attributeClaims.contains(claim), "\(claim)")
        }
    }

    // MARK: Every key

    @Test("every key is read")
    func everyKey() throws {
        let github = mapping([
            "issuer": .scalar("https://token.actions.githubusercontent.com"),
            "alternate_issuers": items("https://token.actions.githubusercontent.com/acme"),
            "audiences": items("https://claude-gw.example.com", "${AUDIENCE}"),
            "algorithms": items("RS256", "ES256"),
            "jwks_uri": .scalar("https://token.actions.githubusercontent.com/.well-known/jwks"),
            "token_types": items("JWT"),
            "claims": mapping([
                "subject": .scalar("repository"),
                "display_name": .scalar("actor"),
                "groups": .null,
                "attributes": items("repository", "run_id"),
            ]),
            "required_claims": mapping(["repository_owner": items("acme", "acme-labs"), "environment": .scalar("production")]),
        ])
        let airGapped = mapping([
            "issuer": .scalar("corp-idp"),
            "audiences": .scalar("warden"),
            "algorithms": .scalar("EdDSA"),
            "jwks_file": .scalar("/etc/warden/jwks.json"),
            "claims": mapping(["display_name": .null, "groups": .scalar("roles")]),
        ])
        let document = mapping([
            "listen": mapping([
                "host": .scalar("0.0.0.0"),
                "port": .scalar("9443"),
                "public_url": .scalar("https://claude-gw.example.com"),
                "tls": mapping(["certificate": .scalar("/etc/warden/tls.crt"), "key": .scalar("/etc/warden/tls.key")]),
            ]),
            "data_directory": .scalar("/var/lib/warden"),
            "store": mapping(["type": .scalar("postgres"), "url": .scalar("${PG_URL}")]),
            "recording": .scalar("best_effort"),
            "upstream": mapping([
                "base_url": .scalar("https://proxy.example/anthropic//"),
                "api_key": .scalar("${ANTHROPIC_API_KEY}"),
                "credential_header": .scalar("bearer"),
                "timeouts": mapping(["connect": .scalar("2s"), "response": .scalar("15m"), "idle": .scalar("45000ms")]),
                "max_connections": .scalar("64"),
            ]),
            "identity": mapping([
                "clock_skew": .scalar("5s"),
                "jwks_ttl": .scalar("2h"),
                "jwks_min_refresh_interval": .scalar("1m"),
                "token_cache_size": .scalar("0"),
                "issuers": .list([github, airGapped]),
            ]),
            "limits": mapping(["max_request_body": .scalar("8MiB")]),
            "shutdown": mapping(["grace_period": .scalar("90")]),
            "logging": mapping(["format": .scalar("json"), "level": .scalar("debug")]),
        ])
        let environment = [
            "PG_URL": "postgres://warden:p%40ss@db:5432/warden?sslmode=require", "ANTHROPIC_API_KEY": "sk-ant-test", "AUDIENCE": "warden-ci",
        ]

        var expected = WardenConfiguration()
        expected.listen.host = "0.0.0.0"
        expected.listen.port = 9443
        expected.listen.publicURL = "https://claude-gw.example.com"
        expected.listen.tlsCertificate = "/etc/warden/tls.crt"
        expected.listen.tlsKey = "/etc/warden/tls.key"
        expected.dataDirectory = "/var/lib/warden"
        expected.store = .postgres(url: "postgres://warden:p%40ss@db:5432/warden?sslmode=require")
        expected.recording = .bestEffort
        expected.upstream.baseURL = "https://proxy.example/anthropic"
        expected.upstream.apiKey = "sk-ant-test"
        expected.upstream.credentialHeader = .bearer
        expected.upstream.connectTimeout = .seconds(2)
        expected.upstream.responseTimeout = .seconds(900)
        expected.upstream.idleTimeout = .seconds(45)
        expected.upstream.maxConnections = 64
        expected.identity.clockSkew = .seconds(5)
        expected.identity.jwksTTL = .seconds(7200)
        expected.identity.jwksMinimumRefreshInterval = .seconds(60)
        expected.identity.verifiedTokenCacheSize = 0
        expected.identity.issuers = [
            IssuerPolicy(
                issuer: "https://token.actions.githubusercontent.com",
                alternateIssuers: ["https://token.actions.githubusercontent.com/acme"],
                audiences: ["https://claude-gw.example.com", "warden-ci"],
                algorithms: ["RS256", "ES256"],
                jwksURI: "https://token.actions.githubusercontent.com/.well-known/jwks",
                subjectClaim: "repository",
                displayNameClaim: "actor",
                groupsClaim: nil,
                requiredClaims: ["repository_owner": ["acme", "acme-labs"], "environment": ["production"]],
                attributeClaims: ["repository", "run_id"],
                tokenTypes: ["JWT"]
            ),
            IssuerPolicy(
                issuer: "corp-idp",
                audiences: ["warden"],
                algorithms: ["EdDSA"],
                jwksFile: "/etc/warden/jwks.json",
                displayNameClaim: nil,
                groupsClaim: "roles"
            ),
        ]
        expected.maxRequestBodyBytes = 8 * 1024 * 1024
        expected.shutdownGracePeriod = .seconds(90)
        expected.logging.format = "json"
        expected.logging.level = "debug"

        let configuration = try read(document, environment: environment)
        #expect(configuration == expected)
        #expect(configuration.publicURL == "https://claude-gw.example.com")
        #expect(configuration.sqlitePath == nil)
    }

    @Test("sqlite store path, and a TLS listener derives an https public URL")
    func sqlitePathAndTLS() throws {
        let configuration = try read(
            mapping([
                "store": mapping(["type": .scalar("sqlite"), "path": .scalar("/data/w.sqlite")]),
                "listen": mapping([
                    "host": .scalar("gw.internal"), "port": .scalar("8443"),
                    "tls": mapping(["certificate": .scalar("c.pem"), "key": .scalar("k.pem")]),
                ]),
            ])
        )
        #expect(configuration.store == .sqlite(path: "/data/w.sqlite"))
        #expect(configuration.sqlitePath == "/data/w.sqlite")
        #expect(configuration.publicURL == "https://gw.internal:8443")
        let typeOnly = try read(mapping(["store": mapping(["type": .scalar("sqlite")]), "data_directory": .scalar("/srv/w")]))
        #expect(typeOnly.store == .sqlite(path: nil))
        #expect(typeOnly.sqlitePath == "/srv/w/warden.sqlite")
    }

    @Test("api_key_file is read through readFile after expansion, with surrounding whitespace trimmed")
    func apiKeyFile() throws {
        var requested: [String] = []
        let configuration = try WardenConfiguration(
            document: mapping(["upstream": mapping(["api_key_file": .scalar("${SECRETS}/anthropic")])]),
            environment: ["SECRETS": "/run/secrets"]
        ) { path in
            requested.append(path)
            return "  sk-ant-from-file \n\n"
        }
        #expect(requested == ["/run/secrets/anthropic"])
        #expect(configuration.upstream.apiKey == "sk-ant-from-file")
    }

    @Test("an unreadable api_key_file is a problem at its path naming the file")
    func unreadableKeyFile() {
        let found = problems(mapping(["upstream": mapping(["api_key_file": .scalar("/nope/key")])]))
        #expect(found.map(\.path) == ["upstream.api_key_file"])
        #expect(found.first?.message.contains("/nope/key") == true)
    }

    @Test("all log levels the docs list are accepted")
    func logLevels() throws {
        for level in ["trace", "debug", "info", "notice", "warning", "error", "critical"] {
            #expect(try read(mapping(["logging": mapping(["level": .scalar(level)])])).logging.level == level)
        }
    }

    @Test("every supported algorithm is accepted")
    func supportedAlgorithms() throws {
        let all = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
        let configuration = try read(
            identity(issuers: [mapping(["issuer": .scalar("https://idp.example"), "audiences": items("w"), "algorithms": items(all)])])
        )
        #expect(configuration.identity.issuers.first?.algorithms == all)
    }

    // MARK: Problems

    @Test("a document with several mistakes reports all of them, each at its exact key path")
    func severalMistakes() {
        var readFileCalls = 0
        let document = mapping([
            "listen": mapping(["port": .scalar("70000")]),
            "store": mapping(["type": .scalar("postgres")]),
            "recording": .scalar("sometimes"),
            "upstream": mapping([
                "api_key": .scalar("sk-ant-1"),
                "api_key_file": .scalar("/run/secrets/anthropic"),
                "timeouts": mapping(["idle": .scalar("forever")]),
            ]),
            "identity": identityNode([
                mapping(["issuer": .scalar("https://a.example"), "audiences": items("w"), "algorithms": items("RS256", "HS256")]),
                mapping(["issuer": .scalar("https://b.example")]),
                mapping(["issuer": .scalar("https://c.example"), "audiences": items("w"), "algorithms": items("none")]),
            ]),
            "limits": mapping(["max_request_body": .scalar("lots")]),
            "shutdwn": mapping(["grace_period": .scalar("30s")]),
            "logging": mapping(["level": .scalar("verbose")]),
        ])
        var found: [ConfigProblem] = []
        do {
            _ = try WardenConfiguration(document: document, environment: [:]) { _ in
                readFileCalls += 1
                return "x"
            }
            Issue.record("the document was accepted")
        } catch {
            found = error.problems
        }
        #expect(
            found.map(\.path).sorted()
                == [
                    "identity.issuers[0].algorithms[1]",
                    "identity.issuers[1].audiences",
                    "identity.issuers[2].algorithms[0]",
                    "limits.max_request_body",
                    "listen.port",
                    "logging.level",
                    "recording",
                    "shutdwn",
                    "store.url",
                    "upstream",
                    "upstream.timeouts.idle",
                ]
        )
        #expect(readFileCalls == 0)
        let byPath = Dictionary(found.map { ($0.path, $0.message) }) { first, _ in first }
        #expect(byPath["identity.issuers[0].algorithms[1]"]?.contains("HS256 is never accepted") == true)
        #expect(byPath["identity.issuers[2].algorithms[0]"]?.contains("none is never accepted") == true)
        #expect(byPath["identity.issuers[1].audiences"]?.contains("at least one audience") == true)
        #expect(byPath["listen.port"]?.contains("70000") == true)
        #expect(byPath["upstream.timeouts.idle"]?.contains("forever") == true)
        #expect(byPath["limits.max_request_body"]?.contains("lots") == true)
        #expect(byPath["store.url"]?.contains("postgres") == true)
        #expect(byPath["upstream"]?.contains("not both") == true)
        #expect(byPath["shutdwn"]?.contains("unknown key") == true)
    }

    @Test("unknown keys (typos) are errors at their path, at every level")
    func unknownKeysEverywhere() {
        let document = mapping([
            "listne": .null,
            "listen": mapping(["prot": .scalar("80"), "tls": mapping(["cert": .scalar("c.pem")])]),
            "store": mapping(["pth": .scalar("x")]),
            "upstream": mapping(["apikey": .scalar("k"), "timeouts": mapping(["idel": .scalar("5m")])]),
            "identity": mapping([
                "issuer": .scalar("https://x"),
                "issuers": .list([
                    mapping([
                        "issuer": .scalar("https://idp.example"), "audiences": items("w"), "algorithm": items("RS256"),
                        "claims": mapping(["sbject": .scalar("email")]),
                        "required_claims": mapping(["repository_owner": items("acme")]),
                    ])
                ]),
            ]),
            "limits": mapping(["max_body": .scalar("1MB")]),
            "shutdown": mapping(["grace": .scalar("1s")]),
            "logging": mapping(["colour": .scalar("always")]),
        ])
        #expect(
            problems(document).map(\.path).sorted()
                == [
                    "identity.issuer",
                    "identity.issuers[0].algorithm",
                    "identity.issuers[0].claims.sbject",
                    "limits.max_body",
                    "listen.prot",
                    "listen.tls.cert",
                    "listne",
                    "logging.colour",
                    "shutdown.grace",
                    "store.pth",
                    "upstream.apikey",
                    "upstream.timeouts.idel",
                ]
        )
        #expect(problems(document).allSatisfy { $0.message.hasPrefix("unknown key") })
    }

    @Test("an unset environment variable is an error naming the key path and the variable")
    func unsetVariable() {
        let found = problems(
            mapping([
                "upstream": mapping(["api_key": .scalar("${ANTHROPIC_API_KEY}")]),
                "identity": identityNode([mapping(["issuer": .scalar("https://idp.example"), "audiences": items("a", "${WARDEN_AUD}")])]),
            ]),
            environment: ["UNRELATED": "1"]
        )
        #expect(found.map(\.path).sorted() == ["identity.issuers[0].audiences[1]", "upstream.api_key"])
        #expect(found.first { $0.path == "upstream.api_key" }?.message.contains("ANTHROPIC_API_KEY") == true)
        #expect(found.first { $0.path == "identity.issuers[0].audiences[1]" }?.message.contains("WARDEN_AUD") == true)
    }

    @Test(
        "a bad value is reported at its own key path",
        arguments: [
            (mapping(["listen": mapping(["port": .scalar("-1")])]), "listen.port"),
            (mapping(["listen": mapping(["port": .scalar("http")])]), "listen.port"),
            (mapping(["listen": mapping(["public_url": .scalar("claude-gw.example.com")])]), "listen.public_url"),
            (mapping(["listen": mapping(["public_url": .scalar("ftp://gw.example")])]), "listen.public_url"),
            (mapping(["listen": mapping(["tls": mapping(["certificate": .scalar("c.pem")])])]), "listen.tls"),
            (mapping(["listen": mapping(["tls": mapping(["key": .scalar("k.pem")])])]), "listen.tls"),
            (mapping(["listen": .scalar("0.0.0.0")]), "listen"),
            (mapping(["store": mapping(["type": .scalar("mysql")])]), "store.type"),
            (mapping(["upstream": mapping(["base_url": .scalar("api.anthropic.com")])]), "upstream.base_url"),
            (mapping(["upstream": mapping(["base_url": .scalar("https://")])]), "upstream.base_url"),
            (mapping(["upstream": mapping(["credential_header": .scalar("authorization")])]), "upstream.credential_header"),
            (mapping(["upstream": mapping(["max_connections": .scalar("0")])]), "upstream.max_connections"),
            (mapping(["upstream": mapping(["max_connections": .scalar("100001")])]), "upstream.max_connections"),
            (mapping(["upstream": mapping(["timeouts": mapping(["connect": .scalar("10 seconds")])])]), "upstream.timeouts.connect"),
            (mapping(["upstream": mapping(["timeouts": mapping(["response": .scalar("1d")])])]), "upstream.timeouts.response"),
            (mapping(["identity": mapping(["clock_skew": .scalar("a minute")])]), "identity.clock_skew"),
            (mapping(["identity": mapping(["jwks_ttl": .scalar("-1h")])]), "identity.jwks_ttl"),
            (mapping(["identity": mapping(["jwks_min_refresh_interval": .scalar("x")])]), "identity.jwks_min_refresh_interval"),
            (mapping(["identity": mapping(["token_cache_size": .scalar("-1")])]), "identity.token_cache_size"),
            (mapping(["identity": mapping(["issuers": .scalar("https://idp.example")])]), "identity.issuers"),
            (mapping(["limits": mapping(["max_request_body": .scalar("0")])]), "limits.max_request_body"),
            (mapping(["shutdown": mapping(["grace_period": .scalar("soon")])]), "shutdown.grace_period"),
            (mapping(["logging": mapping(["format": .scalar("xml")])]), "logging.format"),
            (mapping(["recording": .scalar("off")]), "recording"),
            (ConfigValue.list([]), ""),
        ]
    )
    func badValue(document: ConfigValue, path: String) {
        #expect(problems(document).map(\.path) == [path])
    }

    @Test(
        "issuer mistakes are reported at the issuer's paths",
        arguments: [
            (mapping(["audiences": items("w")]), ["identity.issuers[0].issuer"]),
            (mapping(["issuer": .scalar("https://idp.example")]), ["identity.issuers[0].audiences"]),
            (mapping(["issuer": .scalar("https://idp.example"), "audiences": .list([])]), ["identity.issuers[0].audiences"]),
            (mapping(["issuer": .scalar("corp-idp"), "audiences": items("w")]), ["identity.issuers[0].issuer"]),
            (
                mapping(["issuer": .scalar("https://idp.example"), "audiences": items("w"), "jwks_uri": .scalar("/keys.json")]),
                ["identity.issuers[0].jwks_uri"]
            ),
            (
                mapping([
                    "issuer": .scalar("https://idp.example"), "audiences": items("w"), "jwks_uri": .scalar("https://idp.example/keys"),
                    "jwks_file": .scalar("/etc/keys.json"),
                ]),
                ["identity.issuers[0]"]
            ),
            (
                mapping(["issuer": .scalar("https://idp.example"), "audiences": items("w"), "algorithms": items("HS512", "RS1", "NONE", "ES256K")]),
                [
                    "identity.issuers[0].algorithms[0]", "identity.issuers[0].algorithms[1]", "identity.issuers[0].algorithms[2]",
                    "identity.issuers[0].algorithms[3]",
                ]
            ),
            (
                mapping([
                    "issuer": .scalar("https://idp.example"), "audiences": items("w"), "required_claims": mapping(["repository_owner": .list([])]),
                ]),
                ["identity.issuers[0].required_claims.repository_owner"]
            ),
            (
                mapping(["issuer": .scalar("https://idp.example"), "audiences": items("w"), "required_claims": items("repository_owner")]),
                ["identity.issuers[0].required_claims"]
            ),
        ]
    )
    func issuerMistakes(issuer: ConfigValue, paths: [String]) {
        #expect(problems(identity(issuers: [issuer])).map(\.path) == paths)
    }

    @Test("HS* and none are refused as never accepted; unknown algorithms as unsupported")
    func algorithmMessages() {
        let found = problems(
            identity(issuers: [
                mapping(["issuer": .scalar("https://idp.example"), "audiences": items("w"), "algorithms": items("HS256", "none", "RS1")])
            ])
        )
        #expect(found.count == 3)
        #expect(found[0].message.hasPrefix("HS256 is never accepted from an OIDC issuer"))
        #expect(found[1].message.hasPrefix("none is never accepted from an OIDC issuer"))
        #expect(found[2].message.hasPrefix("RS1 is not supported"))
        #expect(found.allSatisfy { $0.message.contains("RS256") && $0.message.contains("EdDSA") })
    }

    @Test("the same issuer name configured twice, also as an alternate spelling, is a problem")
    func duplicateIssuer() {
        let found = problems(
            identity(issuers: [
                mapping(["issuer": .scalar("https://accounts.google.com"), "audiences": items("w")]),
                mapping([
                    "issuer": .scalar("https://other.example"), "alternate_issuers": items("https://accounts.google.com"),
                    "audiences": items("w"),
                ]),
            ])
        )
        #expect(found.map(\.path) == ["identity.issuers[1].issuer"])
        #expect(found.first?.message.contains("https://accounts.google.com") == true)
    }

    /// The duplicate check enumerates the issuers that were read, so an earlier issuer that could not be read
    /// (here: no `issuer` key) shifts every later index by one.
    @Test("a duplicate issuer is reported at its own index even after an unreadable issuer")
    func duplicateIssuerIndexAfterUnreadable() {
        let found = problems(
            identity(issuers: [
                mapping(["audiences": items("w")]),
                mapping(["issuer": .scalar("https://a.example"), "audiences": items("w")]),
                mapping(["issuer": .scalar("https://a.example"), "audiences": items("w")]),
            ])
        )
        #expect(found.count == 2)
        #expect(found.first?.path == "identity.issuers[0].issuer")
        #expect(found.map(\.path).sorted() == ["identity.issuers[0].issuer", "identity.issuers[2].issuer"])
    }

    @Test("upstream base_url loses its trailing slashes")
    func baseURLTrailingSlash() throws {
        let configuration = try read(mapping(["upstream": mapping(["base_url": .scalar("http://localhost:9999///")])]))
        #expect(configuration.upstream.baseURL == "http://localhost:9999")
    }

    @Test("store.durability: process by default, power on request, refused for PostgreSQL and for unknown values")
    func durability() throws {
        #expect(try read(mapping([:])).durability == .process)
        #expect(try read(mapping(["store": mapping(["durability": .scalar("power")])])).durability == .power)
        #expect(try read(mapping(["store": mapping(["type": .scalar("sqlite"), "durability": .scalar("process")])])).durability == .process)
        let unknown = problems(mapping(["store": mapping(["durability": .scalar("disk")])]))
        #expect(unknown.map(\.path) == ["store.durability"])
        let postgres = problems(
            mapping(["store": mapping(["type": .scalar("postgres"), "url": .scalar("postgres://db/w"), "durability": .scalar("power")])])
        )
        #expect(postgres.map(\.path) == ["store.durability"])
        #expect(postgres.first?.message.contains("synchronous_commit") == true)
    }

    @Test("port 0 (pick a free port) and 65535 are accepted")
    func portBounds() throws {
        #expect(try read(mapping(["listen": mapping(["port": .scalar("0")])])).listen.port == 0)
        #expect(try read(mapping(["listen": mapping(["port": .scalar("65535")])])).listen.port == 65535)
    }
}

// MARK: - Helpers

private struct MissingFile: Error {}

private func mapping(_ entries: KeyValuePairs<String, ConfigValue>) -> ConfigValue {
    .map(entries.map { (key: $0.key, value: $0.value) })
}

private func items(_ values: String...) -> ConfigValue { items(values) }

private func items(_ values: [String]) -> ConfigValue { .list(values.map(ConfigValue.scalar)) }

private func identityNode(_ issuers: [ConfigValue]) -> ConfigValue { mapping(["issuers": .list(issuers)]) }

private func identity(issuers: [ConfigValue]) -> ConfigValue { mapping(["identity": identityNode(issuers)]) }

private func read(_ document: ConfigValue, environment: [String: String] = [:]) throws(ConfigProblems) -> WardenConfiguration {
    try WardenConfiguration(document: document, environment: environment) { _ in throw MissingFile() }
}

private func problems(_ document: ConfigValue, environment: [String: String] = [:]) -> [ConfigProblem] {
    do {
        _ = try read(document, environment: environment)
        return []
    } catch {
        return error.problems
    }
}
