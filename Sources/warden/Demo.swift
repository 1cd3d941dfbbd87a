import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle
import WardenCore
import WardenGateway
import WardenSimulator
import WardenStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Warden end to end on loopback with a simulated Claude upstream and a development issuer; no network needed."
    )

    @Option(help: "Where to keep the demo's recordings (default: a new temporary directory).")
    var dataDir: String?

    func run() async throws {
        let directory = dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("warden-demo-\(ExchangeID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "warden.demo")
        logger.logLevel = .warning

        let upstreamKey = "sk-simulated-\(UUID().uuidString)"
        let upstream = SimulatedUpstream(configuration: .init(apiKey: upstreamKey))
        let (upstreamPorts, upstreamPort) = AsyncStream.makeStream(of: Int.self)
        let (gatewayPorts, gatewayPort) = AsyncStream.makeStream(of: Int.self)
        let upstreamApp = upstream.buildApplication(host: "127.0.0.1", port: 0, logger: logger) { upstreamPort.yield($0) }

        let issuer = DevelopmentIssuer(issuer: DevelopmentIdentity.issuer)
        let jwksFile = URL(fileURLWithPath: directory).appendingPathComponent("dev-issuer-jwks.json")
        try issuer.jwksJSON().write(to: jwksFile)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let upstreamGroup = ServiceGroup(services: [upstreamApp], logger: logger)
            tasks.addTask { try await upstreamGroup.run() }
            var portIterator = upstreamPorts.makeAsyncIterator()
            guard let simulatedPort = await portIterator.next() else { return }

            var configuration = WardenConfiguration()
            configuration.listen.port = 0
            configuration.dataDirectory = directory
            configuration.upstream.baseURL = "http://127.0.0.1:\(simulatedPort)"
            configuration.upstream.apiKey = upstreamKey
            configuration.identity.issuers = [
                IssuerPolicy(
                    issuer: DevelopmentIdentity.issuer,
                    audiences: [DevelopmentIdentity.audience],
                    algorithms: ["ES256"],
                    jwksFile: jwksFile.path,
                    displayNameClaim: "name"
                )
            ]
            let store = try SQLiteStore(path: configuration.sqlitePath!)
            try await store.prepare()
            let gateway = try Gateway(configuration: configuration, store: store, logger: logger)
            let gatewayApp = try gateway.buildApplication { gatewayPort.yield($0) }
            let gatewayGroup = ServiceGroup(services: [gatewayApp], logger: logger)
            tasks.addTask { try await gatewayGroup.run() }
            var gatewayIterator = gatewayPorts.makeAsyncIterator()
            guard let port = await gatewayIterator.next() else { return }

            print("Warden demo — gateway on 127.0.0.1:\(port), upstream: SIMULATED Claude on 127.0.0.1:\(simulatedPort) (no real model is called)")
            print("recordings in \(directory)\n")
            try await DemoTraffic(port: port, issuer: issuer).send()
            let alice = try await store.sessions(matching: SessionQuery(user: "alice"))
            print("\nRecorded sessions:")
            for session in try await store.sessions(matching: SessionQuery()) {
                print(
                    "  \(session.id)  \(session.principal.label.padded(24)) \(session.source.rawValue.padded(12)) \(session.exchangeCount) exchange(s)  \(session.models.joined(separator: ","))"
                )
            }
            if let first = alice.first {
                print("\nReplay of \(first.id) (SIMULATED answers):\n")
                print(Transcript.session(first, try await store.exchanges(inSession: first.id)))
            }
            print("Explore further: warden sessions list --data-dir \(directory)")
            print("Check the tamper-evident ledger (sealed when the demo stops): warden verify --data-dir \(directory)")
            await gatewayGroup.triggerGracefulShutdown()
            await upstreamGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try await store.shutdown()
        }
    }
}

/// The demo's callers: a developer and a CI job, each with its own token, streaming and not.
struct DemoTraffic {
    let port: Int
    let issuer: DevelopmentIssuer

    func send() async throws {
        let alice = issuer.mint(
            subject: "alice",
            audience: DevelopmentIdentity.audience,
            claims: ["name": "alice@example.com", "groups": ["platform"]]
        )
        let ci = issuer.mint(
            subject: "repo:acme/payments:ref:refs/heads/main",
            audience: DevelopmentIdentity.audience,
            claims: ["name": "ci: acme/payments", "repository": "acme/payments", "workflow": "review", "run_id": "4242", "run_attempt": "1"]
        )
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let first = #"{"model":"claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"user","content":"What does a Merkle tree prove?"}]}"#
        let reply = try await post(client, token: alice, body: first, label: "alice, non-streaming")
        let answer = (try? JSONSerialization.jsonObject(with: reply) as? [String: Any])?["content"] ?? []
        let followUp: [String: Any] = [
            "model": "claude-sonnet-4-5", "max_tokens": 256, "stream": true,
            "messages": [
                ["role": "user", "content": "What does a Merkle tree prove?"], ["role": "assistant", "content": answer],
                ["role": "user", "content": "And how is a consistency proof checked?"],
            ],
        ]
        let followUpBody = String(decoding: try JSONSerialization.data(withJSONObject: followUp, options: [.sortedKeys]), as: UTF8.self)
        _ = try await post(client, token: alice, body: followUpBody, label: "alice, streaming follow-up")
        let tools =
            #"{"model":"claude-haiku-4-5","max_tokens":256,"stream":true,"tools":[{"name":"read_file","description":"Read a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],"messages":[{"role":"user","content":"Review the diff; use a tool to read src/pay.swift"}]}"#
        _ = try await post(client, token: ci, body: tools, label: "CI job, streaming with a tool call")
        _ = try await post(
            client,
            token: ci,
            body: #"{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Summarise the review"}]}"#,
            label: "CI job, non-streaming"
        )
        var forged = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
        forged.method = .POST
        forged.headers.add(name: "x-api-key", value: "sk-ant-api03-not-a-token")
        forged.headers.add(name: "anthropic-version", value: "2023-06-01")
        forged.body = .bytes(ByteBuffer(string: first))
        let refused = try await client.execute(forged, timeout: .seconds(30))
        print("  an API key instead of a token        → \(refused.status.code) \(String(buffer: try await refused.body.collect(upTo: 1 << 16)))")
    }

    private func post(_ client: HTTPClient, token: String, body: String, label: String) async throws -> Data {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.headers.add(name: "anthropic-version", value: "2023-06-01")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = Data(buffer: try await response.body.collect(upTo: 8 << 20))
        let exchange = response.headers.first(name: "warden-exchange-id") ?? "-"
        print("  \(label.padded(36)) → \(response.status.code), \(bytes.count) bytes, exchange \(exchange)")
        return bytes
    }
}
