import Foundation

/// A time-ordered identifier (ULID layout: 48-bit milliseconds, 80 random bits, Crockford base32),
/// so exchanges sort by arrival in every store and in exports without a second column.
public struct ExchangeID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public init(date: Date = Date()) {
        var generator = SystemRandomNumberGenerator()
        self.init(milliseconds: UInt64(max(0, date.timeIntervalSince1970 * 1000)), random: generator.next(), generator.next())
    }

    init(milliseconds: UInt64, random high: UInt64, _ low: UInt64) {
        // 128 bits: 48 time bits then 80 random bits, written as 26 base32 digits (the first carries 3 bits).
        let upper = (milliseconds << 16) | (high & 0xFFFF)
        let lower = low
        var digits = [UInt8](repeating: 0, count: 26)
        var hi = upper
        var lo = lower
        for index in stride(from: 25, through: 0, by: -1) {
            digits[index] = Self.alphabet[Int(lo & 31)]
            lo = (lo >> 5) | ((hi & 31) << 59)
            hi >>= 5
        }
        self.rawValue = String(decoding: digits, as: UTF8.self)
    }

    /// Accepts a ULID in any letter case; returns nil for anything else, so ids from users are checked before use.
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard upper.utf8.count == 26, upper.utf8.allSatisfy({ Self.alphabet.contains($0) }), let first = upper.utf8.first,
            first <= UInt8(ascii: "7")
        else { return nil }
        self.rawValue = upper
    }

    /// Milliseconds since 1970 encoded in the first ten digits.
    public var milliseconds: UInt64 {
        var value: UInt64 = 0
        for byte in rawValue.utf8.prefix(10) {
            value = value << 5 | UInt64(Self.alphabet.firstIndex(of: byte)!)
        }
        return value
    }

    public var description: String { rawValue }

    public static func < (lhs: ExchangeID, rhs: ExchangeID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ExchangeID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an exchange id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
