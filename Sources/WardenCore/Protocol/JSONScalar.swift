import Foundation

/// Reads scalars out of `JSONSerialization` results. Foundation hands back numbers and booleans both as NSNumber,
/// and on Linux `1 as? Bool` succeeds, so a claim `"run_attempt": 1` would read as `true` without these checks.
public enum JSONScalar {
    /// A JSON `true`/`false`, and nothing else.
    public static func bool(_ value: Any?) -> Bool? {
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    /// A JSON number (never a boolean).
    public static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// A string, number or boolean as text, the way a claim value is compared and recorded.
    public static func text(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        guard let number = value as? NSNumber else { return nil }
        if isBoolean(number) { return number.boolValue ? "true" : "false" }
        return number.stringValue
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
