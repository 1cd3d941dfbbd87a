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

extension Substring {
    /// Without the spaces and tabs HTTP allows around a field value. Foundation's `trimmingCharacters(in:)` bridges
    /// through NSString, which showed in profiles of the request path; this runs on every request.
    public var trimmingHTTPWhitespace: String {
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = utf8.firstIndex(where: { !isBlank($0) }), let last = utf8.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }
}

extension String {
    /// Without the spaces and tabs HTTP allows around a field value.
    public var trimmingHTTPWhitespace: String { self[...].trimmingHTTPWhitespace }
}
