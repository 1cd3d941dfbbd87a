import Foundation

/// Checksums and structural checks that confirm a regex match is a well-formed credential rather than lookalike text.
public enum SecretValidator: String, Sendable, Codable, CaseIterable {
    /// GitHub classic and npm tokens: the last 6 base62 characters encode the CRC32 of the 30 random characters
    /// between the 4-character prefix and the checksum.
    case githubChecksum = "github-crc32"
    /// A JWT whose header decodes (base64url) to a JSON object with an `alg` member.
    case jwt
    /// The digits of the value pass the Luhn check.
    case luhn
    /// A generic assigned secret: not a URL, path or plain identifier (must contain a digit or a symbol besides
    /// `_ . - / :`), so `password = self.password_field` or `token_url: https://…` are not reported.
    case genericSecret = "generic"

    public func isValid(_ value: String) -> Bool {
        switch self {
        case .githubChecksum: Checksums.isValidGitHubToken(value)
        case .jwt: Checksums.isValidJWT(value)
        case .genericSecret: Checksums.looksLikeAssignedSecret(value)
        case .luhn: Checksums.luhn(value.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }.map { Int($0 - 0x30) })
        }
    }
}

/// Checksum algorithms shared by the secret and personal-data detectors.
public enum Checksums {
    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
        return c
    }

    /// CRC-32 (IEEE 802.3, as zlib's `crc32`).
    public static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static let base62Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `value` in base62 (`0-9A-Za-z`), left-padded with `0` to `width` characters.
    public static func base62(_ value: UInt32, width: Int = 6) -> String {
        var digits: [UInt8] = []
        var v = value
        repeat {
            digits.append(base62Alphabet[Int(v % 62)])
            v /= 62
        } while v > 0
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Checks the CRC32 checksum of a `ghp_`/`gho_`/…/`npm_` token: prefix (4 chars) + 30 random + 6 checksum chars.
    public static func isValidGitHubToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count == 40 else { return false }
        let random = bytes[4..<34]
        let checksum = String(decoding: bytes[34..<40], as: UTF8.self)
        return base62(crc32(random)) == checksum
    }

    static func looksLikeAssignedSecret(_ value: String) -> Bool {
        if value.contains("://") || value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") { return false }
        var hasDigit = false
        var hasSymbol = false
        for byte in value.utf8 {
            switch byte {
            case 0x30...0x39: hasDigit = true
            case 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"):
                break
            default: hasSymbol = true
            }
        }
        return hasDigit || hasSymbol
    }

    /// Luhn (mod 10) over decimal digits, most significant first.
    public static func luhn(_ digits: [Int]) -> Bool {
        guard digits.count >= 2 else { return false }
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// ISO 13616 mod-97 check of a compact (no spaces) upper-case IBAN.
    public static func ibanMod97(_ iban: String) -> Bool {
        let bytes = Array(iban.utf8)
        guard bytes.count >= 5 else { return false }
        let rearranged = bytes[4...] + bytes[..<4]
        var remainder = 0
        for byte in rearranged {
            switch byte {
            case 0x30...0x39: remainder = (remainder * 10 + Int(byte - 0x30)) % 97
            case 0x41...0x5A: remainder = (remainder * 100 + Int(byte - 0x41 + 10)) % 97
            default: return false
            }
        }
        return remainder == 1
    }

    /// Decodes base64url (padding optional).
    public static func base64URLDecode(_ text: Substring) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }

    /// A JWT: three dot-separated base64url parts, the header a JSON object with an `alg` member.
    public static func isValidJWT(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = base64URLDecode(parts[0]),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { return false }
        return object["alg"] is String
    }
}
