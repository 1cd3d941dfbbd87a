import Foundation
import Testing
import WardenCore

@Suite("Message assembler")
struct MessageAssemblerTests {
    @Test("A2.2: the padded stream gives its text, stop reason and last usage counts")
    func paddedTranscript() throws {
        let assembler = assemble(scanEvents(SSETranscript.padded.bytes))
        let message = try messageObject(assembler)
        let blocks = content(message)
        #expect(blocks.count == 1)
        #expect(blocks.first?["type"] as? String == "text")
        #expect(blocks.first?["text"] as? String == "Hi! 👋 How can I help you today?")
        #expect(message["stop_reason"] as? String == "end_turn")
        #expect(message["id"] as? String == "msg_01BfvfMsg2gBzwsk6PZRLtDg")
        let usage = try #require(message["usage"] as? [String: Any])
        #expect(usage["output_tokens"] as? Int == 16)
        #expect(usage["service_tier"] as? String == "standard")
        #expect((usage["cache_creation"] as? [String: Any])?["ephemeral_1h_input_tokens"] as? Int == 0)
        #expect(assembler.usage == Usage(inputTokens: 9, outputTokens: 16, cacheCreationInputTokens: 0, cacheReadInputTokens: 0))
        #expect(assembler.stopReason == "end_turn")
        #expect(assembler.model == "foo")
        #expect(assembler.messageID == "msg_01BfvfMsg2gBzwsk6PZRLtDg")
        #expect(assembler.sawMessageStop)
        #expect(assembler.streamError == nil)
        #expect(assembler.unrecognizedEvents.isEmpty)
    }

    @Test("A2.3: text and a tool call whose partial JSON input is parsed")
    func toolUseTranscript() throws {
        let assembler = assemble(scanEvents(SSETranscript.toolUse.bytes))
        let message = try messageObject(assembler)
        let blocks = content(message)
        #expect(blocks.count == 2)
        #expect(blocks.first?["text"] as? String == "Okay, let's check")
        #expect(blocks.last?["type"] as? String == "tool_use")
        #expect(blocks.last?["id"] as? String == "toolu_01T1x1fJ34qAmk2tNTrN7Up6")
        #expect(blocks.last?["name"] as? String == "get_weather")
        #expect(blocks.last?["input"] as? [String: String] == ["location": "San Francisco, CA"])
        #expect(message["stop_reason"] as? String == "tool_use")
        #expect((message["usage"] as? [String: Any])?["output_tokens"] as? Int == 89)
        #expect(assembler.usage == Usage(inputTokens: 472, outputTokens: 89))
        #expect(assembler.stopReason == "tool_use")
        #expect(assembler.model == "claude-opus-5")
        #expect(assembler.sawMessageStop)
    }

    @Test("the message is the same however the stream was chunked", arguments: [SSETranscript.padded, .toolUse])
    func anyChunking(transcript: SSETranscript) throws {
        let bytes = transcript.bytes
        let whole = try #require(assemble(scanEvents(bytes)).messageJSON())
        #expect(assemble(scanEvents(bytes, cutAt: bytewiseCuts(bytes.count))).messageJSON() == whole)
        for seed in UInt64(1)...10 {
            #expect(assemble(scanEvents(bytes, cutAt: randomCuts(bytes.count, seed: seed))).messageJSON() == whole, "seed \(seed)")
        }
    }

    @Test("A2.4: thinking and its signature are rebuilt exactly, once a message_start is seen")
    func thinkingTranscript() throws {
        let quoted = assemble(scanEvents(SSETranscript.thinking.bytes))
        #expect(quoted.messageJSON() == nil)
        #expect(quoted.summary == nil)

        let stream =
            messageStart + SSETranscript.thinking.text + "\n"
                + #"""
                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"The GCD is 21."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":50}}

                event: message_stop
                data: {"type":"message_stop"}


                """#
        let blocks = content(try messageObject(assemble(scanEvents(Array(stream.utf8)))))
        #expect(blocks.count == 2)
        #expect(blocks.first?["thinking"] as? String == "1071 = 2 x 462 + 147\n462 = 3 x 147 + 21")
        #expect(blocks.first?["signature"] as? String == "EqQBCgIYAhIM1gbcDa9GJwZA2b3h")
        #expect(blocks.last?["text"] as? String == "The GCD is 21.")
    }

    @Test("tool input: empty partial JSON means {}, unparsable JSON is kept as the raw string, no deltas keep the start input")
    func toolInputs() throws {
        let stream =
            messageStart
                + #"""
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_a","name":"a","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_b","name":"b","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" [1"}}

                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_c","name":"c","input":{"preset":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":3,"content_block":{"type":"server_tool_use","id":"srvtoolu_d","name":"web_search","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\"query\":\"Zür"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"ich\"}"}}


                """#
        let blocks = content(try messageObject(assemble(scanEvents(Array(stream.utf8)))))
        #expect(blocks.map { $0["id"] as? String } == ["toolu_a", "toolu_b", "toolu_c", "srvtoolu_d"])
        #expect((blocks[0]["input"] as? [String: Any])?.isEmpty == true)
        #expect(blocks[1]["input"] as? String == #"{"a": [1"#)
        #expect(blocks[2]["input"] as? [String: Int] == ["preset": 1])
        #expect(blocks[3]["input"] as? [String: String] == ["query": "Zürich"])
    }

    @Test("citations deltas are appended to the block's citations in order")
    func citations() throws {
        let stream =
            messageStart
                + #"""
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"","citations":null}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"A","document_index":0,"start_char_index":0,"end_char_index":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Both "}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"B","document_index":1,"start_char_index":4,"end_char_index":5}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"agree."}}


                """#
        let block = try #require(content(try messageObject(assemble(scanEvents(Array(stream.utf8))))).first)
        let citations = try #require(block["citations"] as? [[String: Any]])
        #expect(citations.map { $0["cited_text"] as? String } == ["A", "B"])
        #expect(citations.map { $0["document_index"] as? Int } == [0, 1])
        #expect(block["text"] as? String == "Both agree.")
    }

    @Test("message_delta applies every delta key and overwrites usage counts without summing")
    func messageDeltas() throws {
        let stream = #"""
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_d","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"cache_read_input_tokens":3,"output_tokens":1}}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"pause_turn","stop_sequence":null},"usage":{"output_tokens":10}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_details":{"type":"refusal","category":"cyber"},"container":{"id":"container_1"}},"usage":{"input_tokens":null,"output_tokens":25,"server_tool_use":{"web_search_requests":2}}}

            event: message_stop
            data: {"type":"message_stop"}


            """#
        let assembler = assemble(scanEvents(Array(stream.utf8)))
        let message = try messageObject(assembler)
        #expect(assembler.stopReason == "refusal")
        #expect(assembler.usage == Usage(inputTokens: 5, outputTokens: 25, cacheReadInputTokens: 3))
        #expect(message["stop_reason"] as? String == "refusal")
        #expect(message["stop_sequence"] is NSNull)
        #expect((message["stop_details"] as? [String: String])?["category"] == "cyber")
        #expect((message["container"] as? [String: String])?["id"] == "container_1")
        let usage = try #require(message["usage"] as? [String: Any])
        #expect(usage["input_tokens"] as? Int == 5)
        #expect(usage["output_tokens"] as? Int == 25)
        #expect(usage["cache_read_input_tokens"] as? Int == 3)
        #expect((usage["server_tool_use"] as? [String: Int])?["web_search_requests"] == 2)
    }

    @Test("an error event mid-stream is recorded and the message stays truncated")
    func errorMidStream() throws {
        let stream =
            messageStart
                + #"""
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}

                event: error
                data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_1"}


                """#
        let assembler = assemble(scanEvents(Array(stream.utf8)))
        #expect(assembler.streamError?.type == "overloaded_error")
        #expect(assembler.streamError?.message == "Overloaded")
        #expect(!assembler.sawMessageStop)
        #expect(assembler.stopReason == nil)
        #expect(content(try messageObject(assembler)).first?["text"] as? String == "Partial")
        #expect(assembler.unrecognizedEvents.isEmpty)
    }

    @Test("unknown event and delta types are kept aside; unknown block types are kept as they started")
    func unknownTypes() throws {
        let stream =
            messageStart
                + #"""
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"mystery_result","payload":{"flag":true,"items":[1,2.5,"x"]}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"mystery_delta","bits":"x"}}

                event: agent_note
                data: {"type":"agent_note","note":"hi"}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_stop
                data: {"type":"message_stop"}


                """#
        let assembler = assemble(scanEvents(Array(stream.utf8)))
        #expect(assembler.unrecognizedEvents.map(\.name) == ["content_block_delta", "agent_note"])
        #expect(assembler.unrecognizedEvents.last?.data == #"{"type":"agent_note","note":"hi"}"#)
        let json = String(decoding: try #require(assembler.messageJSON()), as: UTF8.self)
        #expect(json.contains(#""content":[{"payload":{"flag":true,"items":[1,2.5,"x"]},"type":"mystery_result"}]"#))
        #expect(assembler.sawMessageStop)
    }

    @Test("malformed or non-object data is skipped, and the event name stands in for a missing type")
    func malformedEvents() throws {
        let stream =
            messageStart
                + #"""
                event: content_block_start
                data: {"index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lost"

                event: content_block_delta
                data: [1, 2]

                event: content_block_delta
                data:

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}

                event: message_stop
                data: {}


                """#
        let assembler = assemble(scanEvents(Array(stream.utf8)))
        #expect(content(try messageObject(assembler)).first?["text"] as? String == "ok")
        #expect(assembler.sawMessageStop)
        #expect(assembler.unrecognizedEvents.isEmpty)
    }

    @Test("a non-streaming body summarises the same way as a reassembled stream")
    func nonStreamingSummary() throws {
        let body = Data(
            #"""
            {"model":"foo","id":"msg_01J5gW6Sffiem6avXSAooZZw","type":"message","role":"assistant","content":[{"type":"text","text":"Hi! 👋 How can I help you today?"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":9,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":16,"service_tier":"standard"}}
            """#.utf8
        )
        let usage = Usage(inputTokens: 9, outputTokens: 16, cacheCreationInputTokens: 0, cacheReadInputTokens: 0)
        #expect(Usage(messageJSON: body) == usage)
        #expect(
            MessageSummary(messageJSON: body)
                == MessageSummary(id: "msg_01J5gW6Sffiem6avXSAooZZw", model: "foo", stopReason: "end_turn", usage: usage)
        )

        let errorBody = Data(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#.utf8)
        #expect(MessageSummary(messageJSON: errorBody) == nil)
        #expect(Usage(messageJSON: Data("not json".utf8)) == nil)

        let streamed = assemble(scanEvents(SSETranscript.toolUse.bytes))
        let summary = try #require(streamed.summary)
        #expect(MessageSummary(messageJSON: try #require(streamed.messageJSON())) == summary)
        #expect(summary == MessageSummary(id: "msg_014p7gG3wDgGV9EUtLvnow3U", model: "claude-opus-5", stopReason: "tool_use", usage: streamed.usage))
    }

    @Test("usage encodes with the API's snake_case keys")
    func usageCoding() throws {
        let usage = Usage(inputTokens: 1, outputTokens: 2, cacheCreationInputTokens: 3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(usage)
        #expect(String(decoding: data, as: UTF8.self) == #"{"cache_creation_input_tokens":3,"input_tokens":1,"output_tokens":2}"#)
        #expect(try JSONDecoder().decode(Usage.self, from: data) == usage)
    }
}

/// A `message_start` for the synthetic streams, which the A2.4 quote leaves out.
private let messageStart = #"""
    event: message_start
    data: {"type":"message_start","message":{"id":"msg_t","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}


    """#

private func assemble(_ events: [SSEEvent]) -> MessageAssembler {
    var assembler = MessageAssembler()
    for event in events {
        assembler.apply(event)
    }
    return assembler
}

private func messageObject(_ assembler: MessageAssembler) throws -> [String: Any] {
    let data = try #require(assembler.messageJSON())
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

private func content(_ message: [String: Any]) -> [[String: Any]] {
    message["content"] as? [[String: Any]] ?? []
}
