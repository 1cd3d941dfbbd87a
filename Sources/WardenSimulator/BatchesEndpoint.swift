import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOFoundationCompat
import WardenCore

/// A Message Batch; the simulator answers every request at creation, so a batch is `ended` at once.
struct StoredBatch: Identifiable, Sendable {
    var id: String
    var createdAt: Date
    var succeeded: Int
    var errored: Int
    /// One JSONL line per request.
    var results: [String]
}

/// `/v1/messages/batches`: create, retrieve, list, cancel, delete and results.
extension SimulatedUpstream {
    func createBatch(body: ByteBuffer, requestID: String) throws -> Response {
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) else {
            throw APIError.invalidRequest("There was an error parsing the body of your request: it is not valid JSON")
        }
        guard let requests = document["requests"]?.arrayValue else { throw APIError.invalidRequest("requests: Field required") }
        guard !requests.isEmpty else { throw APIError.invalidRequest("requests: List should have at least 1 item") }
        var results: [String] = []
        var succeeded = 0
        for (index, item) in requests.enumerated() {
            guard let customID = item["custom_id"]?.stringValue else {
                throw APIError.invalidRequest("requests.\(index).custom_id: Field required")
            }
            guard let params = item["params"] else { throw APIError.invalidRequest("requests.\(index).params: Field required") }
            let result = batchResult(for: params)
            if result.succeeded {
                succeeded += 1
            }
            results.append(JSONText.object(["custom_id": .string(customID), "result": result.json]).text)
        }
        let batch = StoredBatch(
            id: identifiers.make("msgbatch"),
            createdAt: .now,
            succeeded: succeeded,
            errored: requests.count - succeeded,
            results: results
        )
        batches.insert(batch)
        return json(batchJSON(batch), requestID: requestID)
    }

    func listBatches(query: URI, requestID: String) throws -> Response {
        json(try Page(batches.all, id: \.id, query: query, render: batchJSON).json, requestID: requestID)
    }

    /// Retrieve, and cancel too: every batch has already ended, and cancelling an ended batch changes nothing.
    func getBatch(_ id: String, requestID: String) throws -> Response {
        guard let batch = batches.find(id) else { throw APIError.notFound }
        return json(batchJSON(batch), requestID: requestID)
    }

    func deleteBatch(_ id: String, requestID: String) throws -> Response {
        guard batches.remove(id) != nil else { throw APIError.notFound }
        return json(.object(["id": .string(id), "type": "message_batch_deleted"]), requestID: requestID)
    }

    func batchResults(_ id: String, requestID: String) throws -> Response {
        guard let batch = batches.find(id) else { throw APIError.notFound }
        return Response(
            status: .ok,
            headers: headers(requestID: requestID, contentType: "application/x-jsonl"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: batch.results.map { $0 + "\n" }.joined()))
        )
    }

    /// A succeeded result with the Message a non-streaming call would return, or errored as that call would fail.
    private func batchResult(for params: JSONValue) -> (json: JSONText, succeeded: Bool) {
        func errored(_ error: APIError) -> (json: JSONText, succeeded: Bool) {
            (.object(["type": "errored", "error": .object(["type": "error", "error": error.inner])]), false)
        }
        do {
            let request = try MessagesRequest(json: params, byteCount: JSONText(params).utf8Count)
            let scenario = Scenario(text: request.lastUserText)
            if let error = scenario.immediateError {
                return errored(error)
            }
            let reply = Reply(request: request, scenario: scenario, identifiers: identifiers)
            return (.object(["type": "succeeded", "message": reply.message]), true)
        } catch {
            return errored(error)
        }
    }

    /// The MessageBatch object; `results_url` is absolute, as the real API's is.
    private func batchJSON(_ batch: StoredBatch) -> JSONText {
        let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return .object([
            "id": .string(batch.id),
            "type": "message_batch",
            "processing_status": "ended",
            "request_counts": .object([
                "processing": 0,
                "succeeded": .int(batch.succeeded),
                "errored": .int(batch.errored),
                "canceled": 0,
                "expired": 0,
            ]),
            "created_at": .string(batch.createdAt.formatted(timestamp)),
            "expires_at": .string(batch.createdAt.addingTimeInterval(24 * 3600).formatted(timestamp)),
            "ended_at": .string(batch.createdAt.formatted(timestamp)),
            "archived_at": nil,
            "cancel_initiated_at": nil,
            "results_url": .string("\(configuration.publicBaseURL)/v1/messages/batches/\(batch.id)/results"),
        ])
    }
}
