import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOFoundationCompat

/// Thrown from a response body to close the connection mid-response, as a network failure would.
struct SimulatedDisconnect: Error {}

/// `POST /v1/messages` and `POST /v1/messages/count_tokens`.
extension SimulatedUpstream {
    /// Events sent before a scripted mid-stream failure: `message_start`, the first block start, `ping`, one delta.
    private static let eventsBeforeFailure = 4

    func createMessage(body: ByteBuffer, requestID: String) async throws -> Response {
        let request = try MessagesRequest(body: Data(buffer: body))
        let scenario = Scenario(text: request.lastUserText)
        if let error = scenario.immediateError {
            throw error
        }
        let reply = Reply(request: request, scenario: scenario, identifiers: identifiers)
        guard request.stream else {
            if let beforeMessage = hooks.beforeMessage { await beforeMessage() }
            return try nonStreaming(reply, scenario: scenario, requestID: requestID)
        }
        var events = reply.events { configuration.pad ? identifiers.padding() : 0 }
        switch scenario {
        case .errorMidstream:
            events = events.prefix(Self.eventsBeforeFailure) + [.error(.overloaded, requestID: requestID)]
        case .drop:
            events = Array(events.prefix(Self.eventsBeforeFailure))
        default:
            break
        }
        return stream(events, delay: scenario == .slow ? .milliseconds(200) : configuration.eventDelay, drop: scenario == .drop, requestID: requestID)
    }

    func countTokens(body: ByteBuffer, requestID: String) throws -> Response {
        let request = try MessagesRequest(body: Data(buffer: body), requiresMaxTokens: false)
        return json(.object(["input_tokens": .int(request.inputTokens)]), requestID: requestID)
    }

    /// A mid-stream error has no non-streaming form, so it becomes the 529 a client would see at that moment;
    /// a drop sends half of the Message and closes the connection.
    private func nonStreaming(_ reply: Reply, scenario: Scenario, requestID: String) throws -> Response {
        switch scenario {
        case .errorMidstream:
            throw APIError.overloaded
        case .drop:
            let message = reply.message.text
            let half = String(message.prefix(message.count / 2))
            return Response(
                status: .ok,
                headers: headers(requestID: requestID, contentType: "application/json"),
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: half))
                    throw SimulatedDisconnect()
                }
            )
        default:
            return json(reply.message, requestID: requestID)
        }
    }

    /// Writes each event separately (every write is flushed), calling the test hook before each one.
    private func stream(_ events: [ServerSentEvent], delay: Duration, drop: Bool, requestID: String) -> Response {
        let hooks = self.hooks
        let body = ResponseBody { writer in
            for (index, event) in events.enumerated() {
                if index > 0, delay > .zero {
                    try await Task.sleep(for: delay)
                }
                if let beforeEvent = hooks.beforeEvent {
                    await beforeEvent(index)
                }
                try await writer.write(ByteBuffer(string: event.wireText))
            }
            if drop {
                throw SimulatedDisconnect()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers(requestID: requestID, contentType: "text/event-stream; charset=utf-8"), body: body)
    }
}
