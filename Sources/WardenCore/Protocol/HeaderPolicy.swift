import Foundation

/// Which headers cross Warden and which are recorded: everything Anthropic-specific passes untouched,
/// connection-level headers are the hop's own, and credentials never pass or persist.
public enum HeaderPolicy {
    /// The caller's credentials; replaced upstream by Warden's own and never recorded.
    public static let credentials: Set<String> = ["authorization", "x-api-key", "proxy-authorization", "cookie"]

    /// Hop-by-hop headers (RFC 9110 §7.6.1) plus those the HTTP stack recomputes.
    public static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// Headers sent upstream: all but hop-by-hop and credentials. `accept-encoding` is pinned to identity so the
    /// recorded response is the text the client reads.
    public static func upstreamRequestHeaders(from headers: [HeaderField]) -> [HeaderField] {
        let connectionScoped = connectionOptions(headers)
        var forwarded = headers.filter {
            let name = $0.name.lowercased()
            return !credentials.contains(name) && !hopByHop.contains(name) && !connectionScoped.contains(name) && name != "accept-encoding"
        }
        forwarded.append(HeaderField("accept-encoding", "identity"))
        return forwarded
    }

    /// Request headers as recorded: everything the caller sent except its credentials.
    public static func recordedRequestHeaders(from headers: [HeaderField]) -> [HeaderField] {
        headers.filter { !credentials.contains($0.name.lowercased()) }
    }

    /// Response headers passed back to the caller.
    public static func clientResponseHeaders(from headers: [HeaderField]) -> [HeaderField] {
        let connectionScoped = connectionOptions(headers)
        return headers.filter {
            let name = $0.name.lowercased()
            return !hopByHop.contains(name) && !connectionScoped.contains(name)
        }
    }

    /// Headers a `Connection` header names belong to that hop only (RFC 9110 §7.6.1).
    static func connectionOptions(_ headers: [HeaderField]) -> Set<String> {
        var names: Set<String> = []
        for header in headers where header.name.lowercased() == "connection" {
            for option in header.value.split(separator: ",") {
                names.insert(option.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        return names
    }
}
