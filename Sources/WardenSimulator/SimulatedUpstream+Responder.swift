import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOFoundationCompat

extension SimulatedUpstream: HTTPResponder {
    /// Records the request, then answers like the API: credentials first, then `anthropic-version`, then the route.
    public func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let requestID = identifiers.make("req")
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodySize)
        } catch {
            record(request, body: Data())
            return errorResponse(.tooLarge, requestID: requestID)
        }
        record(request, body: Data(buffer: body))
        do {
            try authenticate(request.headers)
            try checkVersion(request.headers)
            let decoded = try decode(body, encoding: request.headers[.contentEncoding])
            guard let route = UpstreamRoute(method: request.method, path: request.uri.path) else { throw APIError.notFound }
            return try await handle(route, request: request, body: decoded, requestID: requestID)
        } catch let error as APIError {
            return errorResponse(error, requestID: requestID)
        }
    }

    private func handle(_ route: UpstreamRoute, request: Request, body: ByteBuffer, requestID: String) async throws -> Response {
        switch route {
        case .createMessage: try await createMessage(body: body, requestID: requestID)
        case .countTokens: try countTokens(body: body, requestID: requestID)
        case .listModels: try listModels(query: request.uri, requestID: requestID)
        case .getModel(let id): try getModel(id, requestID: requestID)
        case .createBatch: try createBatch(body: body, requestID: requestID)
        case .listBatches: try listBatches(query: request.uri, requestID: requestID)
        case .getBatch(let id): try getBatch(id, requestID: requestID)
        case .cancelBatch(let id): try getBatch(id, requestID: requestID)
        case .deleteBatch(let id): try deleteBatch(id, requestID: requestID)
        case .batchResults(let id): try batchResults(id, requestID: requestID)
        case .uploadFile: try uploadFile(body: body, contentType: request.headers[.contentType], requestID: requestID)
        case .listFiles: try listFiles(query: request.uri, requestID: requestID)
        case .getFile(let id): try getFile(id, requestID: requestID)
        case .fileContent(let id): try fileContent(id, requestID: requestID)
        case .deleteFile(let id): try deleteFile(id, requestID: requestID)
        }
    }

    private func record(_ request: Request, body: Data) {
        recorder.append(
            RecordedRequest(
                method: request.method.rawValue,
                uri: request.uri.description,
                headers: request.headers.map { RecordedRequest.Header(name: $0.name.rawName, value: $0.value) },
                body: body
            )
        )
    }

    /// Accepts the configured key as `x-api-key` (SDK ≤ 1.x, Claude Code) or as a bearer token (SDK ≥ 2.0).
    private func authenticate(_ headers: HTTPFields) throws(APIError) {
        if let key = headers[.xAPIKey] {
            guard key == configuration.apiKey else { throw .authentication("invalid x-api-key") }
        } else if let authorization = headers[.authorization] {
            guard authorization == "Bearer \(configuration.apiKey)" else { throw .authentication("Invalid bearer token") }
        } else {
            throw .authentication("x-api-key header is required")
        }
    }

    /// Inflates gzip and deflate request bodies as the real API does (Claude Code compresses large ones).
    private func decode(_ body: ByteBuffer, encoding: String?) throws(APIError) -> ByteBuffer {
        guard let encoding = encoding?.lowercased(), encoding != "identity" else { return body }
        var input = body
        do {
            switch encoding {
            case "gzip": return try input.decompress(with: .gzip(), maxSize: Self.maximumBodySize)
            case "deflate": return try input.decompress(with: .zlib(), maxSize: Self.maximumBodySize)
            default: throw APIError.invalidRequest("content-encoding \"\(encoding)\" is not supported")
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw .invalidRequest("request body could not be decoded as \(encoding)")
        }
    }

    private func checkVersion(_ headers: HTTPFields) throws(APIError) {
        guard let version = headers[.anthropicVersion] else { throw .invalidRequest("anthropic-version: header is required") }
        guard ["2023-06-01", "2026-10-21"].contains(version) else {
            throw .invalidRequest("anthropic-version: \"\(version)\" is not a valid version")
        }
    }
}
