import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where requests go: straight to the upstream, or through Warden.
struct Target: Sendable {
    let name: String
    let port: Int
    let credential: (String, String)
}

/// Drives requests and measures them with the monotonic clock.
struct LoadRunner: Sendable {
    let client: HTTPClient
    let claudeCodeSession: Bool

    static let body = #"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"benchmark prompt: say something short"}]}"#
    static let streamBody =
        #"{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"benchmark prompt: say something short"}]}"#

    func request(_ target: Target, stream: Bool) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(target.port)/v1/messages")
        request.method = .POST
        request.headers.add(name: target.credential.0, value: target.credential.1)
        request.headers.add(name: "anthropic-version", value: "2023-06-01")
        request.headers.add(name: "content-type", value: "application/json")
        if claudeCodeSession { request.headers.add(name: "x-claude-code-session-id", value: "5b3c8a52-4b8e-4c1e-9b6e-0d7c1f2a9e11") }
        request.body = .bytes(ByteBuffer(string: stream ? Self.streamBody : Self.body))
        return request
    }

    /// One complete non-streaming request; returns its latency in microseconds.
    func once(_ target: Target) async throws -> Double {
        let start = ContinuousClock.now
        let response = try await client.execute(request(target, stream: false), timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw BenchError.failed("\(target.name) answered \(response.status)") }
        return (ContinuousClock.now - start).microseconds
    }

    func latencies(_ target: Target, count: Int, stream: Bool) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<count { samples.append(try await once(target)) }
        return samples
    }

    /// Rotates through the targets request by request, starting each round with the next one, so drift on the shared
    /// cores and any first-in-round effect hit every target equally.
    func interleavedLatencies(_ targets: [Target], count: Int) async throws -> [[Double]] {
        var samples = Array(repeating: [Double](), count: targets.count)
        for round in 0..<count {
            for offset in 0..<targets.count {
                let index = (round + offset) % targets.count
                samples[index].append(try await once(targets[index]))
            }
        }
        return samples
    }

    struct StreamTiming {
        var first: [Double] = []
        var gaps: [Double] = []
    }

    /// Time from sending to the first body byte (the first event), and the gaps between later chunks.
    func streamOnce(_ target: Target, into timing: inout StreamTiming) async throws {
        let start = ContinuousClock.now
        let response = try await client.execute(request(target, stream: true), timeout: .seconds(30))
        var previous: ContinuousClock.Instant?
        for try await _ in response.body {
            let now = ContinuousClock.now
            if let previous {
                timing.gaps.append((now - previous).microseconds)
            } else {
                timing.first.append((now - start).microseconds)
            }
            previous = now
        }
    }

    func interleavedFirstEvent(_ a: Target, _ b: Target, count: Int) async throws -> (StreamTiming, StreamTiming) {
        var first = StreamTiming()
        var second = StreamTiming()
        for _ in 0..<count {
            try await streamOnce(a, into: &first)
            try await streamOnce(b, into: &second)
        }
        return (first, second)
    }

    /// Requests per second with `concurrency` callers looping for `seconds`.
    func throughput(_ target: Target, concurrency: Int, seconds: Double) async throws -> Double {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        _ = try await once(target)
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / ((ContinuousClock.now - start).microseconds / 1_000_000)
    }
}

extension Duration {
    var microseconds: Double { Double(components.seconds) * 1_000_000 + Double(components.attoseconds) / 1_000_000_000_000 }
}

enum Report {
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func latency(_ title: String, _ direct: [Double], _ warden: [Double], baseline: String = "direct", measured: String = "warden") {
        print("\(title)  (n = \(direct.count) / \(warden.count))")
        for (label, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
            let d = percentile(direct, p)
            let w = percentile(warden, p)
            print(String(format: "  %@  %@ %8.1f µs   %@ %8.1f µs   added %+8.1f µs   ratio %.2f", label, baseline, d, measured, w, w - d, w / d))
        }
        print("")
    }
}
