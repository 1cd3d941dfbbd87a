/// One complete server-sent event as found in the byte stream.
public struct SSEEvent: Sendable, Equatable {
    /// Value of the `event:` field, or nil when the event had none; the official SDKs drop unnamed events, a recorder keeps them.
    public var name: String?
    /// The `data:` lines joined with "\n", each with one leading space after the colon removed.
    public var data: String
    /// Offsets of the event's bytes in the whole stream, through the blank line that ends it, so the raw stream can be cut
    /// at event boundaries. An event starts where the previous one ended: comment-only blocks and stray blank lines belong
    /// to the event that follows them, and consecutive events tile the stream.
    public var byteRange: Range<Int>

    public init(name: String?, data: String, byteRange: Range<Int>) {
        self.name = name
        self.data = data
        self.byteRange = byteRange
    }
}

/// Incremental SSE framer: feed it chunks as they arrive; it returns the events each chunk completes.
///
/// Lines may end in LF, CRLF or CR (WHATWG rules, as the Python SDK decodes them); comment lines and fields other than
/// `event` and `data` are ignored. Only the unfinished line and the fields of the unfinished event are kept between chunks.
/// A blank line ending in a CR that is the last byte of a chunk completes its event only with the next byte (or `finish()`),
/// because only that byte tells whether the line ending is CR or CRLF; the byte ranges so stay the same however the stream
/// is chunked.
public struct SSEScanner: Sendable {
    private var event = PendingEvent()
    private var partialLine: [UInt8] = []
    private var eventStart = 0
    /// The previous chunk ended with a CR, so an LF opening the next chunk belongs to that line ending.
    private var endedWithCR = false
    /// The line that CR ended was blank: its event is emitted once the line ending is known.
    private var eventAwaitsLineEnding = false

    /// Bytes fed so far: the stream offset at which the next chunk starts.
    public private(set) var bytesConsumed = 0

    public init() {}

    /// Scans a chunk; uses its contiguous storage when it has one (`[UInt8]`, `Data`, `ArraySlice`) and copies it otherwise.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [SSEEvent] {
        if let events = bytes.withContiguousStorageIfAvailable({ scan($0) }) {
            return events
        }
        return Array(bytes).withUnsafeBufferPointer { scan($0) }
    }

    /// Scans a chunk in place, for callers holding raw memory (such as a NIO `ByteBuffer`'s readable bytes).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [SSEEvent] {
        bytes.withMemoryRebound(to: UInt8.self) { scan($0) }
    }

    /// Ends the stream: emits the event that a cut-off stream left without its closing blank line, including an unfinished
    /// last line.
    public mutating func finish() -> [SSEEvent] {
        if !partialLine.isEmpty {
            partialLine.withUnsafeBufferPointer { event.take(line: $0) }
            partialLine.removeAll(keepingCapacity: true)
        }
        endedWithCR = false
        eventAwaitsLineEnding = false
        var events: [SSEEvent] = []
        emit(endingAt: bytesConsumed, into: &events)
        return events
    }

    private mutating func scan(_ chunk: UnsafeBufferPointer<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        guard let first = chunk.first else { return events }
        var index = 0
        if endedWithCR {
            endedWithCR = false
            if first == ASCII.lineFeed {
                index = 1
            }
            if eventAwaitsLineEnding {
                eventAwaitsLineEnding = false
                emit(endingAt: bytesConsumed + index, into: &events)
            }
        }
        var lineStart = index
        while index < chunk.count {
            let byte = chunk[index]
            index += 1
            guard byte == ASCII.lineFeed || byte == ASCII.carriageReturn else { continue }
            let lineTail = UnsafeBufferPointer(rebasing: chunk[lineStart..<index - 1])
            if byte == ASCII.carriageReturn {
                if index == chunk.count {
                    endedWithCR = true
                } else if chunk[index] == ASCII.lineFeed {
                    index += 1
                }
            }
            if endLine(tail: lineTail) {
                if endedWithCR {
                    eventAwaitsLineEnding = true
                } else {
                    emit(endingAt: bytesConsumed + index, into: &events)
                }
            }
            lineStart = index
        }
        if lineStart < chunk.count {
            partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[lineStart...]))
        }
        bytesConsumed += chunk.count
        return events
    }

    /// Completes the line whose last bytes are `tail`; returns true when the line is blank, which ends an event.
    private mutating func endLine(tail: UnsafeBufferPointer<UInt8>) -> Bool {
        if partialLine.isEmpty {
            if tail.isEmpty {
                return true
            }
            event.take(line: tail)
            return false
        }
        partialLine.append(contentsOf: tail)
        partialLine.withUnsafeBufferPointer { event.take(line: $0) }
        partialLine.removeAll(keepingCapacity: true)
        return false
    }

    private mutating func emit(endingAt end: Int, into events: inout [SSEEvent]) {
        guard let (name, data) = event.complete() else { return }
        events.append(SSEEvent(name: name, data: data, byteRange: eventStart..<end))
        eventStart = end
    }
}

/// The fields read so far for the event being scanned. Data stays bytes until the event completes, so nothing is decoded
/// twice.
private struct PendingEvent {
    private var name: String?
    private var data: [UInt8] = []
    private var hasData = false

    /// Applies one complete line that is not blank.
    mutating func take(line: UnsafeBufferPointer<UInt8>) {
        guard let first = line.first, first != ASCII.colon else { return }
        let colon = line.firstIndex(of: ASCII.colon) ?? line.endIndex
        var valueStart = min(colon + 1, line.endIndex)
        if valueStart < line.endIndex, line[valueStart] == ASCII.space {
            valueStart += 1
        }
        let field = UnsafeBufferPointer(rebasing: line[..<colon])
        let value = UnsafeBufferPointer(rebasing: line[valueStart...])
        if field.elementsEqual("data".utf8) {
            if hasData {
                data.append(ASCII.lineFeed)
            }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            name = String(decoding: value, as: UTF8.self)
        }
    }

    /// Hands over the event and starts a new one; nil when no `event` or `data` field was read, as for comment-only blocks.
    mutating func complete() -> (name: String?, data: String)? {
        guard name != nil || hasData else { return nil }
        let completed = (name: name, data: String(decoding: data, as: UTF8.self))
        name = nil
        data.removeAll(keepingCapacity: true)
        hasData = false
        return completed
    }
}

private enum ASCII {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let colon = UInt8(ascii: ":")
    static let space = UInt8(ascii: " ")
}
