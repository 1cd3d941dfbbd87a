import Foundation
import Testing
import WardenCore

@Suite("Response capture: exact bytes, event marks, the reassembled message")
struct ResponseCaptureTests {
    static let events: [(name: String, data: String)] = [
        (
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}"#
        ),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ("ping", #"{"type": "ping"}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", wörld 👋"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        (
            "message_delta",
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}"#
        ),
        ("message_stop", #"{"type":"message_stop"}"#),
    ]

    /// The stream opens with a comment block, which belongs to the first event.
    static func stream(_ events: ArraySlice<(name: String, data: String)> = events[...]) -> [UInt8] {
        Array((": keep-alive\n\n" + events.map { "event: \($0.name)\ndata: \($0.data)\n\n" }.joined()).utf8)
    }

    @Test(
        "a streamed response: bytes recorded exactly, marks tile the stream, each mark has its arrival time",
        arguments: [[1], [7, 3, 64], [4096]]
    )
    func streamed(chunkSizes: [Int]) throws {
        let bytes = Self.stream()
        let (capture, arrival) = feed(bytes, streamed: true, chunkSizes: chunkSizes, finishMicros: 999_999)
        #expect(capture.body == Data(bytes))
        #expect(capture.events.count == Self.events.count)
        expectTiling(capture.events, count: bytes.count)
        for (mark, event) in zip(capture.events, Self.events) {
            let slice = String(decoding: bytes[mark.offset..<mark.offset + mark.length], as: UTF8.self)
            #expect(slice.hasSuffix("event: \(event.name)\ndata: \(event.data)\n\n"))
            #expect(mark.arrivalMicros == arrival[mark.offset + mark.length - 1], "\(event.name)")
        }
        #expect(String(decoding: bytes[0..<capture.events[0].length], as: UTF8.self).hasPrefix(": keep-alive\n\nevent: message_start"))
        #expect(capture.isTruncated == false)
        #expect(capture.streamError == nil)
    }

    @Test("a streamed response reassembles the Message and its summary")
    func streamedMessage() throws {
        let (capture, _) = feed(Self.stream(), streamed: true, chunkSizes: [5, 11], finishMicros: 0)
        let message = try #require(capture.outcome().message)
        let object = try #require(try JSONSerialization.jsonObject(with: message) as? [String: Any])
        #expect(object["id"] as? String == "msg_01XFDUDYJgAACzvnptvVoYEL")
        #expect(object["stop_reason"] as? String == "end_turn")
        let content = try #require(object["content"] as? [[String: Any]])
        #expect(content.count == 1)
        #expect(content.first?["text"] as? String == "Hello, wörld 👋")
        let usage = try #require(object["usage"] as? [String: Any])
        #expect(usage["input_tokens"] as? Int == 12)
        #expect(usage["output_tokens"] as? Int == 7)
        #expect(
            capture.outcome().summary
                == MessageSummary(
                    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
                    model: "claude-sonnet-4-5",
                    stopReason: "end_turn",
                    usage: Usage(inputTokens: 12, outputTokens: 7)
                )
        )
    }

    @Test("a stream that ends cleanly without message_stop is truncated")
    func truncatedWithoutStop() {
        let bytes = Self.stream(Self.events.dropLast())
        let (capture, _) = feed(bytes, streamed: true, chunkSizes: [9], finishMicros: 5)
        #expect(capture.isTruncated)
        #expect(capture.body == Data(bytes))
        #expect(capture.events.count == Self.events.count - 1)
        expectTiling(capture.events, count: bytes.count)
        #expect(capture.outcome().message != nil)
    }

    @Test("a stream cut mid-event still marks that event, at the finish time, through the last byte")
    func cutMidEvent() throws {
        // Drop message_stop and the end of message_delta's data line.
        let whole = Self.stream()
        let stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".utf8.count
        let cut = Array(whole[..<(whole.count - stop - 30)])
        let (capture, arrival) = feed(cut, streamed: true, chunkSizes: [16], finishMicros: 777_777)
        #expect(capture.body == Data(cut))
        #expect(capture.isTruncated)
        expectTiling(capture.events, count: cut.count)
        let last = try #require(capture.events.last)
        #expect(last.arrivalMicros == 777_777)
        #expect(last.arrivalMicros != arrival.last)
        #expect(capture.events.count == Self.events.count - 1)
    }

    @Test("an error event after the 200 is reported and the stream is truncated")
    func streamError() {
        let bytes = Array(
            (Self.stream(Self.events.prefix(2))
                + Array("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n".utf8))
        )
        let (capture, _) = feed(bytes, streamed: true, chunkSizes: [33], finishMicros: 0)
        #expect(capture.streamError == "overloaded_error: Overloaded")
        #expect(capture.isTruncated)
        #expect(capture.events.count == 3)
        expectTiling(capture.events, count: bytes.count)
    }

    @Test("an empty stream is truncated and has no message")
    func emptyStream() {
        var capture = ResponseCapture(streamed: true)
        capture.finish(arrivalMicros: 10)
        #expect(capture.body.isEmpty)
        #expect(capture.events.isEmpty)
        #expect(capture.isTruncated)
        #expect(capture.outcome().message == nil)
        #expect(capture.outcome().summary == nil)
    }

    @Test("a non-streaming Message: the body is the message, no marks, not truncated")
    func nonStreamingMessage() throws {
        let body = Array(
            #"""
            {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-opus-4-1",
             "content":[{"type":"text","text":"Hi! ☕"}],"stop_reason":"max_tokens","stop_sequence":null,
             "usage":{"input_tokens":2095,"output_tokens":503,"cache_read_input_tokens":1024}}
            """#.utf8
        )
        let (capture, _) = feed(body, streamed: false, chunkSizes: [50], finishMicros: 1)
        #expect(capture.body == Data(body))
        #expect(capture.events.isEmpty)
        #expect(capture.isTruncated == false)
        #expect(capture.outcome().message == Data(body))
        #expect(capture.streamError == nil)
        #expect(
            capture.outcome().summary
                == MessageSummary(
                    id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
                    model: "claude-opus-4-1",
                    stopReason: "max_tokens",
                    usage: Usage(inputTokens: 2095, outputTokens: 503, cacheReadInputTokens: 1024)
                )
        )
    }

    @Test(
        "a non-streaming error or non-Message body is recorded exactly, with no message",
        arguments: [
            #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#,
            #"{"data":[{"id":"claude-sonnet-4-5","type":"model"}],"has_more":false}"#,
            "<html>Bad gateway</html>",
            "",
        ]
    )
    func nonStreamingOther(body: String) {
        let (capture, _) = feed(Array(body.utf8), streamed: false, chunkSizes: [10], finishMicros: 1)
        #expect(capture.body == Data(body.utf8))
        #expect(capture.outcome().message == nil)
        #expect(capture.outcome().summary == nil)
        #expect(capture.isTruncated == false)
        #expect(capture.events.isEmpty)
    }

    @Test("a non-streaming body is not scanned for events even when it looks like SSE")
    func nonStreamingSSELookalike() {
        let bytes = Self.stream()
        let (capture, _) = feed(bytes, streamed: false, chunkSizes: [100], finishMicros: 1)
        #expect(capture.events.isEmpty)
        #expect(capture.body == Data(bytes))
        #expect(capture.isTruncated == false)
        #expect(capture.streamed == false)
    }
}

// MARK: - Helpers

/// Feeds `bytes` in chunks of the given sizes (cycled), chunk i arriving at i × 250 µs; returns the capture and
/// the arrival time of every byte.
private func feed(_ bytes: [UInt8], streamed: Bool, chunkSizes: [Int], finishMicros: Int64) -> (ResponseCapture, [Int64]) {
    var capture = ResponseCapture(streamed: streamed)
    var arrival: [Int64] = []
    var offset = 0
    var index = 0
    while offset < bytes.count {
        let size = min(chunkSizes[index % chunkSizes.count], bytes.count - offset)
        let micros = Int64(index) * 250
        bytes[offset..<offset + size].withUnsafeBytes { capture.append($0, arrivalMicros: micros) }
        arrival += repeatElement(micros, count: size)
        offset += size
        index += 1
    }
    capture.finish(arrivalMicros: finishMicros)
    return (capture, arrival)
}

private func expectTiling(_ marks: [EventMark], count: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    var next = 0
    for mark in marks {
        #expect(mark.offset == next, sourceLocation: sourceLocation)
        #expect(mark.length > 0, sourceLocation: sourceLocation)
        next = mark.offset + mark.length
    }
    #expect(next == count, sourceLocation: sourceLocation)
}
