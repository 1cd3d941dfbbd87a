import NIOCore
import NIOPosix

/// Finds a free loopback port by binding port 0 and releasing it.
enum ServerBootstrapProbe {
    static func bindEphemeral() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
