import AsyncHTTPClient
import Hummingbird
import NIOCore
import Synchronization
import WardenCore

/// Copies the upstream body to the client chunk by chunk — each write is flushed, nothing is held back — while the
/// capture keeps the same bytes. Remembers which side failed, so the record says who ended the exchange.
final class StreamRelay: Sendable {
    private let upstream: HTTPClientResponse.Body
    private let start: ContinuousClock.Instant
    private let failedUpstream = Atomic(false)

    init(upstream: HTTPClientResponse.Body, start: ContinuousClock.Instant) {
        self.upstream = upstream
        self.start = start
    }

    var upstreamFailed: Bool { failedUpstream.load(ordering: .relaxed) }

    func run(writer: inout any ResponseBodyWriter, capture: inout ResponseCapture) async throws {
        var iterator = upstream.makeAsyncIterator()
        while true {
            let chunk: ByteBuffer?
            do {
                chunk = try await iterator.next()
            } catch {
                if !(error is CancellationError) && (error as? HTTPClientError) != .cancelled {
                    failedUpstream.store(true, ordering: .relaxed)
                }
                throw error
            }
            guard let chunk else { return }
            let micros = start.micros
            chunk.withUnsafeReadableBytes { capture.append($0, arrivalMicros: micros) }
            try await writer.write(chunk)
        }
    }
}
