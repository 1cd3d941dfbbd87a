import Foundation

/// Validation rules for personal-data candidates.
public enum PersonalData {
    /// IBAN lengths by ISO country code.
    public static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
        "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
        "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
        "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
        "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19,
        "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]

    /// For an IBAN candidate (compact or grouped by single spaces), the byte length of the valid IBAN at its start,
    /// or nil. Trailing characters beyond the country's length are allowed only after a group separator.
    public static func ibanLength(_ candidate: String) -> Int? {
        let bytes = Array(candidate.utf8)
        guard bytes.count >= 4, let expected = ibanLengths[String(decoding: bytes[0..<2], as: UTF8.self)] else { return nil }
        var compact: [UInt8] = []
        var end = 0
        for (index, byte) in bytes.enumerated() where byte != UInt8(ascii: " ") {
            compact.append(byte)
            if compact.count == expected {
                end = index + 1
                break
            }
        }
        guard compact.count == expected else { return nil }
        if end < bytes.count, bytes[end] != UInt8(ascii: " ") { return nil }
        guard Checksums.ibanMod97(String(decoding: compact, as: UTF8.self)) else { return nil }
        return end
    }

    /// Known IIN ranges and lengths plus Luhn; separators must be consistent (only spaces or only dashes).
    public static func isPaymentCard(_ candidate: String) -> Bool {
        let bytes = Array(candidate.utf8)
        let hasSpace = bytes.contains(UInt8(ascii: " "))
        let hasDash = bytes.contains(UInt8(ascii: "-"))
        if hasSpace && hasDash { return false }
        let digits = bytes.filter { $0 >= 0x30 && $0 <= 0x39 }.map { Int($0 - 0x30) }
        if hasSpace || hasDash {
            let groups = candidate.split(whereSeparator: { $0 == " " || $0 == "-" }).map(\.count)
            let valid: [[Int]] = [[4, 4, 4, 4], [4, 6, 5], [4, 6, 4], [4, 4, 4, 4, 3], [4, 4, 4, 4, 2], [4, 4, 4, 4, 1], [4, 4, 4, 3]]
            guard valid.contains(groups) else { return false }
        }
        guard (13...19).contains(digits.count), Set(digits).count > 2 else { return false }
        func prefix(_ n: Int) -> Int { digits.prefix(n).reduce(0) { $0 * 10 + $1 } }
        let length = digits.count
        let known =
            (prefix(1) == 4 && [13, 16, 19].contains(length))  // Visa
            || ((51...55).contains(prefix(2)) && length == 16) || ((2221...2720).contains(prefix(4)) && length == 16)  // Mastercard
            || ([34, 37].contains(prefix(2)) && length == 15)  // American Express
            || ((prefix(4) == 6011 || (644...649).contains(prefix(3)) || prefix(2) == 65) && (16...19).contains(length))  // Discover
            || ((3528...3589).contains(prefix(4)) && (16...19).contains(length))  // JCB
            || (((300...305).contains(prefix(3)) || [36, 38, 39].contains(prefix(2))) && (14...19).contains(length))  // Diners
            || (prefix(2) == 62 && (16...19).contains(length))  // UnionPay
        return known && Checksums.luhn(digits) && !testCardNumbers.contains(digits.map(String.init).joined())
    }

    /// Card numbers published by payment processors for testing; they belong to nobody.
    public static let testCardNumbers: Set<String> = [
        "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556", "5555555555554444",
        "5105105105105100", "5200828282828210", "378282246310005", "371449635398431", "6011111111111117",
        "6011000990139424", "3530111333300000", "3566002020360505", "30569309025904", "38520000023237",
    ]

    /// Well-known numbers published in advertising or documentation, never anyone's SSN.
    public static let publishedSSNs: Set<String> = ["078-05-1120", "219-09-9999", "123-45-6789", "457-55-5462"]

    /// `AAA-GG-SSSS` under the SSA's assignment rules.
    public static func isUSSSN(_ candidate: String) -> Bool {
        let parts = candidate.split(separator: "-")
        guard parts.count == 3, let area = Int(parts[0]), let group = Int(parts[1]), let serial = Int(parts[2]) else { return false }
        guard parts[0].count == 3, parts[1].count == 2, parts[2].count == 4 else { return false }
        if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 { return false }
        if publishedSSNs.contains(candidate) { return false }
        let digits = candidate.filter(\.isNumber)
        return Set(digits).count > 1
    }

    /// Digit count and separator sanity for a phone candidate.
    public static func isPhoneNumber(_ candidate: String) -> Bool {
        let digits = candidate.filter(\.isNumber)
        let international = candidate.hasPrefix("+")
        guard (international ? 8...15 : 9...12).contains(digits.count) else { return false }
        // Reject repeated separators (`1..2`, `3--4`) and parentheses that are not balanced.
        var previousWasSeparator = false
        var depth = 0
        if candidate.utf8.count == 11, candidate.split(separator: "-").map(\.count) == [3, 2, 4] { return false }  // SSN-shaped
        for character in candidate where character != "+" {
            switch character {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return false }
            case " ", ".", "-":
                if previousWasSeparator { return false }
                previousWasSeparator = true
                continue
            default: break
            }
            previousWasSeparator = false
        }
        guard depth == 0 else { return false }
        // Dotted-quad-like numbers (IP addresses, versions) use dots everywhere: require some other evidence.
        let dots = candidate.filter { $0 == "." }.count
        if dots >= 3 && !international { return false }
        return Set(digits).count > 2
    }

    /// Whether the `@` match starting at `start` is the user-info part of a URL (`scheme://user:password@host`,
    /// `https://token@host`) rather than an address; `mailto:` is still an address.
    static func isURLUserInfo(_ text: [UInt8], before start: Int) -> Bool {
        guard start > 0 else { return false }
        let previous = text[start - 1]
        if previous == UInt8(ascii: "/") { return true }
        guard previous == UInt8(ascii: ":") else { return false }
        return !(start >= 7 && String(decoding: text[(start - 7)..<(start - 1)], as: UTF8.self).lowercased() == "mailto")
    }

    static let reservedDomains: Set<String> = ["example.com", "example.net", "example.org"]
    static let reservedSuffixes = [".example", ".test", ".invalid", ".localhost", ".local"]
    static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "ts", "css", "html", "json", "swift", "py", "md", "txt",
    ]

    /// Whether an e-mail domain can belong to a real person (not reserved for documentation, not a file name).
    public static func isPersonalEmailDomain(_ domain: String) -> Bool {
        let lowered = domain.lowercased()
        if reservedDomains.contains(lowered) || reservedDomains.contains(where: { lowered.hasSuffix("." + $0) }) { return false }
        if reservedSuffixes.contains(where: { lowered.hasSuffix($0) }) || lowered == "localhost" { return false }
        if lowered.hasSuffix(".gserviceaccount.com") { return false }  // Google service accounts are not people
        if let tld = lowered.split(separator: ".").last, fileExtensions.contains(String(tld)) { return false }
        return true
    }
}
