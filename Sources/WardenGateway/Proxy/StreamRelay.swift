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

    /// Relays until the upstream ends, or until `streamGuard` finds a blocking match in a chunk: that chunk is not sent,
    /// and the finding is returned so the caller can end the stream with an error.
    func run(writer: inout any ResponseBodyWriter, capture: inout ResponseCapture, streamGuard: inout StreamGuard?) async throws -> ExchangeFinding? {
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
            guard let chunk else { return nil }
            let micros = start.micros
            let events = chunk.withUnsafeReadableBytes { capture.append($0, arrivalMicros: micros) }
            if let finding = streamGuard?.feed(events) { return finding }
            try await writer.write(chunk)
        }
    }
}
