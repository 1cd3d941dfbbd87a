extension WardenConfiguration {
    mutating func readGuardrails(_ value: ConfigValue?, _ reader: ConfigReader) {
        let node = reader.map(value, at: "guardrails", known: ["enabled", "actions", "rules", "custom_rules", "alerts"])
        if let enabled = reader.bool(node["enabled"], at: "guardrails.enabled") { guardrails.enabled = enabled }
        for (key, action) in actions(node["actions"], at: "guardrails.actions", reader) {
            if let category = Finding.Category(rawValue: key) {
                guardrails.categoryActions[category] = action
            } else {
                reader.fail("guardrails.actions.\(key)", "expected a category: secret, personal_data or unsafe_code")
            }
        }
        for (rule, action) in actions(node["rules"], at: "guardrails.rules", reader) { guardrails.ruleActions[rule] = action }
        readCustomRules(node["custom_rules"], reader)
        let alerts = reader.map(node["alerts"], at: "guardrails.alerts", known: ["min_severity", "webhook"])
        if let name = reader.string(alerts["min_severity"], at: "guardrails.alerts.min_severity") {
            if name == "off" {
                guardrails.alertSeverity = nil
            } else if let severity = Self.severity(name) {
                guardrails.alertSeverity = severity
            } else {
                reader.fail("guardrails.alerts.min_severity", "expected low, medium, high, critical or off, got \"\(name)\"")
            }
        }
        if let webhook = reader.string(alerts["webhook"], at: "guardrails.alerts.webhook") {
            if webhook.hasPrefix("http://") || webhook.hasPrefix("https://") {
                guardrails.alertWebhook = webhook
            } else {
                reader.fail("guardrails.alerts.webhook", "expected an http or https URL")
            }
        }
    }

    private func actions(_ value: ConfigValue?, at path: String, _ reader: ConfigReader) -> [(String, ExchangeFinding.Action)] {
        guard let value else { return [] }
        guard case .map(let entries) = value else {
            reader.fail(path, "expected a map of name: action")
            return []
        }
        return entries.compactMap { entry in
            let keyPath = "\(path).\(entry.key)"
            guard let name = reader.string(entry.value, at: keyPath) else { return nil }
            guard let action = ExchangeFinding.Action(rawValue: name) else {
                reader.fail(keyPath, "expected record, mask, block or redact, got \"\(name)\"")
                return nil
            }
            return (entry.key, action)
        }
    }

    private mutating func readCustomRules(_ value: ConfigValue?, _ reader: ConfigReader) {
        guard let value else { return }
        guard case .list(let items) = value else {
            reader.fail("guardrails.custom_rules", "expected a list of rules")
            return
        }
        let builtIn = Set(SecretDetector.builtinRules.map(\.id))
        for (index, item) in items.enumerated() {
            let path = "guardrails.custom_rules[\(index)]"
            let node = reader.map(
                item,
                at: path,
                known: ["id", "description", "pattern", "keywords", "severity", "secret_group", "minimum_entropy", "allowlist"]
            )
            guard let id = reader.string(node["id"], at: "\(path).id"), let pattern = reader.string(node["pattern"], at: "\(path).pattern")
            else {
                reader.fail(path, "id and pattern are required")
                continue
            }
            var entropy: Double?
            if let text = reader.string(node["minimum_entropy"], at: "\(path).minimum_entropy") {
                entropy = Double(text)
                if entropy == nil { reader.fail("\(path).minimum_entropy", "expected bits per character, such as 3.5") }
            }
            let rule = SecretRule.Configuration(
                id: id,
                description: reader.string(node["description"], at: "\(path).description"),
                pattern: pattern,
                keywords: reader.strings(node["keywords"], at: "\(path).keywords"),
                severity: reader.string(node["severity"], at: "\(path).severity"),
                secretGroup: reader.integer(node["secret_group"], at: "\(path).secret_group", range: 0...99),
                minimumEntropy: entropy,
                allowlist: reader.strings(node["allowlist"], at: "\(path).allowlist")
            )
            if builtIn.contains(id) || guardrails.customRules.contains(where: { $0.id == id }) {
                reader.fail("\(path).id", "rule id \(id) is already taken")
                continue
            }
            do {
                _ = try SecretRule(configuration: rule)
                guardrails.customRules.append(rule)
            } catch {
                reader.fail(path, error.description)
            }
        }
    }

    static func severity(_ name: String) -> Finding.Severity? {
        Finding.Severity.allCases.first { $0.description == name.lowercased() }
    }
}
