import Foundation
import Testing
import WardenCore

@Suite("Content-defined chunking")
struct ContentChunkerTests {
    /// Small bounds, so that modest inputs give many chunks and hit every bound.
    static let small = ContentChunker.Parameters(minimum: 256, average: 1024, maximum: 4096)

    enum Sample: String, CaseIterable, Sendable {
        case randomStandard, randomSmall, zerosStandard, zerosSmall, conversationStandard, conversationSmall

        var parameters: ContentChunker.Parameters {
            switch self {
            case .randomStandard, .zerosStandard, .conversationStandard: ContentChunker.standard
            case .randomSmall, .zerosSmall, .conversationSmall: ContentChunkerTests.small
            }
        }

        var data: Data {
            switch self {
            case .randomStandard, .randomSmall: randomBytes(1_000_003, seed: 1)
            case .zerosStandard, .zerosSmall: Data(count: 300_001)
            case .conversationStandard, .conversationSmall: conversation(atLeast: 300_000, seed: 2)
            }
        }
    }

    @Test("ranges tile the input and respect the bounds", arguments: Sample.allCases)
    func tilesWithinBounds(sample: Sample) {
        let data = sample.data
        let ranges = ContentChunker(sample.parameters).boundaries(of: data)
        expectWellFormed(ranges, count: data.count, parameters: sample.parameters)
        #expect(ranges.count > 1)
    }

    @Test("empty and tiny inputs")
    func emptyAndTinyInputs() {
        let chunker = ContentChunker(Self.small)
        #expect(chunker.boundaries(of: Data()).isEmpty)
        for count in [1, 2, 255, 256] {
            #expect(chunker.boundaries(of: randomBytes(count, seed: 3)) == [0..<count], "count \(count)")
        }
        for count in [257, 300, 1000, 5000] {
            expectWellFormed(chunker.boundaries(of: randomBytes(count, seed: 3)), count: count, parameters: Self.small)
        }
    }

    @Test("same input gives the same boundaries, however it is held")
    func deterministic() {
        let data = randomBytes(500_000, seed: 4)
        let first = ContentChunker().boundaries(of: data)
        #expect(ContentChunker().boundaries(of: data) == first)
        #expect(data.withUnsafeBytes { ContentChunker().boundaries(of: $0) } == first)
        let slice = (Data(count: 17) + data)[17...]
        #expect(ContentChunker().boundaries(of: slice) == first)
    }

    /// Stored chunks only deduplicate against new ones while the boundaries never change.
    @Test("boundaries are pinned across releases")
    func pinnedBoundaries() {
        let ends = ContentChunker(Self.small).boundaries(of: randomBytes(20_000, seed: 5)).map(\.upperBound)
        #expect(ends == [1563, 2833, 4642, 5785, 6832, 8614, 9646, 10776, 12144, 13434, 14253, 15329, 16598, 16961, 18031, 19142, 20000])
    }

    @Test("inserting in the middle and appending keeps most chunks")
    func shiftResistance() {
        let body = conversation(atLeast: 300_000, seed: 6)
        let middle = body.count / 2
        let edited =
            body[..<middle] + conversation(atLeast: 2048, seed: 7).prefix(2048) + body[middle...]
            + conversation(atLeast: 5120, seed: 8).prefix(5120)
        #expect(edited.count == body.count + 2048 + 5120)

        let original = Set(ChunkedBody(splitting: body).digests)
        let kept = original.intersection(ChunkedBody(splitting: edited).digests)
        let fraction = Double(kept.count) / Double(original.count)
        #expect(original.count >= 20)
        #expect(fraction >= 0.8, "kept \(kept.count) of \(original.count) chunks")
    }

    @Test("resending a growing conversation stores only chunks for the new turn")
    func resentHistory() {
        var generator = SplitMix64(seed: 9)
        let prefix = #"{"model":"claude-sonnet-4-5","max_tokens":8192,"system":"\#(words(6000, using: &generator))","messages":["#
        let suffix = #"],"tools":[{"name":"bash","description":"\#(words(1000, using: &generator))"}],"stream":true}"#
        let parameters = ContentChunker.standard
        var messages = ""
        var stored: Set<Data> = []
        var sentBytes = 0
        var storedBytes = 0
        for turn in 1...20 {
            let newContent = (turn == 1 ? "" : ",") + message(turn, using: &generator)
            messages += newContent
            let body = Data((prefix + messages + suffix).utf8)
            let new = ChunkedBody(splitting: body).chunks.filter { stored.insert($0.digest).inserted }
            let newChunkBytes = new.reduce(0) { $0 + $1.bytes.count }
            sentBytes += body.count
            storedBytes += newChunkBytes
            if turn > 1 {
                let newBytes = newContent.utf8.count
                #expect(new.count <= newBytes / parameters.minimum + 3, "turn \(turn): \(new.count) new chunks for \(newBytes) new bytes")
                // Only the chunk cut across the old end of the messages, the new turn and the suffix may be new.
                #expect(
                    newChunkBytes <= parameters.maximum + newBytes + suffix.utf8.count,
                    "turn \(turn): \(newChunkBytes) new chunk bytes in a body of \(body.count)"
                )
            }
        }
        #expect(storedBytes * 3 < sentBytes, "stored \(storedBytes) of \(sentBytes) bytes sent")
    }

    @Test("average chunk size on random data is near the target", arguments: [ContentChunker.standard, small])
    func averageChunkSize(parameters: ContentChunker.Parameters) {
        let data = randomBytes(4_000_000, seed: 10)
        let ranges = ContentChunker(parameters).boundaries(of: data)
        let mean = Double(data.count) / Double(ranges.count)
        #expect(mean >= 0.5 * Double(parameters.average) && mean <= 2 * Double(parameters.average), "mean \(mean)")
    }

    @Test("a body reassembles byte-exact, repeated chunks stored once")
    func roundTrip() throws {
        let block = randomBytes(100_000, seed: 11)
        let body = conversation(atLeast: 50_000, seed: 12) + block + block + block + randomBytes(777, seed: 13)
        let chunked = ChunkedBody(splitting: body, with: ContentChunker(Self.small))

        #expect(chunked.totalLength == body.count)
        #expect(chunked.chunks.count < chunked.digests.count)
        #expect(chunked.chunks.map(\.digest) == uniqued(chunked.digests))
        #expect(chunked.digests.allSatisfy { $0.count == 32 })

        let store = Dictionary(uniqueKeysWithValues: chunked.chunks.map { ($0.digest, $0.bytes) })
        let listed = try ChunkedBody.digests(fromList: chunked.digestList)
        #expect(listed == chunked.digests)
        #expect(try ChunkedBody.reassemble(digests: listed) { store[$0] } == body)
    }

    @Test("an empty body has no chunks and reassembles empty")
    func emptyBody() throws {
        let chunked = ChunkedBody(splitting: Data())
        #expect(chunked.digests.isEmpty && chunked.chunks.isEmpty && chunked.totalLength == 0)
        #expect(chunked.digestList.isEmpty)
        #expect(try ChunkedBody.reassemble(digests: []) { _ in nil }.isEmpty)
    }

    @Test("a digest list of the wrong length throws")
    func malformedDigestList() throws {
        let list = ChunkedBody(splitting: randomBytes(50_000, seed: 14)).digestList
        #expect(throws: ChunkedBodyError.malformedDigestList(length: list.count - 1)) {
            try ChunkedBody.digests(fromList: list.dropLast())
        }
        let sliced = try ChunkedBody.digests(fromList: (Data(count: 5) + list)[5...])
        #expect(sliced == (try ChunkedBody.digests(fromList: list)))
    }

    @Test("a missing chunk throws")
    func missingChunk() {
        let chunked = ChunkedBody(splitting: randomBytes(200_000, seed: 15), with: ContentChunker(Self.small))
        let missing = chunked.digests[chunked.digests.count / 2]
        let store = Dictionary(uniqueKeysWithValues: chunked.chunks.map { ($0.digest, $0.bytes) })
        #expect(throws: ChunkedBodyError.missingChunk(digest: missing)) {
            try ChunkedBody.reassemble(digests: chunked.digests) { $0 == missing ? nil : store[$0] }
        }
    }

    @Test("a corrupted chunk throws")
    func corruptChunk() {
        let chunked = ChunkedBody(splitting: randomBytes(200_000, seed: 16), with: ContentChunker(Self.small))
        var store = Dictionary(uniqueKeysWithValues: chunked.chunks.map { ($0.digest, $0.bytes) })
        let corrupted = chunked.digests[chunked.digests.count / 2]
        store[corrupted]![10] ^= 0x01
        #expect(throws: ChunkedBodyError.corruptChunk(digest: corrupted)) {
            try ChunkedBody.reassemble(digests: chunked.digests) { store[$0] }
        }
    }

    /// Prints throughput for a look in release builds; asserts nothing about speed.
    @Test("throughput")
    func throughput() {
        let data = randomBytes(16 << 20, seed: 17)
        let chunker = ContentChunker()
        let clock = ContinuousClock()
        var chunkCount = 0
        let chunking = clock.measure {
            for _ in 0..<4 {
                chunkCount += chunker.boundaries(of: data).count
            }
        }
        let splitting = clock.measure {
            for _ in 0..<4 {
                chunkCount += ChunkedBody(splitting: data, with: chunker).digests.count
            }
        }
        #expect(chunkCount > 0)
        let megabytes = 4 * Double(data.count) / 1_000_000
        print("ContentChunker: \(Int(megabytes / seconds(chunking))) MB/s boundaries, \(Int(megabytes / seconds(splitting))) MB/s with SHA-256")
    }
}

private func expectWellFormed(
    _ ranges: [Range<Int>],
    count: Int,
    parameters: ContentChunker.Parameters,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(ranges.first?.lowerBound ?? 0 == 0, sourceLocation: sourceLocation)
    #expect(ranges.last?.upperBound ?? 0 == count, sourceLocation: sourceLocation)
    for (range, next) in zip(ranges, ranges.dropFirst()) {
        #expect(range.upperBound == next.lowerBound, "gap or overlap at \(range)", sourceLocation: sourceLocation)
    }
    for (index, range) in ranges.enumerated() {
        #expect(range.count <= parameters.maximum, "\(range) exceeds maximum", sourceLocation: sourceLocation)
        if index < ranges.count - 1 {
            #expect(range.count >= parameters.minimum, "\(range) below minimum", sourceLocation: sourceLocation)
        } else {
            #expect(!range.isEmpty, sourceLocation: sourceLocation)
        }
    }
}

private func uniqued(_ digests: [Data]) -> [Data] {
    var seen: Set<Data> = []
    return digests.filter { seen.insert($0).inserted }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// A seeded generator, so that every test input is the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D1_49BB_133F_4911
        return mixed ^ (mixed >> 31)
    }
}

private func randomBytes(_ count: Int, seed: UInt64) -> Data {
    var generator = SplitMix64(seed: seed)
    var data = Data(count: count)
    data.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < count {
            withUnsafeBytes(of: generator.next()) { word in
                let length = min(word.count, count - offset)
                buffer[offset..<offset + length].copyBytes(from: word.prefix(length))
            }
            offset += 8
        }
    }
    return data
}

private let vocabulary = [
    "the", "a", "file", "function", "error:", "let", "var", "return", "import", "struct", "Sources/App/main.swift",
    "\\n", "\\\"", "{", "}", "(", ")", "=", "==", "test", "passed", "failed", "build", "swift", "request", "response",
    "chunk", "digest", "store", "body", "I'll", "fix", "the", "bug", "in", "line", "42", "0x1F", "TODO", "done",
    "tool_use", "tool_result", "content", "id", "toolu_01", "diff", "--git", "+", "-", "@@", "func", "if", "else",
]

private func words(_ count: Int, using generator: inout SplitMix64) -> String {
    (0..<count).map { _ in vocabulary.randomElement(using: &generator)! }.joined(separator: " ")
}

/// One JSON-encoded message of a Claude API conversation, a few KB of text.
private func message(_ index: Int, using generator: inout SplitMix64) -> String {
    let role = index.isMultiple(of: 2) ? "assistant" : "user"
    let text = words(Int.random(in: 300...1500, using: &generator), using: &generator)
    return #"{"role":"\#(role)","content":[{"type":"text","text":"\#(text)"}]}"#
}

/// A JSON-like Claude API request body of at least `count` bytes.
private func conversation(atLeast count: Int, seed: UInt64) -> Data {
    var generator = SplitMix64(seed: seed)
    var body = #"{"model":"claude-sonnet-4-5","max_tokens":8192,"messages":["#
    var index = 0
    while body.utf8.count < count {
        index += 1
        body += (index == 1 ? "" : ",") + message(index, using: &generator)
    }
    return Data((body + "]}").utf8)
}
