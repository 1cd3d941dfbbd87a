/// One HTTP header line as it was on the wire, kept in order and with repeats, so a recording shows exactly what was sent.
public struct HeaderField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// HTTP field names compare without regard to ASCII case; a byte loop, because this runs many times per request.
    public func isNamed(_ other: String) -> Bool {
        let lhs = name.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { a, b in a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A) }
    }
}

extension Array where Element == HeaderField {
    /// The first value of a header, compared case-insensitively as HTTP requires.
    public func first(named name: String) -> String? {
        first { $0.isNamed(name) }?.value
    }
}
