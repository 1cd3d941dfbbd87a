import Foundation
import Testing
import WardenCore

@Suite("Batch results_url rewriting")
struct BatchURLRewriterTests {
    static let upstreamURL = "https://api.anthropic.com/v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF/results"
    static let wardenURL = "https://claude-gw.example.com/v1/messages/batches/msgbatch_013Zva2CMHLNnXjNJJKqJ2EF/results"

    /// A batch as the API returns it, with unusual but valid spacing, key order and escapes that must survive.
    static let batch = """
        {
          "id": "msgbatch_013Zva2CMHLNnXjNJJKqJ2EF",
          "type": "message_batch",
          "processing_status": "ended",
          "request_counts": {"processing": 0, "succeeded": 100, "errored": 0, "canceled": 0, "expired": 0},
          "ended_at":"2024-08-20T18:37:24.100435Z" ,
          "note": "caf\\u00e9 ☕ \\"quoted\\" \\/slash",
          "results_url":   "\(upstreamURL)",
          "created_at": "2024-08-20T18:37:24.100435Z"
        }

        """

    @Test("a single batch: results_url points at Warden and every other byte is unchanged")
    func singleBatch() throws {
        let original = Data(Self.batch.utf8)
        let rewritten = try #require(BatchURLRewriter.rewrite(original, publicBaseURL: "https://claude-gw.example.com"))
        let text = String(decoding: rewritten, as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: rewritten) as? [String: Any])
        #expect(object["results_url"] as? String == Self.wardenURL)
        #expect(!text.contains("api.anthropic.com"))
        #expect(Data(text.replacingOccurrences(of: Self.wardenURL, with: Self.upstreamURL).utf8) == original)
    }

    @Test("a list page: every results_url is rewritten, null ones stay null, other bytes unchanged")
    func listPage() throws {
        let first = "https://api.anthropic.com/v1/messages/batches/msgbatch_01/results"
        let second = "https://api.anthropic.com/v1/messages/batches/msgbatch_02/results"
        let page = """
            {"data":[{"id":"msgbatch_01","results_url":"\(first)","processing_status":"ended"},\
            {"id":"msgbatch_03","results_url":null,"processing_status":"in_progress"},\
            {"id":"msgbatch_02","processing_status":"ended","results_url":"\(second)"}],\
            "has_more":true,"first_id":"msgbatch_01","last_id":"msgbatch_02"}
            """
        let original = Data(page.utf8)
        let rewritten = try #require(BatchURLRewriter.rewrite(original, publicBaseURL: "http://127.0.0.1:8787/"))
        let object = try #require(try JSONSerialization.jsonObject(with: rewritten) as? [String: Any])
        let data = try #require(object["data"] as? [[String: Any]])
        #expect(data[0]["results_url"] as? String == "http://127.0.0.1:8787/v1/messages/batches/msgbatch_01/results")
        #expect(data[1]["results_url"] is NSNull)
        #expect(data[2]["results_url"] as? String == "http://127.0.0.1:8787/v1/messages/batches/msgbatch_02/results")
        let restored = String(decoding: rewritten, as: UTF8.self)
            .replacingOccurrences(of: "http://127.0.0.1:8787/v1/messages/batches/msgbatch_01/results", with: first)
            .replacingOccurrences(of: "http://127.0.0.1:8787/v1/messages/batches/msgbatch_02/results", with: second)
        #expect(Data(restored.utf8) == original)
    }

    @Test("the query string is kept; a base URL with a path prefix and trailing slashes is joined cleanly")
    func queryAndBase() throws {
        let url = "https://api.anthropic.com/v1/messages/batches/msgbatch_01/results?beta=true&sig=a%2Fb"
        let body = Data(#"{"id":"msgbatch_01","results_url":"\#(url)"}"#.utf8)
        let rewritten = try #require(BatchURLRewriter.rewrite(body, publicBaseURL: "https://gw.example/claude//"))
        #expect(
            String(decoding: rewritten, as: UTF8.self)
                == #"{"id":"msgbatch_01","results_url":"https://gw.example/claude/v1/messages/batches/msgbatch_01/results?beta=true&sig=a%2Fb"}"#
        )
    }

    @Test(
        "nil when there is nothing to rewrite",
        arguments: [
            #"{"id":"msgbatch_01","results_url":null}"#,
            #"{"id":"msgbatch_01","processing_status":"in_progress"}"#,
            #"{"data":[],"has_more":false}"#,
            #"{"results_url":"https://claude-gw.example.com/v1/messages/batches/b/results"}"#,
            #"{"results_url":"https://cdn.example.com/exports/b.jsonl"}"#,
            #"{"results_url":42}"#,
            #"{"custom":{"url":"https://api.anthropic.com/v1/messages/batches/b/results"}}"#,
            "not json https://api.anthropic.com/v1/messages/batches/b/results",
            "",
        ]
    )
    func nothingToRewrite(body: String) {
        #expect(BatchURLRewriter.rewrite(Data(body.utf8), publicBaseURL: "https://claude-gw.example.com") == nil)
    }

    @Test("nested results_url values anywhere in the document are rewritten")
    func nested() throws {
        let body = #"{"wrapper":{"items":[{"results_url":"https://api.anthropic.com/v1/messages/batches/x/results"}]}}"#
        let rewritten = try #require(BatchURLRewriter.rewrite(Data(body.utf8), publicBaseURL: "http://w:1"))
        #expect(String(decoding: rewritten, as: UTF8.self) == #"{"wrapper":{"items":[{"results_url":"http://w:1/v1/messages/batches/x/results"}]}}"#)
    }

    @Test("only batch paths are batch paths")
    func batchPaths() {
        #expect(BatchURLRewriter.isBatchPath("/v1/messages/batches"))
        #expect(BatchURLRewriter.isBatchPath("/v1/messages/batches/msgbatch_01"))
        #expect(BatchURLRewriter.isBatchPath("/v1/messages/batches/msgbatch_01/results"))
        #expect(!BatchURLRewriter.isBatchPath("/v1/messages"))
        #expect(!BatchURLRewriter.isBatchPath("/v1/files"))
    }

    @Test("trimmingSuffix removes any number of trailing suffixes")
    func trimming() {
        #expect("https://x//".trimmingSuffix("/") == "https://x")
        #expect("https://x".trimmingSuffix("/") == "https://x")
        #expect("abab".trimmingSuffix("ab") == "")
        #expect("".trimmingSuffix("/") == "")
    }

    /// JSON may escape `/` as `\/`; the URL must be found in either spelling.
    @Test("a results_url written with escaped slashes is rewritten too")
    func escapedSlashes() throws {
        let body = Data(#"{"id":"b","results_url":"https:\/\/api.anthropic.com\/v1\/messages\/batches\/b\/results"}"#.utf8)
        let rewritten = try #require(BatchURLRewriter.rewrite(body, publicBaseURL: "https://gw.example"))
        let object = try JSONSerialization.jsonObject(with: rewritten) as? [String: Any]
        #expect(object?["results_url"] as? String == "https://gw.example/v1/messages/batches/b/results")
    }
}
