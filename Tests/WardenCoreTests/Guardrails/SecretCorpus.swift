import Foundation
import WardenCore

/// A labelled example: the rule ids that must fire (empty for a hard negative) and the raw values that must never
/// appear in an excerpt.
struct CorpusSample: Sendable {
    var text: String
    var rules: [String]
    var values: [String]
}

/// Deterministic generator of fake but format-valid credentials and personal data (checksums computed for real).
struct CorpusGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    static let lower = "abcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
    static let hex = "0123456789abcdef"
    static let alnum = upper + lower + digits
    static let letters = upper + lower
    static let urlsafe = alnum + "_-"
    static let base64 = alnum + "+/"

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Random string; regenerated until it contains no placeholder marker by accident.
    mutating func s(_ alphabet: String, _ count: Int) -> String {
        let chars = Array(alphabet)
        while true {
            let value = String((0..<count).map { _ in chars[Int(next() % UInt64(chars.count))] })
            if count < 6 || !Placeholder.isPlaceholder(value) { return value }
        }
    }

    mutating func checksummedToken(_ prefix: String) -> String {
        let random = s(Self.alnum, 30)
        return prefix + random + Checksums.base62(Checksums.crc32(Array(random.utf8)))
    }

    mutating func uuid() -> String {
        [s(Self.hex, 8), s(Self.hex, 4), "4" + s(Self.hex, 3), "a" + s(Self.hex, 3), s(Self.hex, 12)].joined(separator: "-")
    }

    mutating func pem(_ armor: String, lines: Int = 12, escapedNewlines: Bool = false) -> String {
        let newline = escapedNewlines ? "\\n" : "\n"
        let body = (0..<lines).map { _ in s(Self.base64, 64) }.joined(separator: newline)
        return "-----BEGIN \(armor)-----" + newline + body + newline + "-----END \(armor)-----"
    }

    /// A card number with the given prefix and length whose last digit makes the Luhn check pass.
    mutating func card(prefix: String, length: Int) -> String {
        var digits = prefix.map { Int(String($0))! }
        while digits.count < length - 1 { digits.append(Int(next() % 10)) }
        for check in 0...9 where Checksums.luhn(digits + [check]) { return (digits + [check]).map(String.init).joined() }
        fatalError("unreachable")
    }

    /// An IBAN for `country` with a random numeric BBAN (after `bankCode`) and correct mod-97 check digits.
    mutating func iban(country: String, bankCode: String = "") -> String {
        let length = PersonalData.ibanLengths[country]!
        let bban = bankCode + s(Self.digits, length - 4 - bankCode.count)
        for check in 2...98 {
            let candidate = country + String(format: "%02d", check) + bban
            if Checksums.ibanMod97(candidate) { return candidate }
        }
        fatalError("unreachable")
    }

    static func grouped(_ value: String, by size: Int = 4) -> String {
        var groups: [String] = []
        var current = ""
        for character in value {
            current.append(character)
            if current.count == size {
                groups.append(current)
                current = ""
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: " ")
    }

    static func base64URL(_ json: String) -> String {
        Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

enum GuardrailCorpus {
    static let secretPositives: [CorpusSample] = {
        var g = CorpusGenerator(seed: 0x5EC2_E75)
        typealias G = CorpusGenerator
        var out: [CorpusSample] = []
        func add(_ rule: String, _ value: String, _ template: String) {
            out.append(CorpusSample(text: template.replacingOccurrences(of: "{}", with: value), rules: [rule], values: [value]))
        }
        add("aws-access-key-id", "AKIA" + g.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), "[default]\naws_access_key_id = {}\nregion = eu-west-1\n")
        add("aws-access-key-id", "ASIA" + g.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), "export AWS_ACCESS_KEY_ID={}  # from sts assume-role")
        add("aws-secret-access-key", g.s(G.base64, 40), "[prod]\naws_secret_access_key = {}\n")
        add("aws-secret-access-key", g.s(G.base64, 40), "env:\n  AWS_SECRET_ACCESS_KEY: \"{}\"\n")
        add("gcp-api-key", "AIza" + g.s(G.urlsafe, 35), "const firebaseConfig = { apiKey: \"{}\", authDomain: \"shop.firebaseapp.com\" };")
        let saKey = g.pem("PRIVATE KEY", escapedNewlines: true)
        add(
            "gcp-service-account-key",
            saKey,
            "{\n  \"type\": \"service_account\",\n  \"project_id\": \"billing-prod-4821\",\n  \"private_key_id\": \"\(g.s(G.hex, 40))\",\n  \"private_key\": \"{}\\n\",\n  \"client_email\": \"etl@billing-prod-4821.iam.gserviceaccount.com\"\n}"
        )
        add(
            "azure-storage-connection-string",
            g.s(G.base64, 86) + "==",
            "\"StorageConnection\": \"DefaultEndpointsProtocol=https;AccountName=acmeprodblobs;AccountKey={};EndpointSuffix=core.windows.net\""
        )
        add("azure-storage-account-key", g.s(G.base64, 86) + "==", "AZURE_STORAGE_KEY=\"{}\"")
        add("azure-ad-client-secret", g.s(G.alnum, 3) + "8Q~" + g.s(G.urlsafe, 34), "AZURE_CLIENT_ID=\(g.uuid())\nAZURE_CLIENT_SECRET={}\n")
        add("github-pat", g.checksummedToken("ghp_"), "git clone https://{}@github.com/acme/infra.git")
        add("github-oauth-token", "gho_" + g.s(G.alnum, 36), "Authorization: token {}")
        add("github-user-to-server-token", "ghu_" + g.s(G.alnum, 36), "the app got back {} for the user session")
        add("github-server-to-server-token", "ghs_" + g.s(G.alnum, 36), "GH_TOKEN={} gh pr list")
        add("github-refresh-token", "ghr_" + g.s(G.alnum, 76), "{\"refresh_token\": \"{}\", \"expires_in\": 15811200}")
        add(
            "github-fine-grained-pat",
            "github_pat_" + g.s(G.alnum, 22) + "_" + g.s(G.alnum, 59),
            "I set GITHUB_TOKEN to {} but the push still fails, why?"
        )
        add("gitlab-pat", "glpat-" + g.s(G.urlsafe, 20), "curl --header \"PRIVATE-TOKEN: {}\" https://gitlab.acme.io/api/v4/projects")
        add("gitlab-deploy-token", "gldt-" + g.s(G.urlsafe, 20), "docker login -u gitlab+deploy-token-12 -p {} registry.gitlab.com")
        add("gitlab-runner-token", "glrt-" + g.s(G.urlsafe, 20), "[[runners]]\n  url = \"https://gitlab.com\"\n  token = \"{}\"\n")
        add("gitlab-runner-registration-token", "GR1348941" + g.s(G.urlsafe, 20), "gitlab-runner register --registration-token {}")
        add(
            "gitlab-pipeline-trigger-token",
            "glptt-" + g.s(G.hex, 40),
            "curl -X POST -F token={} -F ref=main https://gitlab.com/api/v4/projects/9/trigger/pipeline"
        )
        add("npm-access-token", g.checksummedToken("npm_"), "//registry.npmjs.org/:_authToken={}\n")
        add("pypi-upload-token", "pypi-AgEIcHlwaS5vcmc" + g.s(G.urlsafe, 70), "[pypi]\nusername = __token__\npassword = {}\n")
        add("rubygems-api-key", "rubygems_" + g.s(G.hex, 48), "---\n:rubygems_api_key: {}\n")
        add("dockerhub-pat", "dckr_pat_" + g.s(G.urlsafe, 27), "echo {} | docker login -u acmebot --password-stdin")
        add("slack-bot-token", "xoxb-" + g.s(G.digits, 11) + "-" + g.s(G.digits, 13) + "-" + g.s(G.alnum, 24), "SLACK_BOT_TOKEN={}")
        add(
            "slack-user-token",
            "xoxp-" + g.s(G.digits, 11) + "-" + g.s(G.digits, 12) + "-" + g.s(G.digits, 13) + "-" + g.s(G.hex, 32),
            "client = WebClient(token=\"{}\")"
        )
        add("slack-legacy-workspace-token", "xoxa-2-" + g.s(G.alnum, 40), "legacy token {} still works for the bot")
        add("slack-app-token", "xapp-1-A" + g.s(G.upper + G.digits, 10) + "-" + g.s(G.digits, 13) + "-" + g.s(G.hex, 64), "SLACK_APP_TOKEN={}")
        add(
            "slack-webhook-url",
            "T" + g.s(G.upper + G.digits, 8) + "/B" + g.s(G.upper + G.digits, 10) + "/" + g.s(G.alnum, 24),
            "curl -X POST -d '{\"text\":\"deploy done\"}' https://hooks.slack.com/services/{}"
        )
        add(
            "discord-bot-token",
            "M" + g.s(G.alnum, 23) + "." + g.s(G.alnum, 6) + "." + g.s(G.urlsafe, 27),
            "DISCORD_TOKEN={}\nbot.run(os.environ['DISCORD_TOKEN'])"
        )
        add("discord-webhook-url", g.s(G.digits, 18) + "/" + g.s(G.urlsafe, 68), "webhook = \"https://discord.com/api/webhooks/{}\"")
        add("telegram-bot-token", "5" + g.s(G.digits, 9) + ":AA" + g.s(G.urlsafe, 33), "bot = telebot.TeleBot(\"{}\")")
        add("stripe-secret-key", "sk_live_" + g.s(G.alnum, 24), "Stripe.api_key = \"{}\"")
        add("stripe-secret-key", "sk_live_" + g.s(G.alnum, 99), "STRIPE_SECRET_KEY={}")
        add("stripe-restricted-key", "rk_live_" + g.s(G.alnum, 24), "stripe = require('stripe')('{}');")
        add("stripe-publishable-key", "pk_live_" + g.s(G.alnum, 24), "<script>const stripe = Stripe('{}');</script>")
        add("stripe-webhook-secret", "whsec_" + g.s(G.alnum, 32), "endpoint_secret = '{}'")
        add("square-access-token", "EAAA" + g.s(G.urlsafe, 60), "SQUARE_ACCESS_TOKEN={}")
        add("square-oauth-secret", "sq0csp-" + g.s(G.urlsafe, 43), "square oauth application secret: {}")
        add(
            "braintree-access-token",
            "access_token$production$" + g.s(G.lower + G.digits, 16) + "$" + g.s(G.hex, 32),
            "gateway = braintree.BraintreeGateway(access_token=\"{}\")"
        )
        add("shopify-access-token", "shpat_" + g.s(G.hex, 32), "X-Shopify-Access-Token: {}")
        add("shopify-custom-app-token", "shpca_" + g.s(G.hex, 32), "SHOPIFY_TOKEN={}")
        add("shopify-private-app-token", "shppa_" + g.s(G.hex, 32), "https://store.myshopify.com/admin with password {}")
        add("shopify-shared-secret", "shpss_" + g.s(G.hex, 32), "SHOPIFY_API_SECRET={}")
        add("twilio-api-key", "SK" + g.s(G.hex, 32), "client = Client('{}', api_secret, account_sid)")
        add("twilio-account-sid", "AC" + g.s(G.hex, 32), "TWILIO_ACCOUNT_SID={}\n")
        add("twilio-auth-token", g.s(G.hex, 32), "TWILIO_AUTH_TOKEN={}\n")
        add("sendgrid-api-key", "SG." + g.s(G.urlsafe, 22) + "." + g.s(G.urlsafe, 43), "sg = SendGridAPIClient('{}')")
        add("mailgun-api-key", "key-" + g.s(G.hex, 32), "auth=(\"api\", \"{}\")")
        add("mailchimp-api-key", g.s(G.hex, 32) + "-us14", "client.set_config({\"api_key\": \"{}\", \"server\": \"us14\"})")
        add(
            "anthropic-api-key",
            "sk-ant-api03-" + g.s(G.urlsafe, 93) + "AA",
            "Here is my setup: export ANTHROPIC_API_KEY={} and then I run the script"
        )
        add("anthropic-admin-key", "sk-ant-admin01-" + g.s(G.urlsafe, 93) + "AA", "x-api-key: {}")
        add("openai-project-key", "sk-proj-" + g.s(G.urlsafe, 156), "client = OpenAI(api_key=\"{}\")")
        add("openai-api-key", "sk-" + g.s(G.alnum, 20) + "T3BlbkFJ" + g.s(G.alnum, 20), "openai.api_key = \"{}\"")
        add("huggingface-token", "hf_" + g.s(G.letters, 34), "huggingface-cli login --token {}")
        add("huggingface-org-token", "api_org_" + g.s(G.letters, 34), "HF org token {} used in CI")
        add("replicate-api-token", "r8_" + g.s(G.alnum, 37), "REPLICATE_API_TOKEN={}")
        add("groq-api-key", "gsk_" + g.s(G.alnum, 52), "GROQ_API_KEY={}")
        add("perplexity-api-key", "pplx-" + g.s(G.alnum, 48), "Authorization: Bearer {}")
        add("vault-service-token", "hvs." + g.s(G.urlsafe, 91), "export VAULT_TOKEN={}")
        add("vault-batch-token", "hvb." + g.s(G.urlsafe, 140), "vault login {}")
        add("terraform-cloud-token", g.s(G.alnum, 14) + ".atlasv1." + g.s(G.alnum, 67), "credentials \"app.terraform.io\" {\n  token = \"{}\"\n}")
        add("datadog-api-key", g.s(G.hex, 32), "DD_API_KEY={}\nDD_SITE=datadoghq.eu")
        add("heroku-api-key", g.uuid(), "HEROKU_API_KEY={}")
        add("heroku-api-key-v2", "HRKU-AA" + g.s(G.urlsafe, 58), "heroku token: {}")
        add("digitalocean-pat", "dop_v1_" + g.s(G.hex, 64), "doctl auth init -t {}")
        add("digitalocean-oauth-token", "doo_v1_" + g.s(G.hex, 64), "Bearer {}")
        add("digitalocean-refresh-token", "dor_v1_" + g.s(G.hex, 64), "refresh with {}")
        add("atlassian-api-token", "ATATT3xFfGF0" + g.s(G.urlsafe, 180), "JIRA_API_TOKEN={}")
        add("cloudflare-api-token", g.s(G.urlsafe, 40), "CLOUDFLARE_API_TOKEN={}")
        add("cloudflare-origin-ca-key", "v1.0-" + g.s(G.hex, 24) + "-" + g.s(G.hex, 146), "origin_ca_key = \"{}\"")
        add("linear-api-key", "lin_api_" + g.s(G.alnum, 40), "LINEAR_API_KEY={}")
        add("notion-token", "ntn_" + g.s(G.digits, 11) + g.s(G.alnum, 35), "const notion = new Client({ auth: \"{}\" })")
        add("notion-token", "secret_" + g.s(G.alnum, 43), "NOTION_TOKEN={}")
        add("figma-pat", "figd_" + g.s(G.urlsafe, 40), "X-Figma-Token: {}")
        add("postman-api-key", "PMAK-" + g.s(G.hex, 24) + "-" + g.s(G.hex, 34), "postman api key {}")
        add("sentry-org-token", "sntrys_eyJ" + g.s(G.base64, 120) + "_" + g.s(G.alnum, 43), "SENTRY_AUTH_TOKEN={}")
        add("sentry-user-token", "sntryu_" + g.s(G.hex, 64), "sentry-cli --auth-token {} releases new 1.2.0")
        add("newrelic-user-api-key", "NRAK-" + g.s(G.upper + G.digits, 27), "NEW_RELIC_API_KEY={}")
        add("newrelic-insert-key", "NRII-" + g.s(G.urlsafe, 32), "X-Insert-Key: {}")
        add("okta-api-token", "00" + g.s(G.urlsafe, 40), "OKTA_API_TOKEN={}")
        add("doppler-token", "dp.st." + g.s(G.alnum, 43), "DOPPLER_TOKEN={}")
        add("pulumi-access-token", "pul-" + g.s(G.hex, 40), "PULUMI_ACCESS_TOKEN={}")
        add("databricks-token", "dapi" + g.s(G.hex, 32), "databricks configure --token {}")
        add("grafana-cloud-token", "glc_" + g.s(G.base64, 120) + "==", "GRAFANA_CLOUD_TOKEN={}")
        add("grafana-service-account-token", "glsa_" + g.s(G.alnum, 32) + "_" + g.s(G.hex, 8), "Authorization: Bearer {}")
        add("supabase-access-token", "sbp_" + g.s(G.hex, 40), "supabase login --token {}")
        add("netlify-pat", "nfp_" + g.s(G.alnum, 36), "NETLIFY_AUTH_TOKEN={}")
        add("mapbox-secret-token", "sk.eyJ" + g.s(G.alnum, 60) + "." + g.s(G.urlsafe, 22), "MAPBOX_DOWNLOADS_TOKEN={}")
        add("alibaba-access-key-id", "LTAI" + g.s(G.alnum, 20), "access_key_id: {}")
        add("airtable-pat", "pat" + g.s(G.alnum, 14) + "." + g.s(G.hex, 64), "Authorization: Bearer {}")
        add("age-secret-key", "AGE-SECRET-KEY-1" + g.s("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58), "# created: 2024-05-01\n# public key: age1...\n{}\n")
        add("private-key-rsa", g.pem("RSA PRIVATE KEY"), "Why does ssh reject this key?\n\n{}\n")
        add("private-key-ec", g.pem("EC PRIVATE KEY", lines: 3), "key.pem:\n{}\n")
        add("private-key-dsa", g.pem("DSA PRIVATE KEY", lines: 10), "{}")
        add("private-key-openssh", g.pem("OPENSSH PRIVATE KEY", lines: 7), "cat ~/.ssh/id_ed25519\n{}\n")
        add("private-key-encrypted", g.pem("ENCRYPTED PRIVATE KEY", lines: 20), "tls:\n  key: |\n{}\n")
        add("private-key-pkcs8", g.pem("PRIVATE KEY", lines: 25), "const key = `{}`;")
        add("private-key-pgp", g.pem("PGP PRIVATE KEY BLOCK", lines: 30), "gpg --export-secret-keys output:\n{}\n")
        let jwt =
            G.base64URL(#"{"alg":"HS256","typ":"JWT"}"#) + "." + G.base64URL(#"{"sub":"user_4821","iat":1718000000,"scope":"admin"}"#)
            + "." + g.s(G.urlsafe, 43)
        add("jwt", jwt, "Authorization: Bearer {}")
        add("postgres-connection-string", g.s(G.alnum + "!*", 18), "DATABASE_URL=postgres://orders_app:{}@db-prod.internal.acme.io:5432/orders")
        add("mysql-connection-string", g.s(G.alnum, 16), "engine = create_engine(\"mysql+pymysql://report:{}@10.0.4.17/analytics\")")
        add("mongodb-connection-string", g.s(G.alnum, 20), "MONGO_URI=mongodb+srv://api-svc:{}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true")
        add("redis-connection-string", g.s(G.alnum, 24), "REDIS_URL=redis://:{}@cache.internal:6379/0")
        add("amqp-connection-string", g.s(G.alnum, 16), "broker_url = 'amqp://celery:{}@rabbitmq.svc:5672//'")
        add("generic-secret-assignment", g.s(G.alnum, 12) + "#" + g.s(G.alnum, 5), "DB_PASSWORD = \"{}\"")
        add("generic-secret-assignment", g.s(G.alnum, 32), "settings:\n  api_key: {}\n  region: us-east-1\n")
        add("generic-secret-assignment", g.s(G.alnum, 24), "let clientSecret = \"x\"; config.secret = \"{}\"")
        return out
    }()

    static let secretNegatives: [String] = [
        "Use the example credentials from the AWS docs: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.",
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        "The token format is ghp_ followed by 36 characters, e.g. ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.",
        "A token with a bad checksum: ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A7b",
        "request id 3f2b6c1e-8a4d-4e2f-9b71-0c5d2e8f6a13 failed after 3 retries",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8\nAuthor: build bot\n",
        "image digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "password = os.environ[\"DB_PASSWORD\"]",
        "db:\n  password: ${DB_PASSWORD}\n  user: app\n",
        "api_key = \"<your-api-key>\"",
        "SECRET_KEY = \"your_secret_key_here\"",
        "token: \"changeme\"",
        "DATABASE_URL=postgres://user:password@localhost:5432/mydb",
        "mongodb://localhost:27017/test and redis://redis:6379/0",
        "Stripe test keys look like sk_test_4eC39HqLyjWDarjtT1zdp7dc and pk_test_TYooMQauvdEDq54NiTphI7jx.",
        "Example JWT: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "not a jwt: eyJub3RhbGciOiJ4In0.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLWdvZXMtaGVyZQ",
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0\n-----END CERTIFICATE-----",
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqsyxSJ8pB3zjhV7ZydHX4Xz5Dy5ZQZw2uKL5TVgmGxsZk2xyJ3mPQ4T8dKxLzjG8mSfF5vN0Hx3mM9XgwaRK8w==\n-----END PUBLIC KEY-----",
        "Released v1.2.3 on 2024-03-15; see https://github.com/acme/app/releases/tag/v1.2.3",
        "token_url: https://oauth2.googleapis.com/token",
        "let token = try await fetchToken(for: user)\npassword = self.password_field\n",
        "SLACK_BOT_TOKEN=xoxb-your-bot-token",
        "export ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "password_hash = \"$2b$12$KIXQJ8yH5hV9eI1aZ0p3Oe4m7wq2e9lV5r2m8n3b6c1d4f7g0h2j\"",
        "secret: \"hunter2\"",
        "api_key = \"sk-xxxxxxxxxxxxxxxxxxxxxxxx\"",
        "The primary-key-constraint failed on table orders (id 184467440737095516).",
        "Server at 192.168.10.254:8443, build 2024.05.17-rc2, uptime 1234567 s",
        "npm install lodash@4.17.21 && pip install requests==2.32.3",
        "TOKEN_ENDPOINT = \"/oauth/token\"\nSECRET_NAME = \"prod/db/credentials\"",
        "export GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}",
        "token = \"1234567890abcdef\"",
        "aws_secret_access_key = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "swift package resolve && swift build -c release --product warden  # 6.1.2",
    ]

    static let personalPositives: [CorpusSample] = {
        var g = CorpusGenerator(seed: 0x9_11)
        typealias G = CorpusGenerator
        var out: [CorpusSample] = []
        func add(_ rule: String, _ value: String, _ template: String) {
            out.append(CorpusSample(text: template.replacingOccurrences(of: "{}", with: value), rules: [rule], values: [value]))
        }
        add("pii-email", "maria.gonzalez@acme-corp.io", "Please contact {} for access to the billing dashboard.")
        add("pii-email", "jdoe+billing@gmail.com", "From: John Doe <{}>\nSubject: invoice")
        add("pii-email", "k.nakamura@univ-tokyo.ac.jp", "author = {}")
        add("pii-phone", "+1 415 555 0132", "Call me at {} after 5pm.")
        add("pii-phone", "+44 20 7946 0958", "UK office: {}")
        add("pii-phone", "+4915123456789", "WhatsApp {} please")
        add("pii-phone", "(415) 555-0198", "Phone: {}")
        add("pii-phone", "415-555-0173", "cell {}, ask for Dana")
        add("pii-phone", "020 7946 0018", "Tel. {}")
        add("pii-phone", "06 12 34 56 78", "Mon numéro: {}")
        add("pii-payment-card", G.grouped(g.card(prefix: "4", length: 16)), "Card number {} exp 09/27 cvc 123")
        add("pii-payment-card", g.card(prefix: "54", length: 16), "charge {} for the renewal")
        let amex = g.card(prefix: "37", length: 15)
        add("pii-payment-card", [amex.prefix(4), amex.dropFirst(4).prefix(6), amex.suffix(5)].joined(separator: "-"), "AMEX {}")
        add("pii-payment-card", G.grouped(g.card(prefix: "6011", length: 16)), "Discover {}")
        add("pii-payment-card", g.card(prefix: "3530", length: 16), "jcb={}")
        add("pii-payment-card", g.card(prefix: "2221", length: 16), "new MC range {}")
        add("pii-iban", G.grouped(g.iban(country: "DE")), "Bitte überweisen Sie an IBAN {} (Sparkasse).")
        add("pii-iban", g.iban(country: "GB", bankCode: "NWBK"), "payee iban: {}")
        add("pii-iban", G.grouped(g.iban(country: "FR")), "IBAN : {} BIC : BNPAFRPPXXX")
        add("pii-iban", g.iban(country: "NL", bankCode: "ABNA"), "rekening {}")
        add("pii-us-ssn", "536-22-8742", "SSN: {}")
        add("pii-us-ssn", "212-67-4409", "employee ssn={} dob=1984-02-11")
        return out
    }()

    static let personalNegatives: [String] = [
        "Send feedback to user@example.com or alice@mail.example.org; tests use bob@acme.test.",
        "Use logo@2x.png on retina screens.",
        "macOS Version 10.15.7 released 2024-03-15, IP 192.168.10.254, port 8080",
        "order id 1234567890123456789 and timestamp 1718000000123",
        "ISBN 978-3-16-148410-0 and OID 1.2.840.113549.1.1.11",
        "Stripe test card 4242 4242 4242 4242, and the classic 4111 1111 1111 1111",
        "Luhn-invalid 4111 1111 1111 1112",
        "Woolworth wallet SSN 078-05-1120 and invalid 000-12-3456, 666-12-3456, 912-34-5678",
        "IBAN with a wrong checksum: DE89 3704 0044 0532 0130 01",
        "Date ranges 2024-01-15 to 2024-02-15, version 3.10.12, build 20240115.3",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 at 12:30:45",
        "Coordinates 51.5072 -0.1276, price 1,234,567.89 EUR",
        "uuid 3f2b6c1e-8a4d-4e2f-9b71-0c5d2e8f6a13",
        "ssh git@github.com:acme/app.git",
    ]
}
