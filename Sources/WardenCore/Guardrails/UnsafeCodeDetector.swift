import Foundation

/// Findings in one code block of a tool call; their ranges are relative to the block's field value.
public struct CodeBlockFindings: Sendable {
    public var block: CodeBlock
    public var findings: [Finding]
}

/// Looks for unsafe code in what a model writes: the fenced blocks of a text (`scan(_:)`), one block
/// (`scan(block:)`) or the code fields of a tool call (`scan(toolName:input:)`).
public struct UnsafeCodeDetector: Detector {
    public let rules: [UnsafeCodeRule]
    private let rulesByLanguage: [CodeLanguage: [GatedRule]]
    /// Every rule keyword and `necessary` string plus `BlockContext.expectedErrorWords`, found in one pass over a block.
    private let keywordIndex: KeywordIndex

    /// A rule with its keywords and its `necessary` strings as indices into `keywordIndex.keywords`; nil when the
    /// rule is not gated by them (no keywords, or an empty one, which every text contains). The index only knows
    /// ASCII, so a rule with a keyword outside ASCII keeps it in `unindexedKeywords`, searched for as before.
    private struct GatedRule {
        var rule: UnsafeCodeRule
        var keywords: [Int]?
        var necessary: [Int]?
        var unindexedKeywords: [[UInt8]]?
    }

    public init(rules: [UnsafeCodeRule] = UnsafeCodeRules.builtIn) {
        self.rules = rules
        var ids: [[UInt8]: Int] = [:]
        var keywords: [[UInt8]] = []
        func id(_ keyword: [UInt8]) -> Int {
            if let known = ids[keyword] { return known }
            ids[keyword] = keywords.count
            keywords.append(keyword)
            return keywords.count - 1
        }
        for word in BlockContext.expectedErrorWords { _ = id(word) }
        func gate(_ literals: [[UInt8]]) -> [Int]? { literals.isEmpty || literals.contains([]) ? nil : literals.map(id) }
        let gated = rules.map { rule in
            rule.keywords.joined().allSatisfy { $0 < 0x80 }
                ? GatedRule(rule: rule, keywords: gate(rule.keywords), necessary: gate(rule.necessary))
                : GatedRule(rule: rule, necessary: gate(rule.necessary), unindexedKeywords: rule.keywords)
        }
        var byLanguage: [CodeLanguage: [GatedRule]] = [:]
        for language in CodeLanguage.allCases {
            byLanguage[language] = gated.filter { $0.rule.languages.contains(language) }
        }
        self.rulesByLanguage = byLanguage
        self.keywordIndex = KeywordIndex(keywords: keywords.map { String(decoding: $0, as: UTF8.self) })
    }

    /// Findings in the fenced code blocks of `text`; prose outside fences is not looked at. Ranges are byte offsets
    /// into `text`.
    public func scan(_ text: [UInt8]) -> [Finding] {
        var findings: [Finding] = []
        for block in CodeBlocks.fenced(in: text) {
            findings += scan(block: block)
        }
        return findings
    }

    /// Findings in the code fields of a tool call (see `CodeBlocks.fromToolCall`).
    public func scan(toolName: String, input: [String: Any]) -> [CodeBlockFindings] {
        CodeBlocks.fromToolCall(name: toolName, input: input).map { CodeBlockFindings(block: $0, findings: scan(block: $0)) }
    }

    /// As `scan(toolName:input:)`, from the raw JSON of the tool's input.
    public func scan(toolName: String, inputJSON: [UInt8]) -> [CodeBlockFindings] {
        CodeBlocks.fromToolCall(name: toolName, inputJSON: inputJSON).map { CodeBlockFindings(block: $0, findings: scan(block: $0)) }
    }

    /// Findings in one block; ranges are `block.offset` plus the byte offset within `block.code`.
    public func scan(block: CodeBlock) -> [Finding] {
        guard let candidates = rulesByLanguage[block.language], !candidates.isEmpty, !block.code.isEmpty else { return [] }
        let present = keywordIndex.presence(in: block.code)
        var context: BlockContext?
        var findings: [Finding] = []
        var seen = Set<RuleLine>()
        for candidate in candidates {
            if let keywords = candidate.keywords, !keywords.contains(where: { present[$0] }) { continue }
            if let keywords = candidate.unindexedKeywords, !keywords.contains([]) {
                let lowered = block.code.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                if !keywords.contains(where: { Self.contains(lowered, $0) }) { continue }
            }
            if let necessary = candidate.necessary, !necessary.contains(where: { present[$0] }) { continue }
            let rule = candidate.rule
            let ctx = context ?? BlockContext(block, mayExpectErrors: BlockContext.expectedErrorWords.indices.contains { present[$0] })
            context = ctx
            let whole = NSRange(location: 0, length: ctx.ns.length)
            if let required = rule.required, required.regex.firstMatch(in: ctx.string, range: whole) == nil { continue }
            if let excluded = rule.excluded, excluded.regex.firstMatch(in: ctx.string, range: whole) != nil { continue }
            for match in rule.compiled.regex.matches(in: ctx.string, range: whole) {
                var hit = match.range
                if rule.hasHitGroup {
                    let named = match.range(withName: "hit")
                    if named.location != NSNotFound { hit = named }
                }
                let start = ctx.utf8Offset(hit.location)
                let lineStart = ctx.lineStart(ofByte: start)
                let key = RuleLine(rule: rule.id, line: lineStart)
                if seen.contains(key) { continue }
                if ctx.isCommentedOut(lineStart: lineStart, at: start, language: block.language) { continue }
                let line = ctx.ns.lineRange(for: NSRange(location: hit.location, length: 0))
                if ctx.isRejectionTest(line: line, at: hit.location) { continue }
                if let negative = rule.negative {
                    let span =
                        rule.negativeInWindow ? ctx.window(around: match.range, lines: rule.nearbyLines) : ctx.ns.lineRange(for: match.range)
                    if negative.regex.firstMatch(in: ctx.string, range: span) != nil { continue }
                }
                if let nearby = rule.nearby {
                    let window = ctx.window(around: match.range, lines: rule.nearbyLines)
                    if nearby.regex.firstMatch(in: ctx.string, range: window) == nil { continue }
                }
                seen.insert(key)
                let end = max(start, ctx.utf8Offset(hit.location + hit.length))
                findings.append(
                    Finding(
                        ruleID: rule.id,
                        category: .unsafeCode,
                        severity: rule.severity,
                        range: (block.offset + start)..<(block.offset + end),
                        excerpt: ctx.excerpt(lineStart: lineStart, language: block.language)
                    )
                )
            }
        }
        findings.sort { $0.range.lowerBound < $1.range.lowerBound }
        return findings
    }

    /// Whether `needle` (lower-case) occurs in `haystack` (lower-cased).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count
        let h = haystack.count
        guard n > 0 else { return true }
        guard n <= h else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { ndl in
                let first = ndl[0]
                var i = 0
                let last = h - n
                while i <= last {
                    if hay[i] == first {
                        var k = 1
                        while k < n && hay[i + k] == ndl[k] { k += 1 }
                        if k == n { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

private struct RuleLine: Hashable {
    var rule: String
    var line: Int
}

/// The block as the regular expressions see it, with the offset mapping back to UTF-8.
private final class BlockContext {
    let string: String
    let ns: NSString
    /// UTF-16 offset to UTF-8 offset, or nil when the code is ASCII (identical offsets).
    let utf8Offsets: [Int]?
    let byteCount: Int

    /// Whether the block mentions an expected error at all (cheap gate for `isRejectionTest`).
    let mayExpectErrors: Bool

    let bytes: [UInt8]
    let lowered: [UInt8]

    /// Words that mark a block as possibly testing for errors; `UnsafeCodeDetector` looks for them with its keywords.
    static let expectedErrorWords = ["raises", "throw", "rejects", "error("].map { Array($0.utf8) }

    init(_ block: CodeBlock, mayExpectErrors: Bool) {
        bytes = block.code
        lowered = block.code.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        self.mayExpectErrors = mayExpectErrors
        string = String(decoding: block.code, as: UTF8.self)
        ns = string as NSString
        byteCount = block.code.count
        if block.code.allSatisfy({ $0 < 0x80 }) {
            utf8Offsets = nil
        } else {
            var map: [Int] = []
            map.reserveCapacity(ns.length + 1)
            var u8 = 0
            for scalar in string.unicodeScalars {
                let u16 = scalar.utf16.count
                for _ in 0..<u16 { map.append(u8) }
                u8 += scalar.utf8.count
            }
            map.append(u8)
            utf8Offsets = map
        }
    }

    func utf8Offset(_ utf16: Int) -> Int {
        guard let map = utf8Offsets else { return min(utf16, byteCount) }
        return min(map[min(utf16, map.count - 1)], byteCount)
    }

    func window(around range: NSRange, lines: Int) -> NSRange {
        var span = ns.lineRange(for: range)
        for _ in 0..<lines {
            if span.location > 0 {
                let previous = ns.lineRange(for: NSRange(location: span.location - 1, length: 0))
                span = NSUnionRange(span, previous)
            }
            let end = span.location + span.length
            if end < ns.length {
                span = NSUnionRange(span, ns.lineRange(for: NSRange(location: end, length: 0)))
            }
        }
        return span
    }

    private static let hashCommentLanguages: Set<CodeLanguage> = [.python, .shell, .dockerfile, .terraform, .yaml, .unknown]
    private static let slashCommentLanguages: Set<CodeLanguage> = [.javascript, .go, .java, .kotlin, .terraform, .unknown]

    func lineStart(ofByte offset: Int) -> Int {
        var i = min(offset, bytes.count)
        while i > 0 && bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }

    func lineEnd(fromByte offset: Int) -> Int {
        var i = offset
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
        return i
    }

    private func hasPrefix(_ prefix: String, at offset: Int) -> Bool {
        var i = offset
        for byte in prefix.utf8 {
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
        }
        return true
    }

    private func contains(_ needle: String, from: Int, to: Int) -> Bool {
        let n = Array(needle.utf8)
        guard to - from >= n.count else { return false }
        var i = from
        while i + n.count <= to {
            if bytes[i] == n[0] && hasPrefix(needle, at: i) { return true }
            i += 1
        }
        return false
    }

    /// Whether the match sits in a comment: a comment line, or after a trailing `# ` / `// ` marker.
    func isCommentedOut(lineStart: Int, at location: Int, language: CodeLanguage) -> Bool {
        var first = lineStart
        while first < location && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
        if Self.hashCommentLanguages.contains(language) {
            if hasPrefix("#", at: first) && !hasPrefix("#!", at: first) { return true }
            if contains(" # ", from: lineStart, to: location) || contains("\t# ", from: lineStart, to: location) { return true }
        }
        if Self.slashCommentLanguages.contains(language) {
            if hasPrefix("//", at: first) || hasPrefix("/*", at: first) || hasPrefix("* ", at: first) { return true }
            if contains(" // ", from: lineStart, to: location) || contains(";// ", from: lineStart, to: location) { return true }
        }
        if language == .sql && hasPrefix("--", at: first) { return true }
        if language == .unknown && hasPrefix("-- ", at: first) { return true }
        return false
    }

    private static let rejection = try! NSRegularExpression(
        pattern:
            #"pytest\.raises|assertRaises|assert_raises|toThrow|\.rejects\b|assertThrows|expectThrows|should\.throw|to\.throw|must_raise|\.Error\(t,|require\.Error"#
    )
    private static let assertion = try! NSRegularExpression(
        pattern: #"(?i)\b(assert\w*|expect|should|forbid\w*|deny\w*|block\w*|banned|disallow\w*|reject\w*)\b"#
    )

    /// Whether the match is in a test asserting the unsafe thing is rejected: the line or one of the two before it
    /// expects an error, or the match is a quoted string on an assertion line.
    func isRejectionTest(line: NSRange, at location: Int) -> Bool {
        var span = line
        for _ in 0..<2 where span.location > 0 {
            span = NSUnionRange(span, ns.lineRange(for: NSRange(location: span.location - 1, length: 0)))
        }
        if mayExpectErrors && Self.rejection.firstMatch(in: string, range: span) != nil { return true }
        if location > 0 {
            let before = ns.character(at: location - 1)
            if before == 0x22 || before == 0x27 || before == 0x60 {
                return Self.assertion.firstMatch(in: string, range: line) != nil
            }
        }
        return false
    }

    private static let quotedCredential = try! NSRegularExpression(
        pattern:
            #"(?i)(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|identified\s+by)\w*["']?\s*(?::=|=>|==|=|:|\s|,)\s*(?:"([^"\n]+)"|'([^'\n]+)'|`([^`\n]+)`)"#
    )
    private static let bareCredential = try! NSRegularExpression(
        pattern:
            #"(?i)(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)\w*\s*(?:=|:|\s)\s*([^\s"'$;,(){}\[\]]+)"#
    )
    private static let bareLanguages: Set<CodeLanguage> = [.dockerfile, .shell, .yaml, .unknown]

    /// The line, trimmed, with any credential literal masked, at most 160 characters.
    func excerpt(lineStart: Int, language: CodeLanguage) -> String {
        var from = lineStart
        var to = lineEnd(fromByte: lineStart)
        while from < to && (bytes[from] == 0x20 || bytes[from] == 0x09) { from += 1 }
        while to > from && (bytes[to - 1] == 0x20 || bytes[to - 1] == 0x09 || bytes[to - 1] == 0x0D) { to -= 1 }
        var text = String(decoding: bytes[from..<to], as: UTF8.self)
        let mayHoldCredential = Self.credentialWords.contains { word in
            UnsafeCodeDetector.contains(Array(lowered[from..<to]), word)
        }
        if mayHoldCredential {
            text = Self.maskCredentials(text, Self.quotedCredential, groups: [1, 2, 3])
            if Self.bareLanguages.contains(language) {
                text = Self.maskCredentials(text, Self.bareCredential, groups: [1])
            }
        }
        return String(text.prefix(160))
    }

    private static let credentialWords = ["pass", "pwd", "secret", "token", "key", "credential", "identified"].map { Array($0.utf8) }

    private static func maskCredentials(_ text: String, _ regex: NSRegularExpression, groups: [Int]) -> String {
        let ns = text as NSString
        var result = text
        var replacements: [(NSRange, String)] = []
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            for group in groups {
                let range = match.range(at: group)
                if range.location != NSNotFound && range.length > 0 {
                    replacements.append((range, Masking.mask(ns.substring(with: range))))
                }
            }
        }
        if replacements.isEmpty { return text }
        let mutable = NSMutableString(string: result)
        for (range, masked) in replacements.reversed() {
            mutable.replaceCharacters(in: range, with: masked)
        }
        result = mutable as String
        return result
    }
}
