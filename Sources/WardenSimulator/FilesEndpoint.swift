import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOFoundationCompat

/// A file uploaded through the Files API, kept in memory.
struct StoredFile: Identifiable, Sendable {
    var id: String
    var filename: String
    var mimeType: String
    var content: Data
    var createdAt: Date

    var json: JSONText {
        .object([
            "id": .string(id),
            "type": "file",
            "filename": .string(filename),
            "mime_type": .string(mimeType),
            "size_bytes": .int(content.count),
            "created_at": .string(createdAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "downloadable": true,
        ])
    }
}

/// `/v1/files`: upload (multipart field `file`), list, metadata, content and delete.
extension SimulatedUpstream {
    func uploadFile(body: ByteBuffer, contentType: String?, requestID: String) throws -> Response {
        guard let form = MultipartForm(body: Data(buffer: body), contentType: contentType ?? "") else {
            throw APIError.invalidRequest("Request must be multipart/form-data with a boundary")
        }
        guard let part = form.parts.first(where: { $0.name == "file" }) else { throw APIError.invalidRequest("file: Field required") }
        let file = StoredFile(
            id: identifiers.make("file"),
            filename: part.filename ?? "file",
            mimeType: part.contentType ?? "application/octet-stream",
            content: part.content,
            createdAt: .now
        )
        files.insert(file)
        return json(file.json, requestID: requestID)
    }

    func listFiles(query: URI, requestID: String) throws -> Response {
        json(try Page(files.all, id: \.id, query: query, render: \.json).json, requestID: requestID)
    }

    func getFile(_ id: String, requestID: String) throws -> Response {
        guard let file = files.find(id) else { throw APIError.notFound }
        return json(file.json, requestID: requestID)
    }

    func fileContent(_ id: String, requestID: String) throws -> Response {
        guard let file = files.find(id) else { throw APIError.notFound }
        return Response(
            status: .ok,
            headers: headers(requestID: requestID, contentType: file.mimeType),
            body: ResponseBody(byteBuffer: ByteBuffer(data: file.content))
        )
    }

    func deleteFile(_ id: String, requestID: String) throws -> Response {
        guard files.remove(id) != nil else { throw APIError.notFound }
        return json(.object(["id": .string(id), "type": "file_deleted"]), requestID: requestID)
    }
}
