import Testing
import WardenCore

@Suite("Guardrails configuration")
struct GuardrailConfigurationTests {
    static func read(_ guardrails: ConfigValue) throws(ConfigProblems) -> WardenConfiguration {
        try WardenConfiguration(document: .map([("guardrails", guardrails)]), environment: [:]) { _ in "" }
    }

    @Test("defaults: secrets masked, the rest recorded, alerts from high, no webhook, no custom rules")
    func defaults() {
        let policy = WardenConfiguration().guardrails
        #expect(policy.enabled)
        #expect(policy.action(for: "aws-access-key-id", category: .secret) == .mask)
        #expect(policy.action(for: "pii-email", category: .personalData) == .record)
        #expect(policy.action(for: "py-pickle-loads", category: .unsafeCode) == .record)
        #expect(policy.alertSeverity == .high)
        #expect(policy.alertWebhook == nil)
        #expect(policy.customRules.isEmpty)
        #expect(!policy.blocksAnything)
    }

    @Test("actions per category and per rule, custom rules and alerts are read")
    func everyKey() throws {
        let configuration = try Self.read(
            .map([
                ("enabled", .scalar("true")),
                ("actions", .map([("personal_data", .scalar("mask")), ("unsafe_code", .scalar("block"))])),
                ("rules", .map([("acme-token", .scalar("block")), ("pii-email", .scalar("record"))])),
                (
                    "custom_rules",
                    .list([
                        .map([
                            ("id", .scalar("acme-token")), ("pattern", .scalar("acme_[a-z0-9]{24}")), ("keywords", .list([.scalar("acme_")])),
                            ("severity", .scalar("critical")), ("minimum_entropy", .scalar("3")), ("allowlist", .list([.scalar("acme_example")])),
                        ])
                    ])
                ),
                ("alerts", .map([("min_severity", .scalar("medium")), ("webhook", .scalar("https://alerts.example.com/warden"))])),
            ])
        )
        let policy = configuration.guardrails
        #expect(policy.action(for: "pii-phone", category: .personalData) == .mask)
        #expect(policy.action(for: "pii-email", category: .personalData) == .record)
        #expect(policy.action(for: "acme-token", category: .secret) == .block)
        #expect(policy.blocksAnything)
        #expect(policy.alertSeverity == .medium)
        #expect(policy.alertWebhook == "https://alerts.example.com/warden")
        let findings = try policy.scanner().scan(Array("token acme_q8z3k1m9x7c2v5b4n6l0p3r8 here".utf8))
        #expect(findings.map(\.ruleID) == ["acme-token"])
        #expect(findings.first?.severity == .critical)
    }

    @Test(
        "mistakes are reported at their key path",
        arguments: [
            (ConfigValue.map([("actions", .map([("secrets", .scalar("mask"))]))]), "guardrails.actions.secrets"),
            (.map([("actions", .map([("secret", .scalar("hide"))]))]), "guardrails.actions.secret"),
            (.map([("rules", .map([("aws-access-key-id", .scalar("drop"))]))]), "guardrails.rules.aws-access-key-id"),
            (.map([("custom_rules", .list([.map([("id", .scalar("x")), ("pattern", .scalar("([a-z"))])]))]), "guardrails.custom_rules[0]"),
            (
                .map([("custom_rules", .list([.map([("id", .scalar("aws-access-key-id")), ("pattern", .scalar("x"))])]))]),
                "guardrails.custom_rules[0].id"
            ),
            (.map([("custom_rules", .list([.map([("pattern", .scalar("x"))])]))]), "guardrails.custom_rules[0]"),
            (
                .map([
                    ("custom_rules", .list([.map([("id", .scalar("es")), ("pattern", .scalar("x")), ("keywords", .list([.scalar("contraseña")]))])]))
                ]),
                "guardrails.custom_rules[0]"
            ),
            (.map([("alerts", .map([("min_severity", .scalar("urgent"))]))]), "guardrails.alerts.min_severity"),
            (.map([("alerts", .map([("webhook", .scalar("ftp://x"))]))]), "guardrails.alerts.webhook"),
            (.map([("alert", .map([]))]), "guardrails.alert"),
        ]
    )
    func mistakes(_ value: ConfigValue, _ path: String) {
        #expect(throws: ConfigProblems.self) { try Self.read(value) }
        do {
            _ = try Self.read(value)
        } catch {
            #expect(error.problems.map(\.path).contains(path), "\(error.problems)")
        }
    }
}
