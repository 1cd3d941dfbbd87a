import CompressNIO
import Foundation
import NIOCore
import WardenCore

/// Inflates a compressed request body for inspection and recording; the compressed bytes are what goes upstream.
enum RequestBodyDecoding {
    static func decoded(_ body: ByteBuffer, encoding: String?, limit: Int) throws(AnthropicError) -> ByteBuffer {
        guard let encoding = encoding?.lowercased().trimmingHTTPWhitespace, !encoding.isEmpty, encoding != "identity" else {
            return body
        }
        let algorithm: CompressionAlgorithm
        switch encoding {
        case "gzip", "x-gzip": algorithm = .gzip()
        case "deflate": algorithm = .zlib()
        default: throw .invalidRequest("Warden cannot read a request body with Content-Encoding \(encoding.prefix(32))")
        }
        var input = body
        do {
            return try input.decompress(with: algorithm, maxSize: limit)
        } catch {
            throw .invalidRequest("the \(encoding) request body could not be inflated within \(limit) bytes")
        }
    }
}
