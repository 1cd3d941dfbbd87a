import Synchronization

/// Ids, signatures and padding drawn from one seeded counter, so two runs with the same seed and the same
/// requests produce recordings that diff cleanly.
final class Identifiers: Sendable {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    private let generator: Mutex<SplitMix64>

    init(seed: UInt64) {
        self.generator = Mutex(SplitMix64(seed: seed))
    }

    /// An id shaped like the API's, e.g. `msg_01J5gW6Sffiem6avXSAooZZw`.
    func make(_ prefix: String) -> String {
        let suffix = generator.withLock { generator in
            String((0..<22).map { _ in Self.alphabet[Int(generator.next() % UInt64(Self.alphabet.count))] })
        }
        return prefix + "_01" + suffix
    }

    func bytes(_ count: Int) -> [UInt8] {
        generator.withLock { generator in (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
    }

    /// 0–15, the number of spaces the real API pads a data line with.
    func padding() -> Int {
        generator.withLock { Int($0.next() % 16) }
    }
}

/// SplitMix64: a counter stepped by the golden ratio and mixed, which is all the determinism needs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
