import Testing
import WardenCore

@Suite("Proxy routes: only the Anthropic API surface is served")
struct ProxyRouteTests {
    @Test(
        "every route in the table maps",
        arguments: [
            ("HEAD", "/", ProxyRoute.probe),
            ("GET", "/", .probe),
            ("GET", "/healthz", .health),
            ("GET", "/readyz", .ready),
            ("POST", "/v1/messages", .messages),
            ("POST", "/v1/messages/count_tokens", .countTokens),
            ("GET", "/v1/models", .models),
            ("GET", "/v1/models/claude-sonnet-4-5-20250929", .models),
            ("GET", "/v1/messages/batches", .batches),
            ("POST", "/v1/messages/batches", .batches),
            ("GET", "/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", .batches),
            ("DELETE", "/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", .batches),
            ("POST", "/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d/cancel", .batches),
            ("GET", "/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d/results", .batchResults),
            ("GET", "/v1/files", .files),
            ("POST", "/v1/files", .files),
            ("GET", "/v1/files/file_011CNha8iCJcU1wXNR6q4V8w", .files),
            ("DELETE", "/v1/files/file_011CNha8iCJcU1wXNR6q4V8w", .files),
            ("GET", "/v1/files/file_011CNha8iCJcU1wXNR6q4V8w/content", .files),
        ]
    )
    func mapped(method: String, path: String, route: ProxyRoute) {
        #expect(ProxyRoute(method: method, path: path) == route)
    }

    @Test(
        "a known path with the wrong method is nil",
        arguments: [
            ("GET", "/v1/messages"),
            ("PUT", "/v1/messages"),
            ("post", "/v1/messages"),
            ("GET", "/v1/messages/count_tokens"),
            ("POST", "/v1/models"),
            ("DELETE", "/v1/models/claude-sonnet-4-5"),
            ("PUT", "/v1/messages/batches"),
            ("POST", "/v1/messages/batches/msgbatch_1"),
            ("GET", "/v1/messages/batches/msgbatch_1/cancel"),
            ("POST", "/v1/messages/batches/msgbatch_1/results"),
            ("PATCH", "/v1/files/file_1"),
            ("POST", "/v1/files/file_1/content"),
            ("POST", "/healthz"),
            ("HEAD", "/readyz"),
            ("DELETE", "/"),
            ("OPTIONS", "/v1/messages"),
        ]
    )
    func wrongMethod(method: String, path: String) {
        #expect(ProxyRoute(method: method, path: path) == nil)
    }

    @Test(
        "unknown paths are nil",
        arguments: [
            "/v1/complete", "/v1/messages/", "/v1/messages//", "/v2/messages", "/v1/Messages", "//v1/messages", "/v1/messages?beta=true",
            "/v1/models/claude/extra", "/v1/messages/batches/msgbatch_1/results/extra", "/v1/files/file_1/content/x",
            "/v1/organizations/me", "/v1/messages/batches/msgbatch_1/", "/healthz/", "/admin", "/v1", "/v1/",
            "/v1/messages/count_tokens/x", "/v1/models/", "/v1/files/", "/v1/messages/batches/",
        ]
    )
    func unknownPath(path: String) {
        for method in ["GET", "POST", "DELETE", "HEAD"] {
            #expect(ProxyRoute(method: method, path: path) == nil, "\(method) \(path)")
        }
    }

    @Test(
        "ids that could traverse or smuggle are refused",
        arguments: [
            "/v1/models/..", "/v1/models/a..b", "/v1/files/../content", "/v1/messages/batches/../results", "/v1/files/%2e%2e",
            "/v1/models/claude%2Fsonnet", "/v1/models/a b", "/v1/models/ünïcode", "/v1/files/file_1;x", "/v1/models/a?b",
            "/v1/files/file\u{0}1", "/v1/models/\(String(repeating: "m", count: 257))",
        ]
    )
    func hostileIDs(path: String) {
        for method in ["GET", "POST", "DELETE"] {
            #expect(ProxyRoute(method: method, path: path) == nil, "\(method) \(path)")
        }
        #expect(ProxyRoute(method: "GET", path: path + "/content") == nil)
        #expect(ProxyRoute(method: "GET", path: path + "/results") == nil)
    }

    @Test("ids of letters, digits and -_.:@ up to 256 bytes are accepted")
    func acceptedIDs() {
        #expect(ProxyRoute(method: "GET", path: "/v1/models/claude-3.5-sonnet:beta@2024_10") == .models)
        #expect(ProxyRoute(method: "GET", path: "/v1/models/\(String(repeating: "m", count: 256))") == .models)
        #expect(ProxyRoute(method: "GET", path: "/v1/files/count_tokens/content") == .files)
        // `count_tokens` follows `messages`, which takes no id: it is its own route, never an id.
        #expect(ProxyRoute(method: "GET", path: "/v1/messages/count_tokens") == nil)
    }

    @Test("only API routes are forwarded upstream")
    func forwarded() {
        let local: [ProxyRoute] = [.probe, .health, .ready]
        let upstream: [ProxyRoute] = [.messages, .countTokens, .models, .batches, .batchResults, .files]
        #expect(local.allSatisfy { !$0.isForwarded })
        #expect(upstream.allSatisfy { $0.isForwarded })
    }
}

@Suite("ProxyRoute: dot segments")
struct ProxyRouteDotSegmentTests {
    @Test("a path parameter of . or .. never reaches a route", arguments: ["/v1/messages/batches/./results", "/v1/files/./content", "/v1/models/.."])
    func dotSegments(path: String) {
        #expect(ProxyRoute(method: "GET", path: path) == nil)
    }
}
