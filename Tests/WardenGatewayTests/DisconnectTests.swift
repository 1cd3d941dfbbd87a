import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator
import WardenStore

@Suite("Client disconnect")
struct DisconnectTests {
    @Test("a client that hangs up mid-stream cancels the upstream call, and the exchange is recorded as client_aborted")
    func hangUpCancelsUpstream() async throws {
        try await GatewayHarness.run { harness in
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            harness.upstream.hooks.beforeEvent = { index in
                if index == 3 { for await _ in gate { break } }
            }
            let (seen, seenSink) = AsyncStream.makeStream(of: String.self)
            let request = Self.request(harness, "a story I will not finish reading", stream: true)
            let client = harness.client
            let caller = Task {
                let response = try await client.execute(request, timeout: .seconds(30))
                seenSink.yield(response.headers.first(name: "warden-exchange-id") ?? "")
                var scanner = SSEScanner()
                var events = 0
                for try await chunk in response.body {
                    events += scanner.feed(Array(chunk.readableBytesView)).count
                    if events >= 3 { seenSink.yield("three events") }
                }
            }
            var progress = seen.makeAsyncIterator()
            let header = await progress.next() ?? ""
            let exchangeID = try #require(ExchangeID(header))
            let progressed = await progress.next()
            #expect(progressed == "three events")
            caller.cancel()

            // The upstream is still holding event 3 behind the gate: a closing record can only appear now if Warden
            // noticed the hang-up and abandoned the upstream call instead of reading it to the end.
            let stored = try? await harness.closedExchange(exchangeID.rawValue)
            open.yield()
            let exchange = try #require(stored)
            #expect(exchange.outcome == .clientAborted)
            #expect(exchange.closing?.events.count == 3)
            let recorded = String(decoding: exchange.closing?.responseBody ?? Data(), as: UTF8.self)
            #expect(recorded.hasPrefix("event: message_start"))
            #expect(try await harness.send(.GET, path: "/healthz").status == 200)
        }
    }

    @Test("a client that hangs up while a non-streaming call is still thinking cancels the upstream call too")
    func hangUpWhileThinking() async throws {
        try await GatewayHarness.run { harness in
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            let (asked, askedSink) = AsyncStream.makeStream(of: Void.self)
            harness.upstream.hooks.beforeMessage = {
                askedSink.yield()
                for await _ in gate { break }
            }
            let request = Self.request(harness, "think about this for a long time", stream: false)
            let client = harness.client
            let caller = Task {
                _ = try await client.execute(request, timeout: .seconds(30))
            }
            var upstreamAsked = asked.makeAsyncIterator()
            await upstreamAsked.next()
            caller.cancel()

            // The upstream is still thinking behind the gate: the exchange can only close now if Warden noticed the
            // hang-up and abandoned the call.
            let closed = try? await harness.latestClosedExchange()
            open.yield()
            let exchange = try #require(closed)
            #expect(exchange.outcome == .clientAborted)
            #expect(exchange.closing?.upstreamStatus == nil)
            #expect(try await harness.send(.GET, path: "/healthz").status == 200)
        }
    }

    /// A Messages call to the gateway as the harness's caller, to be cancelled mid-way.
    static func request(_ harness: GatewayHarness, _ prompt: String, stream: Bool) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.gatewayPort)/v1/messages")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(harness.token())")
        request.headers.add(name: "anthropic-version", value: "2023-06-01")
        request.body = .bytes(messagesBody(prompt, stream: stream))
        return request
    }
}
