import Foundation

// Built-in credential formats. Formats follow providers' public documentation and the public rule sets of gitleaks
// and detect-secrets; the patterns and code here are our own. Order matters: when two rules report the same secret
// span, the earlier (more specific) one wins, so generic rules come last.

/// Token start/end boundaries: the secret may not be glued to other token characters. `SecretTokenShape` matches
/// `lb(body)rb` for the simplest bodies on the bytes.
private let lb = #"(?<![A-Za-z0-9_-])"#
private let rb = #"(?![A-Za-z0-9_-])"#
private let assign = #"['"]?\s*(?::=|=>|=|:)\s*['"]?"#

private func rule(
    _ id: String,
    _ description: String,
    _ severity: Finding.Severity,
    keywords: [String],
    _ pattern: String,
    group: Int? = nil,
    validator: SecretValidator? = nil,
    entropy: Double? = nil,
    allowlist: [String] = [],
    placeholders: Bool = true,
    lookbehind: Int = 128,
    lookahead: Int = 512
) -> SecretRule {
    do {
        return try SecretRule(
            id: id,
            description: description,
            severity: severity,
            keywords: keywords,
            pattern: pattern,
            secretGroup: group,
            validator: validator,
            minimumEntropy: entropy,
            allowlist: allowlist,
            checksPlaceholders: placeholders,
            lookbehind: lookbehind,
            lookahead: lookahead
        )
    } catch {
        preconditionFailure("built-in secret rule does not compile: \(error)")
    }
}

private func token(
    _ id: String,
    _ description: String,
    _ severity: Finding.Severity,
    keywords: [String],
    _ body: String,
    validator: SecretValidator? = nil,
    entropy: Double? = 3.0,
    allowlist: [String] = [],
    startsAtKeywords: Bool = false
) -> SecretRule {
    let rule = rule(
        id,
        description,
        severity,
        keywords: keywords,
        lb + "(" + body + ")" + rb,
        validator: validator,
        entropy: entropy,
        allowlist: allowlist,
        lookbehind: 64,
        lookahead: 400
    )
    guard let shape = SecretTokenShape(pattern: body),
        Set(shape.prefixes.map { String(decoding: $0, as: UTF8.self).lowercased() }) == Set(keywords)
    else { return startsAtKeywords ? rule.startingAtKeywords() : rule }
    return rule.matched(by: shape)
}

private func privateKey(_ id: String, _ label: String, _ kind: String) -> SecretRule {
    let armor = kind.isEmpty ? "PRIVATE KEY" : "\(kind) PRIVATE KEY"
    return rule(
        id,
        "\(label) private key (PEM block)",
        .critical,
        keywords: ["begin \(armor.lowercased())"],
        "(-----BEGIN \(armor)-----[\\s\\S]{64,}?-----END \(armor)-----)",
        entropy: 4.0,
        allowlist: ["...", "<", "redacted", "xxxxxxxx"],
        placeholders: false,
        lookbehind: 8,
        lookahead: 24_000
    ).prefiltered(by: .block("-----BEGIN \(armor)-----", "-----END \(armor)-----", minimumBody: 64))
}

private func connectionString(_ id: String, _ label: String, schemes: [String], keywords: [String]) -> SecretRule {
    rule(
        id,
        "\(label) connection string with an embedded password",
        .high,
        keywords: keywords,
        "(?i)(?<![A-Za-z0-9+.-])(?:\(schemes.joined(separator: "|")))://[^:/?#\\s@'\"]*:([^@/?#\\s'\"]{1,128})@[A-Za-z0-9._-]+",
        lookbehind: 4,
        lookahead: 300
    ).startingAtKeywords()
}

extension SecretDetector {
    /// Every built-in rule, most specific first.
    public static let builtinRules: [SecretRule] = [
        // Cloud providers
        token(
            "aws-access-key-id",
            "AWS access key id",
            .high,
            keywords: ["akia", "asia", "abia", "acca"],
            "(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"
        ),
        rule(
            "aws-secret-access-key",
            "AWS secret access key next to an AWS secret key name",
            .critical,
            keywords: ["aws"],
            "(?i:aws)[A-Za-z0-9_ .-]{0,20}?(?i:secret|private)[A-Za-z0-9_ .-]{0,20}?" + assign
                + "([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            entropy: 4.0,
            allowlist: ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
            lookbehind: 8
        ).startingAtKeywords(),
        token("gcp-api-key", "Google API key", .high, keywords: ["aiza"], "AIza[0-9A-Za-z_-]{35}", entropy: 3.5),
        rule(
            "gcp-service-account-key",
            "Google service-account JSON with its private key",
            .critical,
            keywords: ["service_account"],
            #""type"\s*:\s*"service_account"[\s\S]{0,4000}?"private_key"\s*:\s*"(-----BEGIN[^"]{100,}?-----END [A-Z ]*PRIVATE KEY-----)"#,
            entropy: 4.0,
            allowlist: ["...", "<", "redacted"],
            placeholders: false,
            lookbehind: 16,
            lookahead: 12_000
        ),
        rule(
            "azure-storage-connection-string",
            "Azure storage connection string with an account key",
            .critical,
            keywords: ["accountkey="],
            "(?i)DefaultEndpointsProtocol=https?;AccountName=[a-z0-9]{3,24};AccountKey=([A-Za-z0-9+/]{86}==)",
            entropy: 4.5,
            lookbehind: 120,
            lookahead: 200
        ),
        rule(
            "azure-storage-account-key",
            "Azure storage account key assigned to an account/storage key name",
            .critical,
            keywords: ["azure", "storage", "account"],
            "(?i:azure|storage|account)[A-Za-z0-9_.-]{0,25}(?i:key)" + assign + "([A-Za-z0-9+/]{86}==)",
            entropy: 4.5
        ).prefiltered(by: .keyName(["azure", "storage", "account"], gap: 25)),
        rule(
            "azure-ad-client-secret",
            "Azure AD (Entra ID) application client secret",
            .high,
            keywords: ["q~"],
            "(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
            entropy: 3.5,
            lookbehind: 8,
            lookahead: 48
        ),
        // Source forges and package registries
        token(
            "github-pat",
            "GitHub classic personal access token (CRC32-checked)",
            .critical,
            keywords: ["ghp_"],
            "ghp_[A-Za-z0-9]{36}",
            validator: .githubChecksum
        ),
        token("github-oauth-token", "GitHub OAuth access token", .critical, keywords: ["gho_"], "gho_[A-Za-z0-9]{36}"),
        token("github-user-to-server-token", "GitHub App user-to-server token", .critical, keywords: ["ghu_"], "ghu_[A-Za-z0-9]{36}"),
        token("github-server-to-server-token", "GitHub App installation token", .high, keywords: ["ghs_"], "ghs_[A-Za-z0-9]{36}"),
        token("github-refresh-token", "GitHub refresh token", .high, keywords: ["ghr_"], "ghr_[A-Za-z0-9]{36,76}"),
        token(
            "github-fine-grained-pat",
            "GitHub fine-grained personal access token",
            .critical,
            keywords: ["github_pat_"],
            "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
            startsAtKeywords: true
        ),
        token("gitlab-pat", "GitLab personal access token", .critical, keywords: ["glpat-"], "glpat-[A-Za-z0-9_-]{20,80}"),
        token("gitlab-deploy-token", "GitLab deploy token", .high, keywords: ["gldt-"], "gldt-[A-Za-z0-9_-]{20,80}"),
        token("gitlab-runner-token", "GitLab runner authentication token", .high, keywords: ["glrt-"], "glrt-[A-Za-z0-9_-]{20,80}"),
        token(
            "gitlab-runner-registration-token",
            "GitLab runner registration token",
            .high,
            keywords: ["gr1348941"],
            "GR1348941[A-Za-z0-9_-]{20,60}"
        ),
        token(
            "gitlab-pipeline-trigger-token",
            "GitLab pipeline trigger token",
            .high,
            keywords: ["glptt-"],
            "glptt-[0-9a-f]{40}"
        ),
        token(
            "npm-access-token",
            "npm access token (CRC32-checked)",
            .critical,
            keywords: ["npm_"],
            "npm_[A-Za-z0-9]{36}",
            validator: .githubChecksum
        ),
        token("pypi-upload-token", "PyPI upload token", .critical, keywords: ["pypi-ageichlwas5vcmc"], "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
        token("rubygems-api-key", "RubyGems API key", .high, keywords: ["rubygems_"], "rubygems_[a-f0-9]{48}"),
        token(
            "dockerhub-pat",
            "Docker Hub personal/organisation access token",
            .high,
            keywords: ["dckr_pat_", "dckr_oat_"],
            "dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}"
        ),
        // Chat and messaging
        token(
            "slack-bot-token",
            "Slack bot token",
            .high,
            keywords: ["xoxb-"],
            "xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}",
            startsAtKeywords: true
        ),
        token(
            "slack-user-token",
            "Slack user token",
            .high,
            keywords: ["xoxp-", "xoxe-"],
            "xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9]{28,34}",
            startsAtKeywords: true
        ),
        token(
            "slack-legacy-workspace-token",
            "Slack legacy workspace/refresh token",
            .high,
            keywords: ["xoxa-", "xoxr-"],
            "xox[ar]-(?:[0-9]-)?[0-9A-Za-z-]{20,80}",
            startsAtKeywords: true
        ),
        token(
            "slack-app-token",
            "Slack app-level token",
            .high,
            keywords: ["xapp-"],
            "xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-z0-9]{64}",
            startsAtKeywords: true
        ),
        rule(
            "slack-webhook-url",
            "Slack incoming webhook URL",
            .high,
            keywords: ["hooks.slack.com"],
            "hooks\\.slack\\.com/(?:services|workflows)/(T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})" + rb,
            lookbehind: 4,
            lookahead: 120
        ).startingAtKeywords(),
        token(
            "discord-bot-token",
            "Discord bot token",
            .high,
            keywords: ["discord"],
            "[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}",
            entropy: 3.5
        ).withWindow(before: 300, after: 300),
        rule(
            "discord-webhook-url",
            "Discord webhook URL",
            .high,
            keywords: ["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"],
            "discord(?:app)?\\.com/api/webhooks/([0-9]{17,20}/[A-Za-z0-9_-]{60,68})" + rb,
            entropy: 3.5,
            lookbehind: 16,
            lookahead: 120
        ).startingAtKeywords(),
        rule(
            "telegram-bot-token",
            "Telegram bot token",
            .high,
            keywords: [":aa"],
            "(?<![A-Za-z0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})" + rb,
            entropy: 3.5,
            lookbehind: 12,
            lookahead: 40
        ),
        // Payments
        token("stripe-secret-key", "Stripe live secret key", .critical, keywords: ["sk_live_"], "sk_live_[0-9A-Za-z]{24,99}"),
        token("stripe-restricted-key", "Stripe live restricted key", .high, keywords: ["rk_live_"], "rk_live_[0-9A-Za-z]{24,99}"),
        token("stripe-publishable-key", "Stripe live publishable key", .low, keywords: ["pk_live_"], "pk_live_[0-9A-Za-z]{24,99}"),
        rule(
            "stripe-webhook-secret",
            "Stripe webhook signing secret",
            .high,
            keywords: ["whsec_"],
            lb + "(whsec_[A-Za-z0-9+/]{32,88}={0,2})(?![A-Za-z0-9+/=])",
            entropy: 3.5,
            lookbehind: 4,
            lookahead: 120
        ).startingAtKeywords(),
        token(
            "square-access-token",
            "Square access token",
            .high,
            keywords: ["eaaa", "sq0atp-"],
            "EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}",
            startsAtKeywords: true
        ),
        token("square-oauth-secret", "Square OAuth secret", .high, keywords: ["sq0csp-"], "sq0csp-[A-Za-z0-9_-]{43}"),
        rule(
            "braintree-access-token",
            "PayPal Braintree production access token",
            .critical,
            keywords: ["access_token$production$"],
            "(access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32})" + rb,
            lookbehind: 0,
            lookahead: 100
        ).startingAtKeywords(),
        token("shopify-access-token", "Shopify admin API access token", .high, keywords: ["shpat_"], "shpat_[a-fA-F0-9]{32}"),
        token("shopify-custom-app-token", "Shopify custom app access token", .high, keywords: ["shpca_"], "shpca_[a-fA-F0-9]{32}"),
        token("shopify-private-app-token", "Shopify private app password", .high, keywords: ["shppa_"], "shppa_[a-fA-F0-9]{32}"),
        token("shopify-shared-secret", "Shopify app shared secret", .high, keywords: ["shpss_"], "shpss_[a-fA-F0-9]{32}"),
        // Communication APIs
        token("twilio-api-key", "Twilio API key SID", .high, keywords: ["sk"], "SK[0-9a-f]{32}")
            .prefiltered(by: .token("SK", then: .hexDigits, count: 32).within(.alphanumerics)),
        rule(
            "twilio-account-sid",
            "Twilio account SID next to a Twilio/account-sid name",
            .medium,
            keywords: ["twilio", "account_sid", "accountsid"],
            "(?i:twilio|account_?sid)[\\s\\S]{0,60}?(?<![A-Za-z0-9])(AC[0-9a-f]{32})(?![A-Za-z0-9])",
            entropy: 3.0,
            lookbehind: 4,
            lookahead: 120
        ).startingAtKeywords(),
        rule(
            "twilio-auth-token",
            "Twilio auth token assigned to a Twilio token name",
            .high,
            keywords: ["twilio"],
            "(?i:twilio)[A-Za-z0-9_.-]{0,20}(?i:auth|token|secret)[A-Za-z0-9_.-]{0,20}" + assign + "([0-9a-f]{32})(?![A-Za-z0-9])",
            entropy: 3.0,
            lookbehind: 4,
            lookahead: 120
        ).startingAtKeywords(),
        token(
            "sendgrid-api-key",
            "SendGrid API key",
            .high,
            keywords: ["sg."],
            "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
            startsAtKeywords: true
        ),
        token("mailgun-api-key", "Mailgun API key", .high, keywords: ["key-"], "key-[0-9a-f]{32}")
            .prefiltered(by: .token("key-", then: .hexDigits, count: 32).within(.base64URL)),
        rule(
            "mailchimp-api-key",
            "Mailchimp API key",
            .high,
            keywords: ["-us"],
            "(?<![A-Za-z0-9])([0-9a-f]{32}-us[0-9]{1,2})(?![A-Za-z0-9])",
            entropy: 3.0,
            lookbehind: 40,
            lookahead: 12
        ),
        // AI providers
        token(
            "anthropic-api-key",
            "Anthropic API key",
            .critical,
            keywords: ["sk-ant-api03-"],
            "sk-ant-api03-[A-Za-z0-9_-]{93}AA",
            startsAtKeywords: true
        ),
        token(
            "anthropic-admin-key",
            "Anthropic admin API key",
            .critical,
            keywords: ["sk-ant-admin01-"],
            "sk-ant-admin01-[A-Za-z0-9_-]{93}AA",
            startsAtKeywords: true
        ),
        token(
            "openai-project-key",
            "OpenAI project/service-account/admin key",
            .critical,
            keywords: ["sk-proj-", "sk-svcacct-", "sk-admin-"],
            "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}",
            entropy: 4.0
        ),
        token(
            "openai-api-key",
            "OpenAI legacy API key",
            .critical,
            keywords: ["t3blbkfj"],
            "sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
        ),
        token("huggingface-token", "Hugging Face access token", .high, keywords: ["hf_"], "hf_[A-Za-z0-9]{34}", entropy: 3.5),
        token("huggingface-org-token", "Hugging Face organisation API token", .high, keywords: ["api_org_"], "api_org_[A-Za-z]{34}", entropy: 3.5),
        token("replicate-api-token", "Replicate API token", .high, keywords: ["r8_"], "r8_[A-Za-z0-9]{37}", entropy: 3.5),
        token("groq-api-key", "Groq API key", .high, keywords: ["gsk_"], "gsk_[A-Za-z0-9]{52}", entropy: 3.5),
        token("perplexity-api-key", "Perplexity API key", .high, keywords: ["pplx-"], "pplx-[A-Za-z0-9]{48}", entropy: 3.5),
        // Infrastructure and SaaS
        token("vault-service-token", "HashiCorp Vault service token", .critical, keywords: ["hvs."], "hvs\\.[A-Za-z0-9_-]{24,}", entropy: 3.5),
        token("vault-batch-token", "HashiCorp Vault batch token", .high, keywords: ["hvb."], "hvb\\.[A-Za-z0-9_-]{24,}", entropy: 3.5),
        rule(
            "terraform-cloud-token",
            "Terraform Cloud / Enterprise API token",
            .critical,
            keywords: [".atlasv1."],
            lb + "([A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70})" + rb,
            entropy: 3.5,
            lookbehind: 20,
            lookahead: 100
        ),
        rule(
            "datadog-api-key",
            "Datadog API/application key next to a Datadog key name",
            .high,
            keywords: ["datadog", "dd_api", "dd_app", "dd-api"],
            "(?i:datadog|dd)[A-Za-z0-9_.-]{0,20}(?i:api|app|application)[_.-]?(?i:key)" + assign
                + "([a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])",
            entropy: 3.0,
            lookbehind: 8
        ),
        rule(
            "heroku-api-key",
            "Heroku API key (UUID) next to a Heroku name",
            .high,
            keywords: ["heroku"],
            "(?i:heroku)[A-Za-z0-9_.-]{0,30}" + assign
                + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9])",
            lookbehind: 4
        ).startingAtKeywords(),
        token("heroku-api-key-v2", "Heroku API key (HRKU format)", .high, keywords: ["hrku-"], "HRKU-AA[0-9A-Za-z_-]{58}"),
        token("digitalocean-pat", "DigitalOcean personal access token", .critical, keywords: ["dop_v1_"], "dop_v1_[a-f0-9]{64}"),
        token("digitalocean-oauth-token", "DigitalOcean OAuth token", .high, keywords: ["doo_v1_"], "doo_v1_[a-f0-9]{64}"),
        token("digitalocean-refresh-token", "DigitalOcean refresh token", .high, keywords: ["dor_v1_"], "dor_v1_[a-f0-9]{64}"),
        token("atlassian-api-token", "Atlassian API token", .high, keywords: ["atatt3"], "ATATT3[A-Za-z0-9_=-]{180,200}", startsAtKeywords: true),
        rule(
            "cloudflare-api-token",
            "Cloudflare API token next to a Cloudflare name",
            .high,
            keywords: ["cloudflare", "cf_api", "cf_token"],
            "(?i:cloudflare|cf)[A-Za-z0-9_.-]{0,20}(?i:token|key)" + assign + "([A-Za-z0-9_-]{40})" + rb,
            entropy: 3.5,
            lookbehind: 8
        ),
        token(
            "cloudflare-origin-ca-key",
            "Cloudflare Origin CA key",
            .high,
            keywords: ["v1.0-"],
            "v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}",
            startsAtKeywords: true
        ),
        token("linear-api-key", "Linear API key", .high, keywords: ["lin_api_"], "lin_api_[A-Za-z0-9]{40}"),
        token(
            "notion-token",
            "Notion integration token",
            .high,
            keywords: ["ntn_", "secret_"],
            "ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}",
            entropy: 3.5,
            startsAtKeywords: true
        ),
        token("figma-pat", "Figma personal access token", .high, keywords: ["figd_"], "figd_[A-Za-z0-9_-]{40}"),
        token("postman-api-key", "Postman API key", .high, keywords: ["pmak-"], "PMAK-[a-f0-9]{24}-[a-f0-9]{34}", startsAtKeywords: true),
        rule(
            "sentry-org-token",
            "Sentry organisation auth token",
            .high,
            keywords: ["sntrys_"],
            lb + "(sntrys_eyJ[A-Za-z0-9+/=_-]{60,})(?![A-Za-z0-9+/=_-])",
            entropy: 4.0,
            lookbehind: 4,
            lookahead: 400
        ).startingAtKeywords(),
        token("sentry-user-token", "Sentry user auth token", .high, keywords: ["sntryu_"], "sntryu_[a-f0-9]{64}"),
        token("newrelic-user-api-key", "New Relic user API key", .high, keywords: ["nrak-"], "NRAK-[A-Z0-9]{27}"),
        token("newrelic-insert-key", "New Relic insert key", .high, keywords: ["nrii-"], "NRII-[A-Za-z0-9_-]{32}"),
        rule(
            "okta-api-token",
            "Okta API token next to an Okta name",
            .high,
            keywords: ["okta"],
            "(?i:okta)[A-Za-z0-9_.-]{0,20}(?i:token|key|secret)" + assign + "(00[A-Za-z0-9_-]{40})" + rb,
            entropy: 3.5,
            lookbehind: 4
        ).startingAtKeywords(),
        token(
            "doppler-token",
            "Doppler token",
            .high,
            keywords: ["dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."],
            "dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}"
        ),
        token("pulumi-access-token", "Pulumi access token", .high, keywords: ["pul-"], "pul-[a-f0-9]{40}"),
        token("databricks-token", "Databricks access token", .high, keywords: ["dapi"], "dapi[a-f0-9]{32}(?:-[0-9])?", startsAtKeywords: true),
        rule(
            "grafana-cloud-token",
            "Grafana Cloud access policy token",
            .high,
            keywords: ["glc_"],
            lb + "(glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=])",
            entropy: 4.0,
            lookbehind: 4,
            lookahead: 450
        ).startingAtKeywords(),
        token(
            "grafana-service-account-token",
            "Grafana service account token",
            .high,
            keywords: ["glsa_"],
            "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
            startsAtKeywords: true
        ),
        token("supabase-access-token", "Supabase personal access token", .high, keywords: ["sbp_"], "sbp_[a-f0-9]{40}"),
        token("netlify-pat", "Netlify personal access token", .high, keywords: ["nfp_"], "nfp_[A-Za-z0-9]{36}"),
        token(
            "mapbox-secret-token",
            "Mapbox secret access token",
            .high,
            keywords: ["sk.eyj"],
            "sk\\.eyJ[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{20,}",
            startsAtKeywords: true
        ),
        token("alibaba-access-key-id", "Alibaba Cloud access key id", .high, keywords: ["ltai"], "LTAI[A-Za-z0-9]{20}"),
        token(
            "airtable-pat",
            "Airtable personal access token",
            .high,
            keywords: ["pat"],
            "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}"
        ).prefiltered(by: .token("pat", then: .alphanumerics, count: 14).within(.dottedBase64URL)),
        rule(
            "age-secret-key",
            "age encryption secret key",
            .critical,
            keywords: ["age-secret-key-1"],
            "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})",
            lookbehind: 0,
            lookahead: 80
        ).startingAtKeywords(),
        // Private keys
        privateKey("private-key-rsa", "RSA", "RSA"),
        privateKey("private-key-ec", "EC", "EC"),
        privateKey("private-key-dsa", "DSA", "DSA"),
        privateKey("private-key-openssh", "OpenSSH", "OPENSSH"),
        privateKey("private-key-encrypted", "Encrypted PKCS#8", "ENCRYPTED"),
        privateKey("private-key-pkcs8", "PKCS#8", ""),
        rule(
            "private-key-pgp",
            "PGP private key block",
            .critical,
            keywords: ["begin pgp private key block"],
            "(-----BEGIN PGP PRIVATE KEY BLOCK-----[\\s\\S]{64,}?-----END PGP PRIVATE KEY BLOCK-----)",
            entropy: 4.0,
            allowlist: ["...", "<", "redacted", "xxxxxxxx"],
            placeholders: false,
            lookbehind: 8,
            lookahead: 40_000
        ).prefiltered(
            by: .block("-----BEGIN PGP PRIVATE KEY BLOCK-----", "-----END PGP PRIVATE KEY BLOCK-----", minimumBody: 64)
        ),
        // Structured tokens and URLs
        rule(
            "jwt",
            "JSON Web Token",
            .high,
            keywords: ["eyj"],
            lb + "(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})" + rb,
            validator: .jwt,
            allowlist: ["SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"],
            lookbehind: 4,
            lookahead: 4096
        ).prefiltered(by: .token("eyJ", then: .base64URL, count: 8).within(.dottedBase64URL)),
        connectionString(
            "postgres-connection-string",
            "PostgreSQL",
            schemes: ["postgres", "postgresql"],
            keywords: ["postgres"]
        ),
        connectionString("mysql-connection-string", "MySQL", schemes: ["mysql(?:\\+[a-z0-9]+)?"], keywords: ["mysql"]),
        connectionString("mongodb-connection-string", "MongoDB", schemes: ["mongodb(?:\\+srv)?"], keywords: ["mongodb"]),
        connectionString("redis-connection-string", "Redis", schemes: ["rediss?"], keywords: ["redis"]),
        connectionString("amqp-connection-string", "AMQP (RabbitMQ)", schemes: ["amqps?"], keywords: ["amqp"]),
        // Generic, last: catches what no provider rule claimed.
        rule(
            "generic-secret-assignment",
            "Password, secret, API key or token assigned a high-entropy literal",
            .medium,
            keywords: ["password", "passwd", "pwd", "secret", "api_key", "api-key", "apikey", "access_key", "token", "credential"],
            "(?i)(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|token|credentials?)"
                + "(?:[_.-]?[A-Za-z0-9]{0,20}){0,2}['\"]?\\s*(?::=|=>|==|=|:)\\s*(['\"]?)([^\\s'\"`,;(){}\\[\\]<>$|]{8,128})\\1"
                + "(?![^\\s'\"`,;)}\\]])",
            group: 2,
            validator: .genericSecret,
            entropy: 3.0,
            lookbehind: 40,
            lookahead: 200
        ).prefiltered(
            by: .assignment(
                [
                    "password", "passwd", "pwd", "secret", "apikey", "api_key", "api-key", "accesskey", "access_key", "access-key",
                    "token", "credential",
                ],
                nameLength: 43,
                valueLength: 8,
                maximumValue: 128
            )
        ),
    ]
}

extension SecretRule {
    /// A copy with a different keyword window.
    func withWindow(before: Int, after: Int) -> SecretRule {
        do {
            return try SecretRule(
                id: id,
                description: description,
                severity: severity,
                keywords: keywords,
                pattern: pattern,
                secretGroup: secretGroup,
                validator: validator,
                minimumEntropy: minimumEntropy,
                allowlist: allowlist,
                checksPlaceholders: checksPlaceholders,
                lookbehind: before,
                lookahead: after
            )
        } catch {
            preconditionFailure("\(error)")
        }
    }
}
