import Foundation

/// The built-in unsafe-code rules.
public enum UnsafeCodeRules {
    private static let strongHash = #"(?i)bcrypt|argon2|scrypt|pbkdf2"#
    private static let near = #"(?i)pass(?:word|wd|phrase)?|\bpwd\b"#
    private static let tokenWords = #"(?i)token|secret|passw|\botp\b|nonce|session|api_?key|salt|reset_?code|verification_?code|csrf"#
    private static let envLookup =
        #"(?i)environ|getenv|process\.env|System\.getenv|os\.Getenv|\bvar\.|\$\{|\{\{|<[a-z_-]+>|https?://|your[_-]|example|placeholder|xxx|\*{3}|dummy|redacted|\.\.\."#

    private static func rule(
        _ id: String,
        _ languages: Set<CodeLanguage>,
        _ severity: Finding.Severity,
        _ description: String,
        keywords: [String],
        _ pattern: String,
        not negativePattern: String? = nil,
        notInWindow: Bool = false,
        near nearbyPattern: String? = nil,
        lines: Int = 3,
        requires: String? = nil,
        excludes: String? = nil
    ) -> UnsafeCodeRule {
        try! UnsafeCodeRule(
            id: id,
            languages: languages,
            severity: severity,
            description: description,
            keywords: keywords,
            pattern: pattern,
            negativePattern: negativePattern,
            negativeInWindow: notInWindow,
            nearbyPattern: nearbyPattern,
            nearbyLines: lines,
            blockRequires: requires,
            blockExcludes: excludes
        )
    }

    public static let builtIn: [UnsafeCodeRule] = python + javascript + go + jvm + shell + sql + dockerfile + terraform + crossLanguage

    // MARK: Python

    static let python: [UnsafeCodeRule] = [
        rule(
            "py-tls-verify-disabled",
            [.python, .unknown],
            .high,
            "TLS certificate verification disabled (verify=False, CERT_NONE)",
            keywords: ["verify", "cert_none", "unverified", "check_hostname"],
            #"\bverify\s*=\s*False\b|ssl\._create_unverified_context\b|verify_mode\s*=\s*ssl\.CERT_NONE|check_hostname\s*=\s*False|cert_reqs\s*=\s*(?:ssl\.)?['"]?CERT_NONE"#
        ),
        rule(
            "py-sql-string-built",
            [.python],
            .high,
            "SQL built with an f-string, % or .format and executed",
            keywords: ["execute", "select", "insert", "update", "delete", "raw("],
            #"\.(?:execute|executemany|executescript|raw|text)\(\s*(?:f(?:"[^"\n]*|'[^'\n]*)\{|(?:"[^"\n]*"|'[^'\n]*')\s*(?:%\s*[\w(]|\.format\(|\+\s*\w)|\w*\s*\+\s*["'])|(?i)^\s*\w*(?:sql|query|stmt)\w*\s*=\s*(?:f["']{1,3}\s*(?:SELECT|INSERT|UPDATE|DELETE)\b[^\n]*\{|["']{1,3}\s*(?:SELECT|INSERT|UPDATE|DELETE)\b[^"'\n]*["']{1,3}\s*(?:%\s*[\w(]|\.format\(|\+\s*\w))"#
        ),
        rule(
            "py-eval-exec-input",
            [.python],
            .high,
            "eval/exec of a non-literal value",
            keywords: ["eval", "exec"],
            #"(?<![\w.'"])(?<hit>(?:eval|exec)\s*\()\s*(?!["')]|compile\()"#
        ),
        rule(
            "py-subprocess-shell-interpolated",
            [.python],
            .critical,
            "subprocess with shell=True and an interpolated command",
            keywords: ["shell=true", "shell = true"],
            #"subprocess\.\w+\(\s*(?:f(?:"[^"\n]*|'[^'\n]*)\{|(?:"[^"\n]*"|'[^'\n]*')\s*(?:%\s*[\w(]|\.format\(|\+)|\w+\s*\+)[^\n]*shell\s*=\s*True"#
        ),
        rule(
            "py-subprocess-shell-true",
            [.python],
            .medium,
            "subprocess with shell=True on a variable command",
            keywords: ["shell=true", "shell = true"],
            #"subprocess\.\w+\(\s*\w[\w.\[\]]*\s*,[^\n]*shell\s*=\s*True"#,
            not: #"subprocess\.\w+\(\s*(?:f["']|["']|\w+\s*\+)"#
        ),
        rule(
            "py-os-system-interpolated",
            [.python],
            .critical,
            "os.system/os.popen with an interpolated command",
            keywords: ["os.system", "os.popen"],
            #"os\.(?:system|popen)\(\s*(?:f(?:"[^"\n]*|'[^'\n]*)\{|(?:"[^"\n]*"|'[^'\n]*')\s*(?:%\s*[\w(]|\.format\(|\+)|\w+\s*\+)"#
        ),
        rule(
            "py-pickle-loads",
            [.python],
            .high,
            "pickle deserialisation of untrusted data",
            keywords: ["pickle", "dill.load", "jsonpickle.decode"],
            #"\b(?:c?[Pp]ickle|dill)\.loads?\(|jsonpickle\.decode\("#
        ),
        rule(
            "py-yaml-unsafe-load",
            [.python],
            .high,
            "yaml.load without SafeLoader",
            keywords: ["yaml"],
            #"\byaml\.(?:load|load_all|unsafe_load|full_load)\("#,
            not: #"Loader\s*=\s*(?:yaml\.)?(?:C?SafeLoader|BaseLoader)"#
        ),
        rule(
            "py-weak-password-hash",
            [.python],
            .high,
            "MD5/SHA-1 used to hash a password",
            keywords: ["md5", "sha1"],
            #"hashlib\.(?:md5|sha1)\(|hashlib\.new\(\s*["'](?:md5|sha1)["']"#,
            not: strongHash,
            notInWindow: true,
            near: near,
            lines: 2
        ),
        rule(
            "py-flask-debug",
            [.python],
            .medium,
            "Flask app run with debug=True",
            keywords: ["debug"],
            #"\.run\([^)\n]*\bdebug\s*=\s*True"#
        ),
        rule(
            "py-django-debug-true",
            [.python],
            .medium,
            "DEBUG = True in Django settings",
            keywords: ["debug"],
            #"^\s*DEBUG\s*=\s*True\b"#
        ),
        rule(
            "py-csrf-disabled",
            [.python],
            .medium,
            "CSRF protection disabled (csrf_exempt, WTF_CSRF_ENABLED = False)",
            keywords: ["csrf"],
            #"@csrf_exempt\b|WTF_CSRF_ENABLED['"]?\]?\s*=\s*False"#
        ),
        rule(
            "py-chmod-world-writable",
            [.python],
            .high,
            "os.chmod to 0o777",
            keywords: ["777"],
            #"os\.(?:chmod|makedirs|mkdir)\([^\n]*\b0o?777\b"#
        ),
        rule(
            "py-insecure-random-token",
            [.python],
            .medium,
            "random module used for a token or secret",
            keywords: ["random."],
            #"\brandom\.(?:random|randint|randrange|choice|choices|getrandbits|sample)\("#,
            not: #"secrets\.|SystemRandom"#,
            notInWindow: true,
            near: tokenWords,
            lines: 1
        ),
    ]

    // MARK: JavaScript / TypeScript

    static let javascript: [UnsafeCodeRule] = [
        rule(
            "js-tls-reject-unauthorized-false",
            [.javascript, .unknown, .yaml],
            .high,
            "TLS verification disabled (rejectUnauthorized: false)",
            keywords: ["rejectunauthorized"],
            #"\brejectUnauthorized['"]?\s*[:=]\s*false\b"#
        ),
        rule(
            "js-sql-string-built",
            [.javascript],
            .high,
            "SQL built with a template literal or concatenation and queried",
            keywords: ["query", "execute", "select", "insert", "update", "delete", "unsafe"],
            #"\.(?:query|execute|raw|run|all|get|exec|\$queryRawUnsafe|\$executeRawUnsafe)\(\s*(?:`[^`]*\$\{|(?:"[^"\n]*"|'[^'\n]*')\s*\+\s*\w)|\$(?:queryRawUnsafe|executeRawUnsafe)\(\s*`[^`]*\$\{|(?i)(?<![\w.])`\s*(?:SELECT\s[^`]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b[^`]*\$\{"#
        ).requiring(anyOf: ["${", "+"]),
        rule(
            "js-eval-input",
            [.javascript],
            .high,
            "eval/new Function of a non-literal value",
            keywords: ["eval", "function("],
            #"(?<![\w.'"])(?<hit>eval\s*\()\s*(?!["'`)])|\bnew\s+Function\s*\("#,
            not: #"new\s+Function\s*\(\s*(?:(?:"[^"\n]*"|'[^'\n]*')\s*,?\s*)+\)"#
        ),
        rule(
            "js-child-process-interpolated",
            [.javascript],
            .critical,
            "child_process exec with an interpolated command",
            keywords: ["exec"],
            #"(?:(?<![\w.])|\b(?:child_process|childProcess|cp)\.)(?:exec|execSync)\(\s*(?:`[^`]*\$\{|(?:"[^"\n]*"|'[^'\n]*')\s*\+|\w+\s*\+\s*["'])"#
        ),
        rule(
            "js-unsafe-deserialize",
            [.javascript],
            .high,
            "node-serialize unserialize of untrusted data",
            keywords: ["unserialize"],
            #"\bunserialize\s*\("#
        ),
        rule(
            "js-cors-wildcard-origin",
            [.javascript],
            .medium,
            "CORS middleware allowing any origin",
            keywords: ["cors"],
            #"\bcors\(\s*\{[^}]*\borigin\s*:\s*(?:["']\*["']|true\b)"#
        ),
        rule(
            "js-insecure-random-token",
            [.javascript],
            .medium,
            "Math.random() used for a token or secret",
            keywords: ["math.random"],
            #"Math\.random\(\)"#,
            not: #"randomBytes|getRandomValues|randomUUID|randomInt"#,
            notInWindow: true,
            near: tokenWords,
            lines: 2
        ),
        rule(
            "js-weak-password-hash",
            [.javascript],
            .high,
            "MD5/SHA-1 used to hash a password",
            keywords: ["md5", "sha1"],
            #"createHash\(\s*["'](?:md5|sha1)["']\s*\)|\b(?:md5|sha1)\(\s*\w*pass"#,
            not: strongHash,
            notInWindow: true,
            near: near,
            lines: 2
        ),
        rule(
            "js-chmod-world-writable",
            [.javascript],
            .high,
            "fs.chmod to 0o777",
            keywords: ["777"],
            #"\bchmod(?:Sync)?\([^\n]*(?:\b0o?777\b|["']777["'])"#
        ),
    ]

    // MARK: Go

    static let go: [UnsafeCodeRule] = [
        rule(
            "go-tls-insecure-skip-verify",
            [.go, .yaml, .terraform, .unknown],
            .high,
            "TLS verification disabled (InsecureSkipVerify: true)",
            keywords: ["insecureskipverify", "insecure_skip_verify"],
            #"(?i)\binsecure_?skip_?verify['"]?\s*[:=]\s*true\b"#
        ),
        rule(
            "go-sql-sprintf",
            [.go],
            .high,
            "SQL built with fmt.Sprintf or concatenation and queried",
            keywords: ["sprintf", "query", "exec"],
            #"\.(?:Query|QueryRow|Exec|QueryContext|ExecContext|QueryRowContext|Raw|Where)\([^\n]*(?:fmt\.Sprintf\(|"[^"\n]*"\s*\+\s*\w)|(?i)fmt\.Sprintf\(\s*[`"]\s*(?:SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)[^`"]*%[sv]"#
        ),
        rule(
            "go-exec-shell-interpolated",
            [.go],
            .critical,
            "exec.Command(\"sh\", \"-c\", ...) with an interpolated command",
            keywords: ["exec.command"],
            #"exec\.Command(?:Context)?\([^\n]*"(?:/bin/)?(?:ba)?sh"\s*,\s*"-c"\s*,\s*(?:[^\n)]*\+|fmt\.Sprintf\()"#
        ),
        rule(
            "go-math-rand-token",
            [.go],
            .medium,
            "math/rand used for a token or secret",
            keywords: ["rand."],
            #"\brand\.(?:Intn|Int63n?|Int31n?|IntN|Uint32|Uint64|Read|Perm|Int)\("#,
            near: tokenWords,
            lines: 3,
            requires: #""math/rand"#
        ),
        rule(
            "go-chmod-world-writable",
            [.go],
            .high,
            "file mode 0777",
            keywords: ["777"],
            #"os\.(?:Chmod|Mkdir|MkdirAll|WriteFile|OpenFile)\([^\n]*\b0o?777\b"#
        ),
        rule(
            "go-weak-password-hash",
            [.go],
            .high,
            "MD5/SHA-1 used to hash a password",
            keywords: ["md5", "sha1"],
            #"\b(?:md5|sha1)\.(?:Sum|New)\("#,
            not: strongHash,
            notInWindow: true,
            near: near,
            lines: 2
        ),
        rule(
            "go-cors-allow-all-origins",
            [.go],
            .medium,
            "CORS allowing all origins (AllowAllOrigins: true)",
            keywords: ["allowallorigins"],
            #"\bAllowAllOrigins\s*[:=]\s*true\b"#
        ),
    ]

    // MARK: Java / Kotlin

    static let jvm: [UnsafeCodeRule] = [
        rule(
            "java-trust-all-certificates",
            [.java, .kotlin, .unknown],
            .critical,
            "trust-all TrustManager or hostname verifier",
            keywords: ["checkservertrusted", "allow_all_hostname_verifier", "noophostnameverifier", "trustallstrategy", "hostnameverifier"],
            #"ALLOW_ALL_HOSTNAME_VERIFIER|NoopHostnameVerifier|TrustAllStrategy|checkServerTrusted\([^)]*\)[^{\n]*\{\s*\}|HostnameVerifier\s*\{\s*_\s*,\s*_\s*->\s*true|(?:setHostnameVerifier|setDefaultHostnameVerifier|hostnameVerifier)\(\s*\(?\s*\w*\s*,\s*\w*\s*\)?\s*->\s*true|verify\(\s*String\s+\w+\s*,\s*SSLSession\s+\w+\s*\)\s*\{\s*return\s+true"#
        ),
        rule(
            "java-sql-concat",
            [.java, .kotlin],
            .high,
            "SQL built by string concatenation and executed",
            keywords: ["execute", "preparestatement", "createquery", "createnativequery", "select", "insert", "update", "delete"],
            #"\.(?:executeQuery|executeUpdate|execute|prepareStatement|createQuery|createNativeQuery|addBatch|queryForList|queryForObject|update)\(\s*(?:"[^"\n]*"\s*\+\s*\w|"[^"\n]*\$\{?\w|String\.format\()|(?i)\bString\s+\w+\s*=\s*"\s*(?:SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)[^"\n]*"\s*\+\s*\w"#
        ),
        rule(
            "java-object-input-stream",
            [.java, .kotlin],
            .high,
            "ObjectInputStream.readObject on untrusted data",
            keywords: ["objectinputstream"],
            #"\bObjectInputStream\s*\("#,
            near: #"readObject\s*\("#,
            lines: 6,
            excludes: #"ObjectInputFilter|setObjectInputFilter|ValidatingObjectInputStream|resolveClass"#
        ),
        rule(
            "java-insecure-random-token",
            [.java, .kotlin],
            .medium,
            "java.util.Random used for a token or secret",
            keywords: ["random("],
            #"\bnew\s+Random\s*\(|(?<![\w.])Random\(\)\.next"#,
            not: #"SecureRandom"#,
            near: tokenWords,
            lines: 3
        ),
        rule(
            "java-csrf-disabled",
            [.java, .kotlin],
            .medium,
            "Spring Security CSRF protection disabled",
            keywords: ["csrf"],
            #"\bcsrf\(\)\s*\.disable\(\)|\bcsrf\(\s*(?:AbstractHttpConfigurer::disable|\w+\s*->\s*\w+\.disable\(\)|\{\s*it\.disable\(\)\s*\})\s*\)|\bcsrf\s*\{\s*disable\(\)\s*\}"#
        ),
        rule(
            "java-weak-password-hash",
            [.java, .kotlin],
            .high,
            "MD5/SHA-1 used to hash a password",
            keywords: ["md5", "sha"],
            #"MessageDigest\.getInstance\(\s*"(?:MD5|SHA-?1|SHA)"\s*\)|DigestUtils\.(?:md5|sha1|sha)(?:Hex)?\("#,
            not: strongHash,
            notInWindow: true,
            near: near,
            lines: 3
        ),
    ]

    // MARK: Shell

    static let shell: [UnsafeCodeRule] = [
        rule(
            "sh-curl-pipe-shell",
            [.shell, .dockerfile, .yaml, .unknown],
            .high,
            "remote script piped into a shell",
            keywords: ["curl", "wget"],
            #"(?i)\b(?:curl|wget)\b[^\n|;]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+\S+\s+)?(?:ba|z|da|k)?sh\b|\b(?:ba)?sh\s+(?:-c\s+)?["']?(?:<\s*\(|\$\()\s*(?:curl|wget)\b"#
        ),
        rule(
            "sh-curl-insecure",
            [.shell, .dockerfile, .yaml, .unknown],
            .high,
            "curl -k / --insecure or wget --no-check-certificate",
            keywords: ["curl", "wget"],
            #"\bcurl\b[^\n|;]*\s(?<hit>--insecure\b|-[a-zA-Z]*k[a-zA-Z]*\b)|\bwget\b[^\n|;]*\s--no-check-certificate\b"#
        ),
        rule(
            "sh-tls-verify-disabled-config",
            [.shell, .dockerfile, .yaml, .unknown],
            .high,
            "TLS verification disabled in git/npm/pip configuration",
            keywords: ["sslverify", "strict-ssl", "git_ssl_no_verify", "trusted-host", "pythonhttpsverify"],
            #"\bgit\s+config\b[^\n]*\bhttp\.sslVerify\s+(?:false|0)\b|GIT_SSL_NO_VERIFY\s*=\s*["']?(?:1|true)|\bnpm\s+config\s+set\s+strict-ssl\s+false|PYTHONHTTPSVERIFY\s*=\s*["']?0"#
        ),
        rule(
            "sh-chmod-world-writable",
            [.shell, .dockerfile, .yaml, .unknown],
            .high,
            "chmod 777 / a+rwx",
            keywords: ["chmod"],
            #"\bchmod\s+(?:-[a-zA-Z]+\s+)*(?:0?777|[augo]*a[augo]*\+rwx|ugo\+rwx|o\+w)(?=\s|$|;|&)"#
        ),
        rule(
            "env-node-tls-reject-unauthorized",
            [.shell, .dockerfile, .yaml, .javascript, .unknown],
            .high,
            "NODE_TLS_REJECT_UNAUTHORIZED=0",
            keywords: ["node_tls_reject_unauthorized"],
            #"NODE_TLS_REJECT_UNAUTHORIZED['"]?\s*[=:]\s*["']?0\b|NODE_TLS_REJECT_UNAUTHORIZED\s*\n\s*value:\s*["']?0\b"#
        ),
    ]

    // MARK: SQL

    static let sql: [UnsafeCodeRule] = [
        rule(
            "sql-grant-all-public",
            [.sql, .unknown],
            .high,
            "GRANT ALL to PUBLIC or to any host",
            keywords: ["grant"],
            #"(?i)\bGRANT\s+ALL\b[^;]*?\bTO\s+PUBLIC\b|\bGRANT\s+ALL\b[^;]*?\bON\s+\*\.\*\s+TO\s+[^;]*@\s*'%'"#
        ),
        rule(
            "sql-dynamic-exec-concat",
            [.sql],
            .high,
            "dynamic SQL executed from concatenated strings",
            keywords: ["exec"],
            #"(?i)\bEXEC(?:UTE)?\s*\(\s*(?:@\w+\s*\+|'[^'\n]*'\s*\+)|\bEXECUTE\s+'[^'\n]*'\s*\|\||\bsp_executesql\s+N?'[^'\n]*'\s*\+"#,
            not: #"(?i)quote_ident|quote_literal|quote_nullable|format\(|QUOTENAME"#
        ),
        rule(
            "sql-password-literal",
            [.sql],
            .medium,
            "password literal in CREATE/ALTER USER",
            keywords: ["password", "identified"],
            #"(?i)\b(?:CREATE|ALTER)\s+(?:USER|ROLE|LOGIN)\b[^;]*?\b(?:PASSWORD\s*=?\s*|IDENTIFIED\s+BY\s+)N?'[^']+'"#
        ),
    ]

    // MARK: Dockerfile

    static let dockerfile: [UnsafeCodeRule] = [
        rule(
            "docker-user-root",
            [.dockerfile],
            .medium,
            "container explicitly runs as root",
            keywords: ["user"],
            #"(?i)^\s*USER\s+(?:root|0)(?::\S+)?\s*$"#
        ),
        rule(
            "docker-add-remote-url",
            [.dockerfile],
            .medium,
            "ADD of a remote URL without a checksum",
            keywords: ["add"],
            #"(?i)^\s*ADD\s+(?:--[\w-]+(?:=\S+)?\s+)*https?://"#,
            not: #"--checksum="#
        ),
        rule(
            "docker-secret-in-env",
            [.dockerfile],
            .high,
            "credential baked into the image with ENV/ARG",
            keywords: ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "private_key"],
            #"(?i)^[ \t]*(?:ENV|ARG)[ \t]+(?:\w+=\S+[ \t]+)*\w*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY)\w*(?:[ \t]*=[ \t]*|[ \t]+)(?!\$)["']?[^\s"'$]{3,}"#,
            not: envLookup
        ),
    ]

    // MARK: Terraform / Kubernetes

    static let terraform: [UnsafeCodeRule] = [
        rule(
            "tf-public-bucket-acl",
            [.terraform],
            .high,
            "storage bucket with a public ACL",
            keywords: ["acl"],
            #"\b(?:acl|predefined_acl|default_acl)\s*=\s*"(?:public-read|public-read-write|authenticated-read|publicRead|publicReadWrite)""#
        ),
        rule(
            "tf-public-access-block-disabled",
            [.terraform],
            .high,
            "S3 public access block turned off",
            keywords: ["public_"],
            #"\b(?:block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets)\s*=\s*false\b"#
        ),
        rule(
            "tf-gcs-all-users",
            [.terraform, .unknown],
            .high,
            "bucket or resource granted to allUsers / allAuthenticatedUsers",
            keywords: ["allusers", "allauthenticatedusers"],
            #"\bmembers?\s*=\s*\[?\s*"(?:allUsers|allAuthenticatedUsers)""#
        ),
        rule(
            "tf-security-group-open-admin",
            [.terraform],
            .high,
            "ingress from 0.0.0.0/0 to SSH, RDP or all ports",
            keywords: ["0.0.0.0/0", "::/0"],
            #"(?:\bingress\s*\{|\btype\s*=\s*"ingress"|"aws_vpc_security_group_ingress_rule"\s*"[^"]*"\s*\{)(?=[^}]*(?:\bfrom_port\s*=\s*(?:22|3389|0)\b|\b(?:ip_)?protocol\s*=\s*"(?:-1|all)"))[^}]*?(?<hit>cidr_blocks\s*=\s*\[[^\]]*"0\.0\.0\.0/0"|cidr_ipv4\s*=\s*"0\.0\.0\.0/0"|ipv6_cidr_blocks\s*=\s*\[[^\]]*"::/0")"#
        ),
        rule(
            "tf-db-publicly-accessible",
            [.terraform],
            .medium,
            "database instance publicly accessible",
            keywords: ["publicly_accessible"],
            #"\bpublicly_accessible\s*=\s*true\b"#
        ),
        rule(
            "k8s-privileged-container",
            [.yaml],
            .high,
            "privileged container or host namespaces",
            keywords: ["privileged", "hostnetwork", "hostpid"],
            #"^\s*(?:privileged|allowPrivilegeEscalation|hostNetwork|hostPID)\s*:\s*true\b"#
        ),
    ]

    // MARK: Cross-language

    static let crossLanguage: [UnsafeCodeRule] = [
        rule(
            "hardcoded-credential",
            [.python, .javascript, .go, .java, .kotlin, .terraform],
            .high,
            "password, secret or token assigned a string literal in source",
            keywords: ["pass", "pwd", "secret", "token", "api_key", "apikey"],
            #"(?i)(?<![\w.])(?:\w*(?:password|passwd|pwd|secret|api_?key|apikey|access_?token|auth_?token|private_?key)\w*|token)["']?\s*(?::=|=|:)\s*["'](?<hit>[^"'\s]{6,})["']"#,
            not: envLookup + #"|["'](?:password|secret|token|pwd)["']|(?i)_(?:field|label|name|header|type|url|path|file|env|var|key_name)\b\s*[:=]"#
        ),
        rule(
            "cors-wildcard-with-credentials",
            [.python, .javascript, .go, .java, .kotlin, .unknown],
            .high,
            "CORS allowing any origin together with credentials",
            keywords: ["origin"],
            #"(?i)Access-Control-Allow-Origin["']?\s*[,:=]\s*["']\*["']|\borigins?\s*[:=]\s*\[?\s*["']\*["']|\ballowedOrigins\(\s*"\*"|\bAllowOrigins\s*:\s*\[\]string\{\s*"\*"|\bCrossOrigin\(\s*origins\s*=\s*"\*""#,
            near:
                #"(?i)allow-credentials|credentials\s*[:=]\s*true|supports_credentials\s*=\s*True|allowCredentials\(\s*true|AllowCredentials\s*:\s*true|allow_credentials\s*=\s*True"#,
            lines: 4
        ),
    ]
}
