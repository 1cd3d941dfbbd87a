import Testing
import WardenCore

@Suite("Header policy: credentials never pass, hop-by-hop headers stay on their hop")
struct HeaderPolicyTests {
    static let credentials = [
        HeaderField("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig"),
        HeaderField("X-Api-Key", "eyJhbGciOiJSUzI1NiJ9.e30.sig"),
        HeaderField("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
        HeaderField("Cookie", "session=abc"),
    ]

    static let hopByHop = [
        HeaderField("Connection", "keep-alive, Upgrade"),
        HeaderField("Keep-Alive", "timeout=5"),
        HeaderField("Proxy-Connection", "keep-alive"),
        HeaderField("TE", "trailers"),
        HeaderField("Trailer", "Expires"),
        HeaderField("Transfer-Encoding", "chunked"),
        HeaderField("Upgrade", "h2c"),
        HeaderField("Host", "warden.internal:8787"),
        HeaderField("Content-Length", "1234"),
    ]

    static let endToEnd = [
        HeaderField("anthropic-version", "2023-06-01"),
        HeaderField("anthropic-beta", "prompt-caching-2024-07-31"),
        HeaderField("Anthropic-Beta", "files-api-2025-04-14"),
        HeaderField("x-stainless-lang", "python"),
        HeaderField("X-Stainless-Retry-Count", "0"),
        HeaderField("content-type", "application/json"),
        HeaderField("user-agent", "claude-cli/2.1.0 (external, cli)"),
        HeaderField("x-claude-code-session-id", "0b8f4c1e"),
        HeaderField("content-encoding", "gzip"),
    ]

    /// Everything interleaved, so order preservation is checked too.
    static var request: [HeaderField] {
        var all: [HeaderField] = []
        for index in 0..<max(credentials.count, hopByHop.count, endToEnd.count) {
            if index < endToEnd.count { all.append(endToEnd[index]) }
            if index < credentials.count { all.append(credentials[index]) }
            if index < hopByHop.count { all.append(hopByHop[index]) }
        }
        all.append(HeaderField("Accept-Encoding", "gzip, br"))
        return all
    }

    @Test("upstream headers: credentials and hop-by-hop dropped, the rest kept in order, accept-encoding pinned to identity")
    func upstream() {
        let forwarded = HeaderPolicy.upstreamRequestHeaders(from: Self.request)
        #expect(forwarded == Self.endToEnd + [HeaderField("accept-encoding", "identity")])
    }

    @Test("upstream headers: accept-encoding is identity even when the caller sent none or several")
    func acceptEncodingPinned() {
        #expect(HeaderPolicy.upstreamRequestHeaders(from: []) == [HeaderField("accept-encoding", "identity")])
        let several = [HeaderField("accept-encoding", "gzip"), HeaderField("ACCEPT-ENCODING", "br"), HeaderField("anthropic-version", "2023-06-01")]
        #expect(
            HeaderPolicy.upstreamRequestHeaders(from: several) == [
                HeaderField("anthropic-version", "2023-06-01"), HeaderField("accept-encoding", "identity"),
            ]
        )
    }

    @Test(
        "credential and hop-by-hop names are matched in any case",
        arguments: ["AUTHORIZATION", "authorization", "x-API-key", "cOOKIE", "HOST", "transfer-ENCODING"]
    )
    func caseInsensitive(name: String) {
        let forwarded = HeaderPolicy.upstreamRequestHeaders(from: [HeaderField(name, "v")])
        #expect(forwarded.map(\.name) == ["accept-encoding"])
    }

    @Test("recorded request headers: only credentials are removed; everything else is recorded as sent")
    func recorded() {
        let recorded = HeaderPolicy.recordedRequestHeaders(from: Self.request)
        let expected = Self.request.filter { header in !Self.credentials.contains(header) }
        #expect(recorded == expected)
        #expect(recorded.count == Self.request.count - Self.credentials.count)
        #expect(recorded.contains(HeaderField("Accept-Encoding", "gzip, br")))
        #expect(!recorded.contains { $0.value.contains("eyJhbGciOiJSUzI1NiJ9") })
    }

    @Test("client response headers: hop-by-hop dropped, API headers kept in order with repeats")
    func clientResponse() {
        let upstream = [
            HeaderField("content-type", "text/event-stream; charset=utf-8"),
            HeaderField("Transfer-Encoding", "chunked"),
            HeaderField("request-id", "req_011CQ"),
            HeaderField("anthropic-ratelimit-requests-remaining", "49"),
            HeaderField("Connection", "keep-alive"),
            HeaderField("set-cookie", "a=1"),
            HeaderField("set-cookie", "b=2"),
            HeaderField("Content-Length", "10"),
            HeaderField("x-should-retry", "false"),
            HeaderField("Keep-Alive", "timeout=5"),
        ]
        #expect(
            HeaderPolicy.clientResponseHeaders(from: upstream) == [
                HeaderField("content-type", "text/event-stream; charset=utf-8"),
                HeaderField("request-id", "req_011CQ"),
                HeaderField("anthropic-ratelimit-requests-remaining", "49"),
                HeaderField("set-cookie", "a=1"),
                HeaderField("set-cookie", "b=2"),
                HeaderField("x-should-retry", "false"),
            ]
        )
    }

    @Test("the documented header sets")
    func sets() {
        #expect(HeaderPolicy.credentials == ["authorization", "x-api-key", "proxy-authorization", "cookie"])
        for name in ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"] {
            #expect(HeaderPolicy.hopByHop.contains(name), "\(name)")
        }
    }
}

@Suite("HeaderPolicy: connection options")
struct ConnectionOptionTests {
    @Test("headers named by Connection are the hop's own and are not forwarded either way")
    func connectionNamedHeadersStay() {
        let headers = [HeaderField("Connection", "keep-alive, X-Hop-Secret"), HeaderField("x-hop-secret", "1"), HeaderField("anthropic-beta", "b")]
        #expect(HeaderPolicy.upstreamRequestHeaders(from: headers).map(\.name) == ["anthropic-beta", "accept-encoding"])
        #expect(HeaderPolicy.clientResponseHeaders(from: headers).map(\.name) == ["anthropic-beta"])
    }
}
