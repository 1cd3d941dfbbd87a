import Foundation
import Testing
import WardenCore

/// The SSE transcripts quoted in the protocol reference (A2.2–A2.4), byte for byte.
enum SSETranscript: CaseIterable, Sendable {
    /// A2.2: a real API stream whose data lines are padded with spaces inside the closing brace.
    case padded
    /// A2.3: text then a tool call whose input arrives as partial JSON.
    case toolUse
    /// A2.4: thinking with a signature; the quote has no `message_start` and stops without the last blank line.
    case thinking

    var text: String {
        switch self {
        case .padded:
            #"""
            event: message_start
            data: {"type":"message_start","message":{"model":"foo","id":"msg_01BfvfMsg2gBzwsk6PZRLtDg","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}    }

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}      }

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}           }

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! 👋 How"}      }

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" can I help you today?"}   }

            event: content_block_stop
            data: {"type":"content_block_stop","index":0             }

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":9,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":16}               }

            event: message_stop
            data: {"type":"message_stop"       }


            """#
        case .toolUse:
            #"""
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-opus-5","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let's check"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" Francisc"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"o,"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" CA\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

            event: message_stop
            data: {"type":"message_stop"}


            """#
        case .thinking:
            #"""
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"1071 = 2 x 462 + 147"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"\n462 = 3 x 147 + 21"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            """#
        }
    }

    var bytes: [UInt8] { Array(text.utf8) }

    var eventNames: [String] {
        switch self {
        case .padded:
            [
                "message_start", "content_block_start", "content_block_delta", "content_block_delta", "ping", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop",
            ]
        case .toolUse:
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_stop"]
                + ["content_block_start"] + Array(repeating: "content_block_delta", count: 6)
                + ["content_block_stop", "message_delta", "message_stop"]
        case .thinking:
            ["content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start"]
        }
    }
}

/// Scans `bytes` cut at the given offsets, then finishes the stream.
func scanEvents(_ bytes: [UInt8], cutAt cuts: [Int] = []) -> [SSEEvent] {
    var scanner = SSEScanner()
    var events: [SSEEvent] = []
    var start = 0
    for end in cuts + [bytes.count] {
        events += scanner.feed(bytes[start..<end])
        start = end
    }
    events += scanner.finish()
    #expect(scanner.bytesConsumed == bytes.count)
    return events
}

/// Cut points for one byte at a time.
func bytewiseCuts(_ count: Int) -> [Int] { Array(1..<max(count, 1)) }

/// Reproducible random cut points, for chunks of 1 to 40 bytes.
func randomCuts(_ count: Int, seed: UInt64) -> [Int] {
    var generator = SplitMix64(seed: seed)
    var cuts: [Int] = []
    var offset = Int.random(in: 1...40, using: &generator)
    while offset < count {
        cuts.append(offset)
        offset += Int.random(in: 1...40, using: &generator)
    }
    return cuts
}

@Suite("SSE scanner")
struct SSEScannerTests {
    @Test("reference transcripts give the same events however they are chunked", arguments: SSETranscript.allCases)
    func transcriptsAnyChunking(transcript: SSETranscript) {
        let bytes = transcript.bytes
        let whole = scanEvents(bytes)
        #expect(whole.map(\.name) == transcript.eventNames)
        expectTiling(whole, count: bytes.count)
        for event in whole {
            let raw = String(decoding: bytes[event.byteRange], as: UTF8.self)
            let ending = event.byteRange.upperBound == bytes.count && transcript == .thinking ? "\n" : "\n\n"
            #expect(raw == "event: \(event.name ?? "")\ndata: \(event.data)\(ending)")
        }
        #expect(scanEvents(bytes, cutAt: bytewiseCuts(bytes.count)) == whole)
        for seed in UInt64(1)...25 {
            #expect(scanEvents(bytes, cutAt: randomCuts(bytes.count, seed: seed)) == whole, "seed \(seed)")
        }
    }

    @Test("padded data lines and the spaced ping keep their exact text")
    func paddedData() {
        let events = scanEvents(SSETranscript.padded.bytes)
        #expect(events[4].data == #"{"type": "ping"}"#)
        #expect(events[8].data == #"{"type":"message_stop"       }"#)
        #expect(events[3].data == #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! 👋 How"}      }"#)
    }

    @Test("CRLF, CR and mixed line endings, split at every offset")
    func lineEndings() {
        let streams = [
            "event: a\r\ndata: one\r\n\r\nevent: b\r\ndata: two\r\n\r\n",
            "event: a\rdata: one\r\revent: b\rdata: two\r\r",
            "event: a\ndata: one\r\n\revent: b\r\ndata: two\n\n",
        ]
        for stream in streams {
            let bytes = Array(stream.utf8)
            let firstLength = stream.utf8.count / 2
            let expected = [
                SSEEvent(name: "a", data: "one", byteRange: 0..<firstLength),
                SSEEvent(name: "b", data: "two", byteRange: firstLength..<bytes.count),
            ]
            #expect(scanEvents(bytes) == expected, "\(stream.debugDescription)")
            #expect(scanEvents(bytes, cutAt: bytewiseCuts(bytes.count)) == expected, "\(stream.debugDescription)")
            for cut in 0...bytes.count {
                #expect(scanEvents(bytes, cutAt: [cut]) == expected, "\(stream.debugDescription) cut at \(cut)")
            }
        }
    }

    @Test("a blank line ending in CR at the end of a chunk completes its event once the next byte arrives")
    func carriageReturnAtChunkEnd() {
        var scanner = SSEScanner()
        #expect(scanner.feed(Array("event: a\rdata: 1\r\revent: b\rdata: 2\r\r".utf8)) == [SSEEvent(name: "a", data: "1", byteRange: 0..<18)])
        #expect(scanner.feed(Array("\n".utf8)) == [SSEEvent(name: "b", data: "2", byteRange: 18..<37)])
        #expect(scanner.feed(Array("event: c\rdata: 3\r\r".utf8)).isEmpty)
        #expect(scanner.finish() == [SSEEvent(name: "c", data: "3", byteRange: 37..<55)])
    }

    @Test("comments, id, retry and unknown fields are ignored; comment-only blocks join the next event")
    func commentsAndIgnoredFields() {
        let stream = ": keep-alive\n\nid: 7\nretry: 1000\nevent: a\n: inside\nfoo: bar\ndata: 1\n\n: trailing\n\n"
        let bytes = Array(stream.utf8)
        let firstEnd = stream.utf8.count - ": trailing\n\n".utf8.count
        var scanner = SSEScanner()
        #expect(scanner.feed(bytes) == [SSEEvent(name: "a", data: "1", byteRange: 0..<firstEnd)])
        #expect(scanner.finish().isEmpty)
        #expect(scanner.bytesConsumed == bytes.count)
    }

    @Test("data lines join with newlines and lose only one leading space")
    func multiLineData() {
        let stream = "event:compact\ndata: first\ndata:second\ndata:  indented\ndata: key: value\ndata\ndata: \n\n"
        let events = scanEvents(Array(stream.utf8))
        #expect(events.map(\.name) == ["compact"])
        #expect(events.map(\.data) == ["first\nsecond\n indented\nkey: value\n\n"])
    }

    @Test("unnamed events and events without data are still reported; the last event field wins")
    func unnamedAndEmptyEvents() {
        let events = scanEvents(Array("data: {}\n\nevent: x\nevent: y\n\n".utf8))
        #expect(events == [SSEEvent(name: nil, data: "{}", byteRange: 0..<10), SSEEvent(name: "y", data: "", byteRange: 10..<29)])
    }

    @Test("finish() emits the event a cut stream left unfinished, once")
    func finishFlushesTrailingEvent() {
        var scanner = SSEScanner()
        let head = "event: a\ndata: 1\n\n"
        let events = scanner.feed(Array((head + #"event: b\#ndata: {"cut"#).utf8))
        #expect(events == [SSEEvent(name: "a", data: "1", byteRange: 0..<head.utf8.count)])
        let end = scanner.bytesConsumed
        #expect(scanner.finish() == [SSEEvent(name: "b", data: #"{"cut"#, byteRange: head.utf8.count..<end)])
        #expect(scanner.finish().isEmpty)
        var unused = SSEScanner()
        #expect(unused.finish().isEmpty)
    }

    @Test("multi-byte UTF-8 characters split across chunks decode whole")
    func utf8SplitAcrossChunks() {
        let bytes = Array("event: 👋\ndata: héllo 👋 wörld\n\n".utf8)
        let expected = [SSEEvent(name: "👋", data: "héllo 👋 wörld", byteRange: 0..<bytes.count)]
        for cut in 0...bytes.count {
            #expect(scanEvents(bytes, cutAt: [cut]) == expected, "cut at \(cut)")
        }
        #expect(scanEvents(bytes, cutAt: bytewiseCuts(bytes.count)) == expected)
    }

    @Test("raw buffers and non-contiguous collections scan like arrays")
    func inputKinds() {
        let bytes = SSETranscript.toolUse.bytes
        let expected = scanEvents(bytes)
        var raw = SSEScanner()
        let fromRaw = Data(bytes).withUnsafeBytes { raw.feed($0) } + raw.finish()
        #expect(fromRaw == expected)
        var lazy = SSEScanner()
        let fromLazy = lazy.feed(bytes.lazy.map { $0 }) + lazy.finish()
        #expect(fromLazy == expected)
        #expect(lazy.bytesConsumed == bytes.count)
    }

    private func expectTiling(_ events: [SSEEvent], count: Int) {
        #expect(events.first?.byteRange.lowerBound == 0)
        #expect(events.last?.byteRange.upperBound == count)
        for (previous, next) in zip(events, events.dropFirst()) {
            #expect(previous.byteRange.upperBound == next.byteRange.lowerBound)
        }
        #expect(events.allSatisfy { !$0.byteRange.isEmpty })
    }
}

private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
