import Crypto
import Foundation
import NIOHTTP1
import Testing
import WardenCore
import WardenSimulator

@Suite struct DevelopmentIssuerTests {
    /// Verifies `token` the way a gateway would: ES256 over `header.payload` with the JWK whose kid matches.
    private func verify(_ token: String, jwks: Data) throws -> (header: JSONValue, claims: JSONValue)? {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3,
            let headerBytes = base64URLDecoded(segments[0]),
            let payloadBytes = base64URLDecoded(segments[1]),
            let signatureBytes = base64URLDecoded(segments[2])
        else { return nil }
        let header = try JSONDecoder().decode(JSONValue.self, from: headerBytes)
        let keys = try JSONDecoder().decode(JSONValue.self, from: jwks)["keys"]?.arrayValue ?? []
        guard let jwk = keys.first(where: { $0["kid"] == header["kid"] }),
            let x = jwk["x"]?.stringValue.flatMap(base64URLDecoded), let y = jwk["y"]?.stringValue.flatMap(base64URLDecoded)
        else { return nil }
        let publicKey = try P256.Signing.PublicKey(rawRepresentation: x + y)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: signatureBytes)
        guard publicKey.isValidSignature(signature, for: Data("\(segments[0]).\(segments[1])".utf8)) else { return nil }
        return (header, try JSONDecoder().decode(JSONValue.self, from: payloadBytes))
    }

    @Test func mintedTokensVerifyAgainstTheJWKS() throws {
        let issuer = DevelopmentIssuer(issuer: "https://warden-dev.invalid")
        let token = issuer.mint(subject: "dev@example.com", audience: "warden", claims: ["groups": ["eng"], "sub": "override"])
        let (header, claims) = try #require(try verify(token, jwks: issuer.jwksJSON()))
        #expect(header == ["alg": "ES256", "typ": "JWT", "kid": .string(issuer.currentKeyID)])
        #expect(claims["iss"] == "https://warden-dev.invalid" && claims["aud"] == "warden")
        #expect(claims["sub"] == "override" && claims["groups"] == ["eng"])
        guard case .number(let iat) = claims["iat"], case .number(let exp) = claims["exp"] else {
            Issue.record("iat and exp must be numbers")
            return
        }
        #expect(exp - iat == 3600 && claims["nbf"] == .number(iat) && claims["jti"]?.stringValue != nil)
        let jwk = try #require(try JSONDecoder().decode(JSONValue.self, from: issuer.jwksJSON())["keys"]?.arrayValue?.first)
        #expect(jwk["kty"] == "EC" && jwk["crv"] == "P-256" && jwk["alg"] == "ES256" && jwk["use"] == "sig")
    }

    @Test func tamperedTokensDoNotVerify() throws {
        let issuer = DevelopmentIssuer(issuer: "https://warden-dev.invalid")
        let token = issuer.mint(subject: "a", audience: "warden")
        let forged = issuer.signRaw(header: Data(#"{"alg":"ES256","kid":"\#(issuer.currentKeyID)"}"#.utf8), payload: Data(#"{"sub":"b"}"#.utf8))
        let spliced = token.split(separator: ".")[0...1].joined(separator: ".") + "." + forged.split(separator: ".")[2]
        #expect(try verify(spliced, jwks: issuer.jwksJSON()) == nil)
        #expect(try verify(forged, jwks: issuer.jwksJSON())?.claims == ["sub": "b"])
    }

    @Test func signRawKeepsTheGivenBytes() throws {
        let issuer = DevelopmentIssuer(issuer: "https://warden-dev.invalid", kid: "fixed")
        let header = Data(#"{"alg":"none","jku":"https://evil.example/jwks"}"#.utf8)
        let token = issuer.signRaw(header: header, payload: Data("{}".utf8))
        #expect(base64URLDecoded(token.split(separator: ".")[0]) == header)
        #expect(!token.contains("="))
        #expect(issuer.currentKeyID == "fixed")
    }

    @Test func defaultKeyIDIsTheRFC7638Thumbprint() throws {
        let key = P256.Signing.PrivateKey()
        let issuer = DevelopmentIssuer(issuer: "https://warden-dev.invalid", key: key)
        let raw = key.publicKey.rawRepresentation
        let encode = { (data: Data) in
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(encode(raw.prefix(32)))","y":"\#(encode(raw.suffix(32)))"}"#
        #expect(issuer.currentKeyID == encode(Data(SHA256.hash(data: Data(canonical.utf8)))))
    }

    @Test func rotationKeepsThePreviousKeyUntilRetired() throws {
        let issuer = DevelopmentIssuer(issuer: "https://warden-dev.invalid")
        let oldKeyID = issuer.currentKeyID
        let oldToken = issuer.mint(subject: "a", audience: "warden")
        let newKeyID = issuer.rotate()
        #expect(newKeyID != oldKeyID && issuer.currentKeyID == newKeyID)
        let newToken = issuer.mint(subject: "a", audience: "warden")
        #expect(try verify(newToken, jwks: issuer.jwksJSON())?.header["kid"] == .string(newKeyID))
        #expect(try verify(oldToken, jwks: issuer.jwksJSON()) != nil)
        #expect(try JSONDecoder().decode(JSONValue.self, from: issuer.jwksJSON())["keys"]?.arrayValue?.count == 2)

        issuer.retire(kid: oldKeyID)
        #expect(try verify(oldToken, jwks: issuer.jwksJSON()) == nil)
        issuer.retire(kid: newKeyID)
        #expect(try verify(newToken, jwks: issuer.jwksJSON()) != nil)
    }

    @Test func keyFileIsSharedAndPrivate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-issuer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("dev-issuer.pem")
        let first = try DevelopmentIssuer.loadOrCreate(issuer: "https://warden-dev.invalid", keyFile: keyFile)
        let second = try DevelopmentIssuer.loadOrCreate(issuer: "https://warden-dev.invalid", keyFile: keyFile)
        #expect(first.currentKeyID == second.currentKeyID)
        #expect(try verify(first.mint(subject: "a", audience: "warden"), jwks: second.jwksJSON()) != nil)
        let permissions = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["dev-issuer.pem"])
    }

    @Test func servesDiscoveryAndCountsJWKSFetches() async throws {
        let issuer = DevelopmentIssuer(issuer: "https://warden-dev.invalid")
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = issuer.buildApplication(host: "127.0.0.1", port: 0, logger: quietLogger) { announce.yield($0) }
        try await withRunning(app, ports: ports) { port in
            let base = "http://127.0.0.1:\(port)"
            let discovery = try await fetch(.GET, base + "/.well-known/openid-configuration", headers: [:])
            #expect(discovery.json?["issuer"] == "https://warden-dev.invalid")
            #expect(discovery.json?["jwks_uri"] == .string(base + "/jwks"))
            #expect(discovery.json?["id_token_signing_alg_values_supported"] == ["ES256"])
            #expect(issuer.jwksFetchCount == 0)
            let jwks = try await fetch(.GET, base + "/jwks", headers: [:])
            _ = try await fetch(.GET, base + "/jwks", headers: [:])
            #expect(issuer.jwksFetchCount == 2)
            #expect(try verify(issuer.mint(subject: "a", audience: "warden"), jwks: Data(jwks.body.utf8)) != nil)
        }
    }
}
