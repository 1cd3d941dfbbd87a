import Foundation

/// Splits bytes at content-defined positions, so that an edit only changes the chunks around it.
///
/// FastCDC (Xia et al., USENIX ATC 2016) with normalized chunking: a Gear rolling hash, no cut point
/// in the first `minimum` bytes of a chunk, a strict mask until `average` and a loose one after it, and
/// a forced cut at `maximum`. Boundaries depend only on the bytes just before them, so a conversation
/// resent with a turn appended, or with text inserted, splits into mostly the same chunks as before.
public struct ContentChunker: Sendable {
    /// Chunk size bounds in bytes.
    public struct Parameters: Sendable, Equatable {
        /// No cut point is looked for before a chunk has this many bytes, which also skips hashing them.
        public var minimum: Int
        /// The chunk size aimed at; rounded down to a power of two to build the masks.
        public var average: Int
        /// A chunk is cut here when its content offered no cut point.
        public var maximum: Int

        public init(minimum: Int, average: Int, maximum: Int) {
            self.minimum = minimum
            self.average = average
            self.maximum = maximum
        }

        /// 2 KiB / 8 KiB / 64 KiB: a new turn costs a few chunks, and a 500 KB body is about 60 digests.
        public static let standard = Parameters(minimum: 2 * 1024, average: 8 * 1024, maximum: 64 * 1024)
    }

    /// The parameters most bodies should be chunked with, so that their chunks deduplicate against each other.
    public static let standard = Parameters.standard

    /// Per-byte values of the Gear hash, from SplitMix64 with a fixed seed.
    ///
    /// Never change the seed or the generator: boundaries would move, and bodies stored afterwards would
    /// stop sharing chunks with those stored before.
    static let gear: [UInt64] = {
        var state: UInt64 = 0x5741_5244_454E_4344
        return (0..<256).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D1_49BB_133F_4911
            return mixed ^ (mixed >> 31)
        }
    }()

    public let parameters: Parameters
    /// Two more 1-bits than `average` implies: makes a cut before `average` less likely.
    private let strictMask: UInt64
    /// Two fewer 1-bits than `average` implies: makes a cut after `average` more likely.
    private let looseMask: UInt64

    /// - Precondition: `0 < minimum <= average <= maximum` and `average >= 8`.
    public init(_ parameters: Parameters = .standard) {
        precondition(
            parameters.minimum > 0 && parameters.minimum <= parameters.average && parameters.average <= parameters.maximum,
            "ContentChunker needs 0 < minimum <= average <= maximum, got \(parameters)"
        )
        precondition(parameters.average >= 8, "ContentChunker needs average >= 8, got \(parameters.average)")
        self.parameters = parameters
        let averageBits = Int.bitWidth - 1 - parameters.average.leadingZeroBitCount
        strictMask = Self.mask(ones: averageBits + 2)
        looseMask = Self.mask(ones: averageBits - 2)
    }

    /// The top `ones` bits: in a Gear hash the high bits depend on the most recent bytes (up to 64),
    /// so testing them gives the widest effective window.
    private static func mask(ones: Int) -> UInt64 {
        ~0 << UInt64(UInt64.bitWidth - ones)
    }

    /// Chunk boundaries as offsets from the start of `bytes`; the ranges tile it exactly, in order.
    /// Empty input gives no ranges.
    public func boundaries(of bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(bytes.count / parameters.average + 1)
        Self.gear.withUnsafeBufferPointer { gear in
            var start = 0
            while start < bytes.count {
                let end = cutPoint(in: bytes, from: start, gear: gear)
                ranges.append(start..<end)
                start = end
            }
        }
        return ranges
    }

    /// Chunk boundaries as offsets from `data.startIndex`; the ranges tile it exactly, in order.
    public func boundaries(of data: Data) -> [Range<Int>] {
        data.withUnsafeBytes { boundaries(of: $0) }
    }

    /// The end offset of the chunk that starts at `start`.
    @inline(__always)
    private func cutPoint(in bytes: UnsafeRawBufferPointer, from start: Int, gear: UnsafeBufferPointer<UInt64>) -> Int {
        let remaining = bytes.count - start
        if remaining <= parameters.minimum {
            return bytes.count
        }
        let normalEnd = start + min(remaining, parameters.average)
        let end = start + min(remaining, parameters.maximum)
        var hash: UInt64 = 0
        var index = start + parameters.minimum
        while index < normalEnd {
            hash = (hash &<< 1) &+ gear[Int(bytes[index])]
            index += 1
            if hash & strictMask == 0 {
                return index
            }
        }
        while index < end {
            hash = (hash &<< 1) &+ gear[Int(bytes[index])]
            index += 1
            if hash & looseMask == 0 {
                return index
            }
        }
        return end
    }
}
