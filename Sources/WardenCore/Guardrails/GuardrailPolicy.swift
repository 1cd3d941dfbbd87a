/// What the gateway does with its detectors: which action each finding gets, which custom rules join the built-in
/// ones, and which findings raise an alert. Read from the `guardrails` section of the configuration.
public struct GuardrailPolicy: Sendable, Equatable {
    public var enabled = true
    /// Secrets are masked by default: forwarding stays unchanged (rewriting breaks Claude Code), the recording hides
    /// the value.
    public var categoryActions: [Finding.Category: ExchangeFinding.Action] = [.secret: .mask, .personalData: .record, .unsafeCode: .record]
    /// Per-rule actions win over the category's.
    public var ruleActions: [String: ExchangeFinding.Action] = [:]
    public var customRules: [SecretRule.Configuration] = []
    /// Findings at or above this severity are alerted on; nil turns alerts off.
    public var alertSeverity: Finding.Severity? = .high
    /// Where alerts are POSTed as JSON, besides the log.
    public var alertWebhook: String?

    public init() {}

    public func action(for ruleID: String, category: Finding.Category) -> ExchangeFinding.Action {
        ruleActions[ruleID] ?? categoryActions[category] ?? .record
    }

    /// Whether the recording must hide a finding's value: a secret always, whatever the action, because a detected
    /// secret is never kept in clear; anything else unless its action is `record`.
    public static func hidesValue(_ category: Finding.Category, _ action: ExchangeFinding.Action) -> Bool {
        category == .secret || action != .record
    }

    /// Whether any rule can cut an answer, which is what makes streamed answers worth watching as they pass.
    public var blocksAnything: Bool {
        categoryActions.values.contains(.block) || ruleActions.values.contains(.block)
    }

    /// The built-in secret rules plus the custom ones: the one place custom rules are compiled.
    public func secretDetector() throws(SecretRuleError) -> SecretDetector {
        SecretDetector(customRules: try customRules.map { configuration throws(SecretRuleError) in try SecretRule(configuration: configuration) })
    }

    /// The built-in detectors plus the custom rules (custom rules are secret rules).
    public func scanner() throws(SecretRuleError) -> GuardrailScanner {
        GuardrailScanner(detectors: [try secretDetector(), PersonalDataDetector(), UnsafeCodeDetector()])
    }
}
