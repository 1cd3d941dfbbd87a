import Foundation

/// Reads typed values out of a ConfigValue tree, expanding `${ENV}` references, collecting every problem
/// with its key path instead of stopping at the first, and flagging keys nobody reads (usually typos).
public final class ConfigReader {
    public private(set) var problems: [ConfigProblem] = []
    private let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func fail(_ path: String, _ message: String) {
        problems.append(ConfigProblem(path: path, message: message))
    }

    /// The entries of a map node; reports keys outside `known`.
    public func map(_ value: ConfigValue?, at path: String, known: Set<String>) -> [String: ConfigValue] {
        switch value {
        case nil, .null?:
            return [:]
        case .map(let entries)?:
            var result: [String: ConfigValue] = [:]
            for entry in entries {
                if !known.contains(entry.key) {
                    fail(join(path, entry.key), "unknown key (expected one of: \(known.sorted().joined(separator: ", ")))")
                } else if result[entry.key] != nil {
                    fail(join(path, entry.key), "key given twice")
                } else {
                    result[entry.key] = entry.value
                }
            }
            return result
        default:
            fail(path, "expected a mapping of keys to values")
            return [:]
        }
    }

    public func string(_ value: ConfigValue?, at path: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .scalar(let text)?: return expand(text, at: path)
        default:
            fail(path, "expected a single value")
            return nil
        }
    }

    public func strings(_ value: ConfigValue?, at path: String) -> [String]? {
        switch value {
        case nil, .null?: return nil
        case .scalar?: return string(value, at: path).map { [$0] }
        case .list(let items)?: return items.enumerated().compactMap { string($0.element, at: "\(path)[\($0.offset)]") }
        default:
            fail(path, "expected a list of values")
            return nil
        }
    }

    public func bool(_ value: ConfigValue?, at path: String) -> Bool? {
        guard let text = string(value, at: path) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(path, "expected true or false, got \"\(text)\"")
            return nil
        }
    }

    public func integer(_ value: ConfigValue?, at path: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(value, at: path) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            fail(path, "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
            return nil
        }
        return number
    }

    /// `90`, `90s`, `500ms`, `5m`, `1h`: plain numbers are seconds.
    public func duration(_ value: ConfigValue?, at path: String) -> Duration? {
        guard let text = string(value, at: path) else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var milliseconds: Double?
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)) {
                milliseconds = number * scale * 1000
                break
            }
        }
        if milliseconds == nil, let seconds = Double(text) { milliseconds = seconds * 1000 }
        // Rounded, not truncated (4.1m is exactly 246000 ms), and bounded (about 30 years) so no value can trap.
        guard let milliseconds, milliseconds.isFinite, milliseconds >= 0, milliseconds < 1e12 else {
            fail(path, "expected a duration such as 30s, 500ms, 5m or 1h, got \"\(text)\"")
            return nil
        }
        return .milliseconds(Int64(milliseconds.rounded()))
    }

    /// `1048576`, `512KB`, `32MB`, `1GiB` (KB/MB/GB are powers of 1000; KiB/MiB/GiB of 1024).
    public func byteSize(_ value: ConfigValue?, at path: String) -> Int? {
        guard let text = string(value, at: path)?.replacingOccurrences(of: " ", with: "") else { return nil }
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
        ]
        var parsed: (number: Int, scale: Int)?
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let number = Int(text.dropLast(suffix.count)) {
                parsed = (number, scale)
                break
            }
        }
        if parsed == nil, let number = Int(text) { parsed = (number, 1) }
        guard let parsed, parsed.number > 0 else {
            fail(path, "expected a size such as 32MB or 1048576, got \"\(text)\"")
            return nil
        }
        let (bytes, overflow) = parsed.number.multipliedReportingOverflow(by: parsed.scale)
        guard !overflow else {
            fail(path, "\(text) is too large")
            return nil
        }
        return bytes
    }

    /// `${NAME}` and `${NAME:-default}`; `$$` is a literal dollar sign.
    func expand(_ text: String, at path: String) -> String? {
        guard text.contains("$") else { return text }
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                output += "$"
                rest = after.dropFirst()
            } else if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
                let reference = after[after.index(after: after.startIndex)..<close]
                let parts = reference.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                if let value = environment[name], !value.isEmpty {
                    output += value
                } else if parts.count == 2 {
                    output += parts[1]
                } else {
                    fail(path, "environment variable \(name) is not set")
                    return nil
                }
                rest = after[after.index(after: close)...]
            } else {
                output += "$"
                rest = after
            }
        }
        return output + rest
    }

    public func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
