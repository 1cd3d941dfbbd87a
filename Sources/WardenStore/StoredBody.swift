import Crypto
import Foundation
import WardenCore

/// A body split into content-defined chunks, with its digest list and SHA-256. Computed by the caller before a
/// write is queued, so the single writer spends its time committing, not hashing.
struct StoredBody: Sendable {
    var chunks: [ChunkedBody.Chunk]
    var list: Data
    var sha256: String

    init(_ data: Data) {
        let chunked = ChunkedBody(splitting: data)
        chunks = chunked.chunks
        list = chunked.digestList
        sha256 = SHA256.hash(data: data).hexString
    }
}
