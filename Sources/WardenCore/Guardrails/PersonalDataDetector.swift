import Foundation

/// Finds personal data: e-mail addresses, phone numbers, payment card numbers, IBANs and US social security numbers.
///
/// Candidates come from regular expressions, run only on the short stretches cheap byte tests single out (see
/// `PersonalDataCandidates`), and are confirmed with checksums and structural rules:
/// - e-mail: addresses at reserved documentation domains (RFC 2606 / RFC 6761: `example.com|net|org`, `*.example`,
///   `*.test`, `*.invalid`, `*.localhost`) are skipped — they are never someone's address — as are `name@2x.png`-style
///   asset names (the "top-level domain" is a file extension) and `git@host` SSH remotes, URL user-info (`https://user:pw@host`) and Google service-account addresses.
/// - phone: `+` international numbers with 8–15 digits, North American `(415) 555-0132` / `415-555-0132`, and
///   trunk-prefixed national numbers `020 7946 0958` / `06 12 34 56 78`. Separators are required for national
///   formats, so dates, versions, IP addresses and long numeric ids do not match.
/// - payment card: 13–19 digits (optionally grouped by spaces or dashes), a known IIN range for the length, Luhn;
///   processors' published test numbers (4111 1111 1111 1111, 4242…) are skipped.
/// - IBAN: country-specific length and the ISO 13616 mod-97 check.
/// - US SSN: `AAA-GG-SSSS` with area not 000/666/9xx, group not 00, serial not 0000, and well-known published
///   numbers (078-05-1120, 219-09-9999, 123-45-6789) excluded.
public struct PersonalDataDetector: Detector {
    public enum Kind: String, Sendable, CaseIterable {
        case email = "pii-email"
        case phone = "pii-phone"
        case paymentCard = "pii-payment-card"
        case iban = "pii-iban"
        case usSSN = "pii-us-ssn"

        public var severity: Finding.Severity {
            switch self {
            case .email, .phone: .medium
            case .paymentCard, .iban, .usSSN: .high
            }
        }
    }

    public let kinds: Set<Kind>

    public init(kinds: Set<Kind> = Set(Kind.allCases)) { self.kinds = kinds }

    private static func compile(_ pattern: String) -> CompiledPattern {
        do { return CompiledPattern(try NSRegularExpression(pattern: pattern)) } catch {
            preconditionFailure("built-in personal-data pattern does not compile: \(error)")
        }
    }

    private static let email = compile(
        "(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24})(?![A-Za-z0-9-])"
    )
    private static let phoneInternational = compile("(?<![A-Za-z0-9+._/-])\\+[1-9][0-9 ().-]{6,22}[0-9](?![0-9A-Za-z]|[.-][0-9])")
    private static let phoneNorthAmerica = compile(
        "(?<![A-Za-z0-9+._/-])(?<![0-9][ -])(?:\\([2-9][0-9]{2}\\) ?|[2-9][0-9]{2}([-. ]))[2-9][0-9]{2}[-. ][0-9]{4}(?![0-9A-Za-z]|[.-][0-9])"
    )
    private static let phoneNational = compile(
        "(?<![A-Za-z0-9+._/:-])(?<![0-9][ -])0[1-9][0-9]{0,3}(?:[ -][0-9]{2,4}){2,4}(?![0-9A-Za-z]|[.:-][0-9])"
    )
    private static let card = compile("(?<![0-9A-Za-z.-])[2-6][0-9]{3}(?:[ -]?[0-9]){9,15}(?![0-9A-Za-z]|[.-][0-9])")
    private static let iban = compile("(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![a-z0-9])")
    private static let ssn = compile("(?<![0-9A-Za-z-])([0-9]{3})-([0-9]{2})-([0-9]{4})(?![0-9-])")

    public func scan(_ text: [UInt8]) -> [Finding] {
        guard !text.isEmpty else { return [] }
        let candidates = PersonalDataCandidates(text)
        var findings: [Finding] = []
        var claimed: [Range<Int>] = []
        func report(_ kind: Kind, _ range: Range<Int>) {
            if claimed.contains(where: { $0.overlaps(range) }) { return }
            claimed.append(range)
            findings.append(
                Finding(
                    ruleID: kind.rawValue,
                    category: .personalData,
                    severity: kind.severity,
                    range: range,
                    excerpt: Masking.mask(String(decoding: text[range], as: UTF8.self))
                )
            )
        }
        /// Runs `pattern` over each of `windows` (in text order) and reports the matches `accept` turns into a range.
        func run(_ pattern: CompiledPattern, over windows: [Range<Int>], _ kind: Kind, _ accept: (RegexSubject, RegexMatch) -> Range<Int>?) {
            for window in windows {
                let subject = RegexSubject(text, covering: window, reach: pattern.reach)
                subject.forEachMatch(of: pattern, in: window) { match in
                    if let range = accept(subject, match) { report(kind, range) }
                }
            }
        }
        func numberRuns(_ include: (PersonalDataCandidates.NumberRun) -> Bool) -> [Range<Int>] {
            candidates.numberRuns.filter(include).map(\.range)
        }
        if kinds.contains(.paymentCard) {
            run(Self.card, over: numberRuns { $0.digits >= 13 }, .paymentCard) { subject, match in
                guard let range = match.range, PersonalData.isPaymentCard(subject.text(range)) else { return nil }
                return range
            }
        }
        if kinds.contains(.iban) {
            run(Self.iban, over: candidates.ibanRuns, .iban) { subject, match in
                guard let range = match.range, let length = PersonalData.ibanLength(subject.text(range)) else { return nil }
                return range.lowerBound..<(range.lowerBound + length)
            }
        }
        if kinds.contains(.usSSN) {
            run(Self.ssn, over: numberRuns { $0.digits >= 9 && $0.hasDash }, .usSSN) { subject, match in
                guard let range = match.range, PersonalData.isUSSSN(subject.text(range)) else { return nil }
                return range
            }
        }
        if kinds.contains(.phone) {
            let phones = [
                (Self.phoneInternational, numberRuns { $0.hasPlus }),
                (Self.phoneNorthAmerica, numberRuns { $0.digits >= 10 && $0.mayHoldNorthAmerican }),
                (Self.phoneNational, numberRuns { $0.digits >= 9 && $0.mayHoldNational }),
            ]
            for (pattern, windows) in phones {
                run(pattern, over: windows, .phone) { subject, match in
                    guard let range = match.range, PersonalData.isPhoneNumber(subject.text(range)) else { return nil }
                    return range
                }
            }
        }
        if kinds.contains(.email) {
            let windows = mergedWindows(starts: candidates.atSigns, before: 80, after: 260, limit: text.count)
                .filter(containingAnyOf: candidates.addressAtSigns)
            run(Self.email, over: windows, .email) { subject, match in
                guard let range = match.range, let domain = match.range(at: 1),
                    PersonalData.isPersonalEmailDomain(subject.text(domain)),
                    !subject.text(range).hasPrefix("git@"), !PersonalData.isURLUserInfo(text, before: range.lowerBound)
                else { return nil }
                return range
            }
        }
        return findings.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}
