import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle
import WardenCore
import WardenSimulator

/// Logs only warnings, so the test output is not buried under "server started" lines.
let quietLogger = {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    return logger
}()

/// Runs `app` for the duration of `body`, which gets the port the app announced on `ports` once bound.
func withRunning(_ app: some ApplicationProtocol, ports: AsyncStream<Int>, _ body: (Int) async throws -> Void) async throws {
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: quietLogger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            guard let port = await ports.first(where: { _ in true }) else { throw CancellationError() }
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// Runs a simulated upstream on 127.0.0.1, port 0, and gives its base URL.
func withUpstream(_ upstream: SimulatedUpstream = makeUpstream(), _ body: (String) async throws -> Void) async throws {
    let (ports, announce) = AsyncStream.makeStream(of: Int.self)
    let app = upstream.buildApplication(host: "127.0.0.1", port: 0, logger: quietLogger) { announce.yield($0) }
    try await withRunning(app, ports: ports) { port in
        try await body("http://127.0.0.1:\(port)")
    }
}

/// An upstream that expects the key `test-key`.
func makeUpstream(seed: UInt64 = 1, eventDelay: Duration = .zero, pad: Bool = true) -> SimulatedUpstream {
    SimulatedUpstream(configuration: .init(apiKey: "test-key", seed: seed, eventDelay: eventDelay, pad: pad))
}

/// The headers an SDK 0.x client sends.
let standardHeaders = ["x-api-key": "test-key", "anthropic-version": "2023-06-01", "content-type": "application/json"]

struct Fetched {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }
}

func fetch(
    _ method: HTTPMethod,
    _ url: String,
    headers: [String: String] = standardHeaders,
    body: String? = nil,
    bytes: ByteBuffer? = nil
) async throws -> Fetched {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers {
        request.headers.add(name: name, value: value)
    }
    if let body {
        request.body = .bytes(ByteBuffer(string: body))
    }
    if let bytes {
        request.body = .bytes(bytes)
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 16 << 20)
    return Fetched(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
}

/// A Messages request body whose only user turn says `text`.
func messagesBody(_ text: String, stream: Bool = false, extra: String = "") -> String {
    #"{"model":"claude-test","max_tokens":100,"stream":\#(stream),"messages":[{"role":"user","content":"\#(text)"}]\#(extra)}"#
}

struct ParsedEvent {
    var name: String
    var data: JSONValue
    var rawData: String
}

/// Parses an SSE body strictly: every event is exactly `event:` + `data:` + blank line, with JSON data whose
/// `type` is the event name. Returns nil for anything else.
func parseSSE(_ text: String) -> [ParsedEvent]? {
    guard text.hasSuffix("\n\n") else { return nil }
    var events: [ParsedEvent] = []
    for block in text.dropLast(2).components(separatedBy: "\n\n") {
        let lines = block.components(separatedBy: "\n")
        guard lines.count == 2, lines[0].hasPrefix("event: "), lines[1].hasPrefix("data: ") else { return nil }
        let name = String(lines[0].dropFirst(7))
        let raw = String(lines[1].dropFirst(6))
        guard let data = try? JSONDecoder().decode(JSONValue.self, from: Data(raw.utf8)), data["type"] == .string(name) else { return nil }
        events.append(ParsedEvent(name: name, data: data, rawData: raw))
    }
    return events
}

/// Concatenates the `field` of every delta of type `deltaType`.
func joinedDeltas(_ events: [ParsedEvent], type deltaType: String, field: String) -> String {
    events.compactMap { event in
        event.data["delta"]?["type"] == .string(deltaType) ? event.data["delta"]?[field]?.stringValue : nil
    }.joined()
}

func base64URLDecoded(_ text: some StringProtocol) -> Data? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    return Data(base64Encoded: base64)
}
