import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WardenSimulator

/// Direct-to-upstream versus through Warden (recording on, strict, SQLite), side by side in one run, so the numbers
/// are ratios and differences against a baseline measured under the same load on the same cores.
@main
struct WardenBench {
    static func main() async throws {
        if CommandLine.arguments.count == 3, CommandLine.arguments[1] == BareProxy.command, let port = Int(CommandLine.arguments[2]) {
            return try await BareProxy.run(upstreamPort: port)
        }
        if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == LedgerBench.command {
            return try await LedgerBench.run(CommandLine.arguments)
        }
        if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == GuardrailBench.command {
            return GuardrailBench.run(CommandLine.arguments)
        }
        if CommandLine.arguments.count >= 2, CommandLine.arguments[1] == ConversationBench.command {
            return try ConversationBench.run(CommandLine.arguments)
        }
        let options = BenchOptions(CommandLine.arguments)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("warden-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let upstreamKey = "sk-bench-\(UUID().uuidString)"
        var upstreamConfiguration = SimulatedUpstream.Configuration(apiKey: upstreamKey)
        upstreamConfiguration.eventDelay = .milliseconds(options.eventDelayMs)
        let upstream = SimulatedUpstream(configuration: upstreamConfiguration)
        var quiet = Logger(label: "bench")
        quiet.logLevel = .critical
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let upstreamApp = upstream.buildApplication(host: "127.0.0.1", port: 0, logger: quiet) { portSink.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await upstreamApp.runService() }
            var iterator = ports.makeAsyncIterator()
            guard let upstreamPort = await iterator.next() else { return }

            let issuer = try DevelopmentIssuer.loadOrCreate(
                issuer: "https://warden-dev.invalid",
                keyFile: work.appendingPathComponent("dev-issuer-key.pem")
            )
            let gateway = try GatewayProcess(binary: options.wardenBinary, work: work, upstreamPort: upstreamPort, upstreamKey: upstreamKey)
            defer { gateway.stop() }
            let unledgered = try GatewayProcess(
                binary: options.wardenBinary,
                work: work,
                name: "warden-no-ledger",
                upstreamPort: upstreamPort,
                upstreamKey: upstreamKey,
                extraConfiguration: "ledger:\n  enabled: false\n"
            )
            defer { unledgered.stop() }
            let bareProxy = try BareProxyProcess(upstreamPort: upstreamPort)
            defer { bareProxy.stop() }
            let token = issuer.mint(subject: "bench", audience: "warden", ttl: .seconds(7200))
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256))
            )
            let direct = Target(name: "direct", port: upstreamPort, credential: ("x-api-key", upstreamKey))
            let warden = Target(name: "warden", port: gateway.port, credential: ("authorization", "Bearer \(token)"))
            let bare = Target(name: "bare proxy", port: bareProxy.port, credential: ("x-api-key", upstreamKey))
            let withoutLedger = Target(name: "warden, ledger off", port: unledgered.port, credential: ("authorization", "Bearer \(token)"))
            let runner = LoadRunner(client: client, claudeCodeSession: options.claudeCodeSession)

            print(
                "Warden benchmark: simulated upstream on 127.0.0.1:\(upstreamPort), Warden (recording: strict, SQLite) on 127.0.0.1:\(gateway.port)"
            )
            print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; every figure below comes from this one run")
            print(
                options.claudeCodeSession
                    ? "requests carry X-Claude-Code-Session-Id (one session)\n"
                    : "requests carry no session header (Warden infers a session per request)\n"
            )
            _ = try await runner.latencies(direct, count: 200, stream: false)
            _ = try await runner.latencies(warden, count: 200, stream: false)
            _ = try await runner.latencies(bare, count: 200, stream: false)
            _ = try await runner.latencies(withoutLedger, count: 200, stream: false)

            let latency = try await runner.interleavedLatencies([direct, warden, bare, withoutLedger], count: options.requests)
            Report.latency("non-streaming request, concurrency 1", latency[0], latency[1])
            Report.latency(
                "the same, bare proxy (same stack, no identity or recording) in place of direct: what Warden's own work adds",
                latency[2],
                latency[1],
                baseline: "bare"
            )
            Report.latency("the same, bare proxy versus direct: what any second hop on this stack adds", latency[0], latency[2], measured: "bare")
            Report.latency(
                "the same, Warden with the ledger off versus on: what sequencing and signing cost the request path",
                latency[3],
                latency[1],
                baseline: "no ledger"
            )

            let (directTTFB, wardenTTFB) = try await runner.interleavedFirstEvent(direct, warden, count: options.streams)
            Report.latency("time to first streamed event, concurrency 1", directTTFB.first, wardenTTFB.first)
            Report.latency("gap between streamed events (no buffering: added ≈ 0)", directTTFB.gaps, wardenTTFB.gaps)

            let directRate = try await runner.throughput(direct, concurrency: options.concurrency, seconds: options.seconds)
            let wardenRate = try await runner.throughput(warden, concurrency: options.concurrency, seconds: options.seconds)
            print(
                String(
                    format: "max requests/s at concurrency %d:  direct %.0f   warden %.0f   (warden/direct %.2f)",
                    options.concurrency,
                    directRate,
                    wardenRate,
                    wardenRate / directRate
                )
            )
            print("Warden peak memory (VmHWM): \(gateway.peakMemoryMiB().map { String(format: "%.1f MiB", $0) } ?? "n/a")")
            try await client.shutdown()
            tasks.cancelAll()
        }
    }
}
