/// The stretches of a text where personal-data patterns can match, found with one pass of byte tests so the regular
/// expressions only run on a few short slices.
///
/// Every card, SSN and phone match consists of `[0-9 ().+-]` characters, so it lies inside one maximal run of them
/// ("number run"); likewise every IBAN match lies inside one maximal run of `[A-Z0-9 ]`. Runs are separated by
/// characters no match contains, so matching run by run finds exactly the matches a pass over the whole text finds.
struct PersonalDataCandidates {
    /// A maximal run of `[0-9 ().+-]` with at least `minimumDigits` digits.
    struct NumberRun {
        var range: Range<Int>
        var digits: Int
        var hasPlus: Bool
        var hasDash: Bool
        /// Whether the run holds three digits, one of `-. ` and four digits in a row, as every North American number does.
        var mayHoldNorthAmerican: Bool
        /// Whether the run holds `0` before a non-zero digit and two digits with a space or dash between them, as every
        /// trunk-prefixed national number does.
        var mayHoldNational: Bool
    }

    /// The fewest digits any personal-data number can have (an international phone number); shorter runs are skipped.
    static let minimumDigits = 8
    /// The fewest characters besides spaces an IBAN match has (`[A-Z]{2}[0-9]{2}` and at least 11 more).
    static let minimumIBANCharacters = 15

    private(set) var numberRuns: [NumberRun] = []
    /// Maximal `[A-Z0-9 ]` runs that contain an IBAN start (two capitals then two digits) and enough characters.
    private(set) var ibanRuns: [Range<Int>] = []
    /// Offsets of every `@`.
    private(set) var atSigns: [Int] = []
    /// Offsets of the `@` signs an e-mail match can use (see `mayJoinAddress`).
    private(set) var addressAtSigns: [Int] = []

    init(_ text: [UInt8]) {
        text.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var index = 0
            while index < count {
                if index + 32 <= count, let base = bytes.baseAddress {
                    let skip = Self.bytesBeforeDigitOrAt(UnsafeRawPointer(base + index))
                    if skip > 0 {
                        index += skip
                        continue
                    }
                } else if index + 8 <= count, let base = bytes.baseAddress {
                    let skip =
                        Self.digitOrAtMarks(UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self)).trailingZeroBitCount / 8
                    if skip > 0 {
                        index += skip
                        continue
                    }
                }
                let byte = bytes[index]
                if byte == UInt8(ascii: "@") {
                    atSigns.append(index)
                    if Self.mayJoinAddress(bytes, at: index) { addressAtSigns.append(index) }
                } else if byte &- 0x30 < 10 {
                    index = addNumberRun(bytes, firstDigit: index)
                    continue
                }
                index += 1
            }
        }
    }

    /// Records the number run holding the digit at `firstDigit` (the first digit of its run) and returns its end.
    private mutating func addNumberRun(_ bytes: UnsafeBufferPointer<UInt8>, firstDigit: Int) -> Int {
        var start = firstDigit
        var hasPlus = false
        var hasDash = false
        while start > 0 && Self.isNumberCharacter(bytes[start - 1]) {
            start -= 1
            hasPlus = hasPlus || bytes[start] == UInt8(ascii: "+")
            hasDash = hasDash || bytes[start] == UInt8(ascii: "-")
        }
        var end = firstDigit
        var digits = 0
        while end < bytes.count && Self.isNumberCharacter(bytes[end]) {
            let byte = bytes[end]
            if byte &- 0x30 < 10 { digits += 1 }
            hasPlus = hasPlus || byte == UInt8(ascii: "+")
            hasDash = hasDash || byte == UInt8(ascii: "-")
            end += 1
        }
        if digits >= Self.minimumDigits {
            let (northAmerican, national) = Self.phoneShapes(bytes, start..<end)
            numberRuns.append(
                NumberRun(
                    range: start..<end,
                    digits: digits,
                    hasPlus: hasPlus,
                    hasDash: hasDash,
                    mayHoldNorthAmerican: northAmerican,
                    mayHoldNational: national
                )
            )
        }
        if start == firstDigit { addIBANRun(bytes, digitsAt: firstDigit) }
        return end
    }

    /// The shapes of `NumberRun.mayHoldNorthAmerican` and `NumberRun.mayHoldNational` in `run`: long ids, timestamps
    /// and decimals have neither, which spares their runs two regular expressions.
    private static func phoneShapes(_ bytes: UnsafeBufferPointer<UInt8>, _ run: Range<Int>) -> (Bool, Bool) {
        var northAmerican = false
        var trunk = false
        var separatedDigits = 0
        var digitRun = 0
        var afterThreeDigits = false
        for index in run {
            let byte = bytes[index]
            if byte &- 0x30 < 10 {
                digitRun += 1
                if afterThreeDigits && digitRun >= 4 { northAmerican = true }
                if byte == UInt8(ascii: "0"), index + 1 < run.upperBound, bytes[index + 1] &- 0x31 < 9 { trunk = true }
                continue
            }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-"), digitRun > 0, index + 1 < run.upperBound, bytes[index + 1] &- 0x30 < 10 {
                separatedDigits += 1
            }
            afterThreeDigits = digitRun >= 3 && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: " "))
            digitRun = 0
        }
        return (northAmerican, trunk && separatedDigits >= 2)
    }

    /// Records the `[A-Z0-9 ]` run around an IBAN start whose digits begin at `digitsAt`, once per run.
    private mutating func addIBANRun(_ bytes: UnsafeBufferPointer<UInt8>, digitsAt index: Int) {
        guard index >= 2, index + 1 < bytes.count, bytes[index + 1] &- 0x30 < 10, bytes[index - 1] &- 0x41 < 26,
            bytes[index - 2] &- 0x41 < 26
        else { return }
        if let last = ibanRuns.last, last.upperBound > index { return }
        var start = index - 2
        while start > 0 && Self.isIBANCharacter(bytes[start - 1]) { start -= 1 }
        var end = index
        var characters = 0
        while end < bytes.count && Self.isIBANCharacter(bytes[end]) { end += 1 }
        for position in start..<end where bytes[position] != UInt8(ascii: " ") { characters += 1 }
        if characters >= Self.minimumIBANCharacters { ibanRuns.append(start..<end) }
    }

    /// How many of the 32 bytes at `chunk` come before the first digit or `@` (32 when none does). The four words are
    /// tested together and one branch decides, so prose and most code are skipped 32 bytes at a time.
    @inline(__always)
    private static func bytesBeforeDigitOrAt(_ chunk: UnsafeRawPointer) -> Int {
        let marks0 = digitOrAtMarks(chunk.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let marks1 = digitOrAtMarks(chunk.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let marks2 = digitOrAtMarks(chunk.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let marks3 = digitOrAtMarks(chunk.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        if marks0 | marks1 | marks2 | marks3 == 0 { return 32 }
        if marks0 != 0 { return marks0.trailingZeroBitCount / 8 }
        if marks1 != 0 { return 8 + marks1.trailingZeroBitCount / 8 }
        if marks2 != 0 { return 16 + marks2.trailingZeroBitCount / 8 }
        return 24 + marks3.trailingZeroBitCount / 8
    }

    /// The high bit of each byte of `word` (loaded little-endian) that is a digit or `@`, found with the "has between"
    /// and "has zero byte" tricks from Sean Anderson's Bit Twiddling Hacks. The digit test is exact for every byte; the
    /// zero-byte test only for the lowest one it marks, so the lowest mark of either is a real one, and a word with no
    /// digit or `@` has no mark.
    @inline(__always)
    private static func digitOrAtMarks(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        let low = word & (ones &* 0x7F)
        let digit = ((ones &* (0x7F + 0x3A)) &- low) & ~word & (low &+ ones &* (0x7F - 0x2F)) & high
        let at = word ^ (ones &* 0x40)
        return digit | ((at &- ones) & ~at & high)
    }

    /// Whether an e-mail match can have its `@` at `index`: a local-part character `[A-Za-z0-9._%+-]` before it, a
    /// letter or digit after it, and further along the domain's `[A-Za-z0-9.-]` characters a dot before a letter (the
    /// top-level domain).
    private static func mayJoinAddress(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index > 0, index + 1 < bytes.count else { return false }
        let before = bytes[index - 1]
        let isLocal = ByteClass.alphanumerics.contains(before) || "._%+-".utf8.contains(before)
        guard isLocal, ByteClass.alphanumerics.contains(bytes[index + 1]) else { return false }
        var position = index + 2
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "."), position + 1 < bytes.count, (bytes[position + 1] | 0x20) &- 0x61 < 26 { return true }
            guard ByteClass.alphanumerics.contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") else { return false }
            position += 1
        }
        return false
    }

    static func isNumberCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: "+"),
            UInt8(ascii: "-"):
            true
        default: false
        }
    }

    static func isIBANCharacter(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 || byte &- 0x41 < 26 || byte == UInt8(ascii: " ") }
}
