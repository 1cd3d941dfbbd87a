import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WardenCore

/// Fetches an issuer's JWKS: from a configured `jwks_uri`, a local file, or OIDC discovery — where the
/// discovery document must name the same issuer (OIDC Discovery §4.3, the mix-up defence).
struct KeyDiscovery: Sendable {
    static let maximumDocumentBytes = 1 << 20

    let httpClient: HTTPClient

    func fetcher(for policy: IssuerPolicy) -> IssuerKeys.Fetch {
        if let file = policy.jwksFile {
            return { try Data(contentsOf: URL(fileURLWithPath: file)) }
        }
        let client = httpClient
        if let uri = policy.jwksURI {
            return { try await Self.get(uri, client) }
        }
        let issuer = policy.issuer
        return {
            let discoveryURL = issuer.trimmingSuffix("/") + "/.well-known/openid-configuration"
            let document = try await Self.get(discoveryURL, client)
            guard let object = try JSONSerialization.jsonObject(with: document) as? [String: Any],
                object["issuer"] as? String == issuer, let jwksURI = object["jwks_uri"] as? String
            else { throw DiscoveryError.invalidDocument(discoveryURL) }
            return try await Self.get(jwksURI, client)
        }
    }

    private static func get(_ url: String, _ client: HTTPClient) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "accept", value: "application/json")
        let response = try await client.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw DiscoveryError.status(url, Int(response.status.code)) }
        return Data(buffer: try await response.body.collect(upTo: maximumDocumentBytes))
    }

    enum DiscoveryError: Error, CustomStringConvertible {
        case invalidDocument(String)
        case status(String, Int)

        var description: String {
            switch self {
            case .invalidDocument(let url): "discovery document at \(url) does not name this issuer or has no jwks_uri"
            case .status(let url, let code): "\(url) answered \(code)"
            }
        }
    }
}
