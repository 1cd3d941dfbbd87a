import Crypto

/// What Warden keeps about a unit once it has read it: the spans to hide in every later recording of it and the spans
/// to rewrite every time it is forwarded again (the client resends its own, unredacted history each turn).
public struct UnitMemory: Sendable, Equatable {
    public var hidden: [Range<Int>]
    public var redacted: [Range<Int>]

    public init(hidden: [Range<Int>] = [], redacted: [Range<Int>] = []) {
        self.hidden = hidden
        self.redacted = redacted
    }
}

/// The guardrails' verdict on one request or answer.
public struct Inspection: Sendable {
    public var findings: [ExchangeFinding] = []
    /// Values the recording must not hold in clear, including those redacted (they are recorded as forwarded).
    public var hiddenValues: [[UInt8]] = []
    /// Values rewritten before forwarding.
    public var redactedValues: [[UInt8]] = []
    /// Units read for the first time and what to remember about them; units of a blocked request are not learned, so
    /// resending the same content is blocked again.
    public var learned: [(digest: SHA256Digest, memory: UnitMemory)] = []

    public init() {}

    /// The first finding whose action is `block`.
    public var blocking: ExchangeFinding? { findings.first { $0.action == .block } }
}

/// Runs the detectors over the units a conversation has not shown before and decides each finding's action. Pure:
/// what the conversation has shown comes in as `known`, what it learns goes out in the inspection.
public struct ContentInspector: Sendable {
    public let policy: GuardrailPolicy
    private let prompts: GuardrailScanner
    private let answers: GuardrailScanner
    private let unsafeCode = UnsafeCodeDetector()

    /// Prompts are read for secrets and personal data; answers also for unsafe code, which is about what the model
    /// writes.
    public init(policy: GuardrailPolicy) throws(SecretRuleError) {
        self.policy = policy
        let secrets = try policy.secretDetector()
        prompts = GuardrailScanner(detectors: [secrets, PersonalDataDetector()])
        answers = GuardrailScanner(detectors: [secrets, PersonalDataDetector(), unsafeCode])
    }

    public func inspect(_ units: [ContentUnit], direction: ExchangeFinding.Direction, known: (SHA256Digest) -> UnitMemory?) -> Inspection {
        var inspection = Inspection()
        var learnedNow = Set<SHA256Digest>()
        for unit in units {
            if let memory = known(unit.digest) {
                let redacted = memory.redacted.compactMap { Self.slice(unit.text, $0) }
                inspection.hiddenValues += memory.hidden.compactMap { Self.slice(unit.text, $0) } + redacted
                inspection.redactedValues += redacted
                continue
            }
            var memory = UnitMemory()
            for (finding, range) in findings(in: unit, direction: direction) {
                let action = policy.action(for: finding.ruleID, category: finding.category)
                inspection.findings.append(
                    ExchangeFinding(
                        ruleID: finding.ruleID,
                        category: finding.category,
                        severity: finding.severity,
                        direction: direction,
                        message: unit.message,
                        block: unit.block,
                        offset: range.lowerBound,
                        length: range.count,
                        excerpt: finding.excerpt,
                        action: action
                    )
                )
                if action == .redact && direction == .request {
                    memory.redacted.append(range)
                } else if GuardrailPolicy.hidesValue(finding.category, action) {
                    memory.hidden.append(range)
                }
            }
            inspection.hiddenValues += memory.hidden.map { Array(unit.text[$0]) } + memory.redacted.map { Array(unit.text[$0]) }
            inspection.redactedValues += memory.redacted.map { Array(unit.text[$0]) }
            if learnedNow.insert(unit.digest).inserted { inspection.learned.append((unit.digest, memory)) }
        }
        if inspection.blocking != nil { inspection.learned = [] }
        return inspection
    }

    /// Each finding with its range in the unit's text. Code a tool call writes is read on its own (its language comes
    /// from the file name) and located in the text by its bytes.
    private func findings(in unit: ContentUnit, direction: ExchangeFinding.Direction) -> [(Finding, Range<Int>)] {
        let scanner = direction == .request ? prompts : answers
        var found = scanner.scan(unit.text).map { ($0, $0.range) }
        guard direction == .response else { return found }
        for block in unit.code {
            for finding in unsafeCode.scan(block: block) {
                let start = finding.range.lowerBound - block.offset
                guard start >= 0, finding.range.upperBound - block.offset <= block.code.count else { continue }
                let value = block.code[start..<(finding.range.upperBound - block.offset)]
                let range = unit.text.firstRange(of: value) ?? finding.range
                if !found.contains(where: { $0.0.ruleID == finding.ruleID && $0.1 == range }) { found.append((finding, range)) }
            }
        }
        return found
    }

    private static func slice(_ text: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        range.upperBound <= text.count ? Array(text[range]) : nil
    }
}
