import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DevelopmentIssuer {
    /// How many times `/jwks` was served, so tests can check that a verifier rate-limits its refreshes.
    public var jwksFetchCount: Int {
        jwksFetches.withLock { $0 }
    }

    /// Serves `/.well-known/openid-configuration` and `/jwks`; `onServerRunning` receives the bound port.
    /// The discovery document's `jwks_uri` is built from the request's `Host`, so it is right even on port 0.
    public func buildApplication(
        host: String,
        port: Int,
        logger: Logger = Logger(label: "warden.dev-issuer"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/.well-known/openid-configuration") { request, _ in
            let authority = request.head.authority ?? "\(host):\(port)"
            return Self.json(self.discoveryJSON(jwksURI: "http://\(authority)/jwks"))
        }
        router.get("/jwks") { _, _ in
            self.jwksFetches.withLock { $0 += 1 }
            return Self.json(self.jwksJSON())
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "warden-dev-issuer"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }
}
