import WardenCore

/// JSON written member by member: objects keep the order the real API uses (`type` first), so recorders and
/// byte-level tests see the same shapes as on the wire.
struct JSONText: Sendable, Equatable {
    let text: String

    private init(raw: String) {
        self.text = raw
    }

    static let null = JSONText(raw: "null")

    static func string(_ value: String?) -> JSONText {
        value.map { JSONText(raw: quoted($0)) } ?? .null
    }

    static func int(_ value: Int) -> JSONText {
        JSONText(raw: String(value))
    }

    static func bool(_ value: Bool) -> JSONText {
        JSONText(raw: value ? "true" : "false")
    }

    static func array(_ elements: [JSONText]) -> JSONText {
        JSONText(raw: "[" + elements.map(\.text).joined(separator: ",") + "]")
    }

    static func object(_ members: KeyValuePairs<String, JSONText>) -> JSONText {
        object(members.map { ($0.key, $0.value) })
    }

    static func object(_ members: [(String, JSONText)]) -> JSONText {
        JSONText(raw: "{" + members.map { quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}")
    }

    /// Arbitrary JSON, objects with sorted keys so the output is deterministic.
    init(_ value: JSONValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .number(let number): self.init(raw: Self.format(number))
        case .bool(let bool): self = .bool(bool)
        case .array(let elements): self = .array(elements.map(JSONText.init))
        case .object(let members): self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, JSONText($0.value)) })
        case .null: self = .null
        }
    }

    var utf8Count: Int { text.utf8.count }

    private static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }

    private static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSONText: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }
}
