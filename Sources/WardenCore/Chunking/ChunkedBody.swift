import Crypto
import Foundation

/// A body as the SHA-256 digests of its content-defined chunks, and the distinct chunks to store.
///
/// Coding agents resend the whole conversation in every request; storing each distinct chunk once under
/// its digest keeps the cost of a request close to the size of what is new in it.
public struct ChunkedBody: Sendable, Equatable {
    /// One distinct chunk, to store under its digest.
    public struct Chunk: Sendable, Equatable {
        /// SHA-256 of `bytes`, 32 bytes.
        public var digest: Data
        public var bytes: Data
    }

    /// Every chunk's digest in body order; a chunk that occurs twice is listed twice.
    public var digests: [Data]
    /// The chunks `digests` refers to, each once, in the order first seen.
    public var chunks: [Chunk]
    /// The body's length in bytes.
    public var totalLength: Int

    public init(splitting body: Data, with chunker: ContentChunker = ContentChunker()) {
        var digests: [Data] = []
        var chunks: [Chunk] = []
        var seen: Set<Data> = []
        body.withUnsafeBytes { buffer in
            for range in chunker.boundaries(of: buffer) {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[range])
                let digest = Data(SHA256.hash(data: bytes))
                digests.append(digest)
                if seen.insert(digest).inserted {
                    chunks.append(Chunk(digest: digest, bytes: Data(bytes)))
                }
            }
        }
        self.digests = digests
        self.chunks = chunks
        totalLength = body.count
    }

    /// The digests concatenated, so that a body's chunk list is stored as one blob.
    public var digestList: Data {
        var list = Data(capacity: digests.count * SHA256.byteCount)
        for digest in digests {
            list.append(digest)
        }
        return list
    }

    /// Splits a blob made by `digestList` back into digests.
    public static func digests(fromList list: Data) throws -> [Data] {
        guard list.count.isMultiple(of: SHA256.byteCount) else {
            throw ChunkedBodyError.malformedDigestList(length: list.count)
        }
        return stride(from: list.startIndex, to: list.endIndex, by: SHA256.byteCount).map {
            Data(list[$0..<$0 + SHA256.byteCount])
        }
    }

    /// Rebuilds a body byte-exact from its digests, checking every chunk against its digest so that
    /// corrupted storage fails loudly instead of yielding a wrong body.
    public static func reassemble(digests: [Data], lookup: (Data) throws -> Data?) throws -> Data {
        var body = Data()
        for digest in digests {
            guard let chunk = try lookup(digest) else {
                throw ChunkedBodyError.missingChunk(digest: digest)
            }
            guard SHA256.hash(data: chunk) == digest else {
                throw ChunkedBodyError.corruptChunk(digest: digest)
            }
            body.append(chunk)
        }
        return body
    }
}

/// Why a chunked body cannot be read back.
public enum ChunkedBodyError: Error, Equatable, Sendable {
    /// A digest list whose length is not a multiple of 32 bytes: truncated, or not a digest list.
    case malformedDigestList(length: Int)
    /// The chunk store has no chunk under this digest.
    case missingChunk(digest: Data)
    /// The chunk stored under this digest has another SHA-256: the storage is corrupted.
    case corruptChunk(digest: Data)
}
