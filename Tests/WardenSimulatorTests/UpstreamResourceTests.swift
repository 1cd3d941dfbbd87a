import Foundation
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator

@Suite struct UpstreamResourceTests {
    @Test func modelsArePagedLikeTheAPI() async throws {
        try await withUpstream { base in
            let all = try #require(try await fetch(.GET, base + "/v1/models").json)
            let ids = try #require(all["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue })
            #expect(ids.count == 3 && ids.allSatisfy { $0.hasPrefix("claude-") })
            #expect(all["has_more"] == false && all["first_id"] == .string(ids[0]) && all["last_id"] == .string(ids[2]))

            let first = try #require(try await fetch(.GET, base + "/v1/models?limit=2").json)
            #expect(first["data"]?.arrayValue?.count == 2 && first["has_more"] == true)
            let rest = try #require(try await fetch(.GET, base + "/v1/models?limit=2&after_id=\(ids[1])").json)
            #expect(rest["data"]?.arrayValue?.map { $0["id"] } == [.string(ids[2])])
            #expect(rest["has_more"] == false)

            #expect(try await fetch(.GET, base + "/v1/models/\(ids[0])").json?["type"] == "model")
            #expect(try await fetch(.GET, base + "/v1/models/claude-nonexistent").status == 404)
        }
    }

    @Test func batchesEndAtOnceWithAnAbsoluteResultsURL() async throws {
        let upstream = SimulatedUpstream(configuration: .init(apiKey: "test-key", publicBaseURL: "https://upstream.example"))
        try await withUpstream(upstream) { base in
            let body = """
                {"requests":[{"custom_id":"a","params":{"model":"claude-test","max_tokens":10,"messages":[{"role":"user","content":"one"}]}},\
                {"custom_id":"b","params":{"model":"claude-test","messages":[{"role":"user","content":"two"}]}}]}
                """
            let created = try await fetch(.POST, base + "/v1/messages/batches", body: body)
            #expect(created.status == 200)
            let batch = try #require(created.json)
            let id = try #require(batch["id"]?.stringValue)
            #expect(id.hasPrefix("msgbatch_"))
            #expect(batch["processing_status"] == "ended")
            #expect(batch["results_url"] == .string("https://upstream.example/v1/messages/batches/\(id)/results"))
            #expect(batch["request_counts"]?["succeeded"] == .number(1) && batch["request_counts"]?["errored"] == .number(1))

            #expect(try await fetch(.GET, base + "/v1/messages/batches/\(id)").json?["id"] == .string(id))
            #expect(try await fetch(.GET, base + "/v1/messages/batches").json?["data"]?.arrayValue?.count == 1)
            #expect(try await fetch(.POST, base + "/v1/messages/batches/\(id)/cancel").json?["results_url"] == batch["results_url"])

            let results = try await fetch(.GET, base + "/v1/messages/batches/\(id)/results")
            let lines = results.body.split(separator: "\n").map { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            #expect(lines.count == 2)
            #expect(lines.first??["custom_id"] == "a" && lines.first??["result"]?["type"] == "succeeded")
            #expect(lines.first??["result"]?["message"]?["type"] == "message")
            #expect(lines.last??["result"]?["error"]?["error"]?["type"] == "invalid_request_error")

            #expect(try await fetch(.DELETE, base + "/v1/messages/batches/\(id)").json?["type"] == "message_batch_deleted")
            #expect(try await fetch(.GET, base + "/v1/messages/batches/\(id)").status == 404)
        }
    }

    @Test func filesRoundTripThroughMultipartUpload() async throws {
        try await withUpstream { base in
            var headers = standardHeaders
            headers["content-type"] = "multipart/form-data; boundary=XyZ"
            let body =
                "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "line one\r\nline two\r\n--XyZ--\r\n"
            let uploaded = try #require(try await fetch(.POST, base + "/v1/files", headers: headers, body: body).json)
            let id = try #require(uploaded["id"]?.stringValue)
            #expect(id.hasPrefix("file_"))
            #expect(uploaded["filename"] == "notes.txt" && uploaded["mime_type"] == "text/plain" && uploaded["size_bytes"] == .number(18))

            #expect(try await fetch(.GET, base + "/v1/files?beta=true").json?["data"]?.arrayValue?.first?["id"] == .string(id))
            #expect(try await fetch(.GET, base + "/v1/files/\(id)").json?["filename"] == "notes.txt")
            let content = try await fetch(.GET, base + "/v1/files/\(id)/content")
            #expect(content.body == "line one\r\nline two")
            #expect(content.headers["content-type"].first == "text/plain")
            #expect(try await fetch(.DELETE, base + "/v1/files/\(id)").json?["type"] == "file_deleted")
            #expect(try await fetch(.GET, base + "/v1/files/\(id)").status == 404)

            headers["content-type"] = "application/json"
            #expect(try await fetch(.POST, base + "/v1/files", headers: headers, body: "{}").status == 400)
        }
    }
}
