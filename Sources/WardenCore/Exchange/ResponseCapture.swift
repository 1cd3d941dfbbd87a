import Foundation

/// The recording side of the response tee: keeps the exact bytes, marks where each server-sent event sits and
/// when it arrived, and reassembles the Message — while the same bytes go on to the client untouched.
public struct ResponseCapture: Sendable {
    public let streamed: Bool
    public private(set) var body = Data()
    public private(set) var events: [EventMark] = []
    private var scanner = SSEScanner()
    private var assembler = MessageAssembler()

    /// `streamed`: the response is `text/event-stream` (decided from the upstream's content type).
    public init(streamed: Bool) {
        self.streamed = streamed
    }

    /// Takes one chunk as it passes; `micros` is its arrival time after the first byte. Returns the events the chunk
    /// completed, for whoever else watches the stream.
    @discardableResult
    public mutating func append(_ bytes: UnsafeRawBufferPointer, arrivalMicros micros: Int64) -> [SSEEvent] {
        body.append(contentsOf: bytes)
        guard streamed else { return [] }
        let completed = scanner.feed(bytes)
        for event in completed {
            events.append(EventMark(offset: event.byteRange.lowerBound, length: event.byteRange.count, arrivalMicros: micros))
            assembler.apply(event)
        }
        return completed
    }

    /// Closes the capture: a stream cut mid-event still yields that event.
    public mutating func finish(arrivalMicros micros: Int64) {
        guard streamed else { return }
        for event in scanner.finish() {
            events.append(EventMark(offset: event.byteRange.lowerBound, length: event.byteRange.count, arrivalMicros: micros))
            assembler.apply(event)
        }
    }

    /// A stream that never sent `message_stop` is truncated, even when the connection closed cleanly.
    public var isTruncated: Bool { streamed && !assembler.sawMessageStop }

    public var streamError: String? { assembler.streamError.map { "\($0.type): \($0.message)" } }

    /// The Message (reassembled for streams, the body itself for a JSON Message answer) and its summary,
    /// computed together so the body is parsed once.
    public func outcome() -> (message: Data?, summary: MessageSummary?) {
        if streamed { return (assembler.messageJSON(), assembler.summary) }
        guard let summary = MessageSummary(messageJSON: body) else { return (nil, nil) }
        return (body, summary)
    }
}
