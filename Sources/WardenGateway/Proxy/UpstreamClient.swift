import AsyncHTTPClient
import NIOCore
import NIOPosix
import WardenCore

/// The HTTP client Warden forwards with: no redirects, no decompression (bytes pass as sent), timeouts sized for
/// LLM calls and a connection pool wide enough for many concurrent streams.
enum UpstreamClient {
    static func make(_ upstream: WardenConfiguration.Upstream) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = .init(connect: .init(upstream.connectTimeout), read: .init(upstream.idleTimeout))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: upstream.maxConnections
        )
        configuration.httpVersion = .automatic
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }
}
