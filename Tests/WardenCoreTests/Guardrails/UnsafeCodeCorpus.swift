import Foundation

/// A labelled snippet for the unsafe-code detector: what a model might write, and which rules should fire on it.
struct UnsafeCodeCase: Sendable, CustomStringConvertible {
    enum Input: Sendable {
        case text(String)
        case write(path: String, content: String)
        case edit(path: String, old: String, new: String)
        case multiEdit(path: String, news: [String])
        case notebook(source: String)
        case bash(String)
    }

    let name: String
    let input: Input
    let expected: Set<String>

    var description: String { name }

    var toolCall: (name: String, input: [String: Any])? {
        switch input {
        case .text: nil
        case .write(let path, let content): ("Write", ["file_path": path, "content": content])
        case .edit(let path, let old, let new): ("Edit", ["file_path": path, "old_string": old, "new_string": new])
        case .multiEdit(let path, let news):
            ("MultiEdit", ["file_path": path, "edits": news.map { ["old_string": "x", "new_string": $0] as [String: Any] }])
        case .notebook(let source): ("NotebookEdit", ["notebook_path": "/work/analysis.ipynb", "new_source": source, "cell_type": "code"])
        case .bash(let command): ("Bash", ["command": command, "description": "run"])
        }
    }
}

private func fenced(_ language: String, _ code: String, intro: String = "Here is how you can do it:") -> String {
    "\(intro)\n\n```\(language)\n\(code)\n```\n\nLet me know if you need anything else."
}

private func pos(_ name: String, _ language: String, _ code: String, _ rules: String...) -> UnsafeCodeCase {
    UnsafeCodeCase(name: name, input: .text(fenced(language, code)), expected: Set(rules))
}

private func neg(_ name: String, _ language: String, _ code: String) -> UnsafeCodeCase {
    UnsafeCodeCase(name: name, input: .text(fenced(language, code)), expected: [])
}

enum UnsafeCodeCorpus {
    static let positives: [UnsafeCodeCase] = [
        // Python
        pos(
            "py requests verify=False",
            "python",
            "import requests\n\nresp = requests.get(url, headers=headers, verify=False)\nresp.raise_for_status()",
            "py-tls-verify-disabled"
        ),
        pos(
            "py ssl unverified context",
            "python",
            "import ssl, urllib.request\nctx = ssl._create_unverified_context()\nurllib.request.urlopen(url, context=ctx)",
            "py-tls-verify-disabled"
        ),
        pos(
            "py execute f-string",
            "python",
            "def get_user(conn, username):\n    cur = conn.cursor()\n    cur.execute(f\"SELECT * FROM users WHERE name = '{username}'\")\n    return cur.fetchone()",
            "py-sql-string-built"
        ),
        pos("py execute percent", "python", "cursor.execute(\"SELECT * FROM orders WHERE id = %s\" % order_id)", "py-sql-string-built"),
        pos(
            "py query format",
            "python",
            "query = \"DELETE FROM sessions WHERE user_id = {}\".format(user_id)\ndb.execute(query)",
            "py-sql-string-built"
        ),
        pos(
            "py query f-string var",
            "python",
            "sql = f\"UPDATE accounts SET balance = {amount} WHERE id = {acct}\"\ncursor.execute(sql)",
            "py-sql-string-built"
        ),
        pos("py eval input", "python", "expr = input('Enter an expression: ')\nresult = eval(expr)\nprint(result)", "py-eval-exec-input"),
        pos("py exec request", "python", "@app.post('/run')\ndef run():\n    exec(request.json['code'])\n    return 'ok'", "py-eval-exec-input"),
        pos(
            "py subprocess fstring shell",
            "python",
            "import subprocess\n\ndef ping(host):\n    return subprocess.run(f\"ping -c 1 {host}\", shell=True, capture_output=True)",
            "py-subprocess-shell-interpolated"
        ),
        pos("py subprocess concat shell", "python", "subprocess.check_output(\"ls -la \" + path, shell=True)", "py-subprocess-shell-interpolated"),
        pos("py subprocess var shell", "python", "cmd = build_command(args)\nsubprocess.call(cmd, shell=True)", "py-subprocess-shell-true"),
        pos("py os.system fstring", "python", "import os\nos.system(f\"convert {filename} out.png\")", "py-os-system-interpolated"),
        pos("py os.system concat", "python", "os.system('tar czf backup.tgz ' + directory)", "py-os-system-interpolated"),
        pos(
            "py pickle loads",
            "python",
            "import pickle\n\n@app.route('/load', methods=['POST'])\ndef load():\n    obj = pickle.loads(request.data)\n    return str(obj)",
            "py-pickle-loads"
        ),
        pos("py yaml load", "python", "import yaml\n\nwith open(path) as f:\n    config = yaml.load(f)", "py-yaml-unsafe-load"),
        pos("py yaml load Loader", "python", "data = yaml.load(body, Loader=yaml.Loader)", "py-yaml-unsafe-load"),
        pos(
            "py md5 password",
            "python",
            "import hashlib\n\ndef hash_password(password):\n    return hashlib.md5(password.encode()).hexdigest()",
            "py-weak-password-hash"
        ),
        pos("py sha1 pwd", "python", "stored = hashlib.sha1(pwd.encode('utf-8')).hexdigest()", "py-weak-password-hash"),
        pos("py flask debug", "python", "if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000, debug=True)", "py-flask-debug"),
        pos("py django debug", "python", "# settings.py\nDEBUG = True\nALLOWED_HOSTS = ['*']", "py-django-debug-true"),
        pos(
            "py csrf exempt",
            "python",
            "from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef webhook(request):\n    return HttpResponse('ok')",
            "py-csrf-disabled"
        ),
        pos("py chmod 777", "python", "os.makedirs(upload_dir, exist_ok=True)\nos.chmod(upload_dir, 0o777)", "py-chmod-world-writable"),
        pos(
            "py random token",
            "python",
            "import random, string\n\ndef make_reset_token():\n    return ''.join(random.choice(string.ascii_letters) for _ in range(32))",
            "py-insecure-random-token"
        ),
        pos(
            "py hardcoded password",
            "python",
            "DB_HOST = 'db.internal'\nDB_PASSWORD = 'S3cr3tPassw0rd!'\nconn = psycopg2.connect(host=DB_HOST, password=DB_PASSWORD)",
            "hardcoded-credential"
        ),
        pos("py flask cors creds", "python", "CORS(app, origins='*', supports_credentials=True)", "cors-wildcard-with-credentials"),
        // JavaScript / TypeScript
        pos(
            "js rejectUnauthorized",
            "javascript",
            "const agent = new https.Agent({ rejectUnauthorized: false });\nconst res = await fetch(url, { agent });",
            "js-tls-reject-unauthorized-false"
        ),
        pos(
            "ts node tls env",
            "ts",
            "// quick fix for self-signed certs\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\nawait client.connect();",
            "env-node-tls-reject-unauthorized"
        ),
        pos(
            "js query template",
            "js",
            "app.get('/users/:id', async (req, res) => {\n  const rows = await pool.query(`SELECT * FROM users WHERE id = ${req.params.id}`);\n  res.json(rows);\n});",
            "js-sql-string-built"
        ),
        pos(
            "js query concat",
            "javascript",
            "db.query(\"SELECT * FROM products WHERE name = '\" + req.query.name + \"'\", cb);",
            "js-sql-string-built"
        ),
        pos(
            "ts prisma raw unsafe",
            "typescript",
            "const users = await prisma.$queryRawUnsafe(`SELECT * FROM \"User\" WHERE email = '${email}'`);",
            "js-sql-string-built"
        ),
        pos(
            "js eval body",
            "javascript",
            "app.post('/calc', (req, res) => {\n  const result = eval(req.body.expression);\n  res.send(String(result));\n});",
            "js-eval-input"
        ),
        pos("js new Function", "javascript", "const fn = new Function('x', userSuppliedBody);\nfn(42);", "js-eval-input"),
        pos(
            "js exec template",
            "javascript",
            "const { exec } = require('child_process');\nexec(`git clone ${repoUrl} /tmp/repo`, (err, stdout) => console.log(stdout));",
            "js-child-process-interpolated"
        ),
        pos("js execSync concat", "javascript", "child_process.execSync('convert ' + req.file.path + ' out.png');", "js-child-process-interpolated"),
        pos(
            "js node-serialize",
            "javascript",
            "const serialize = require('node-serialize');\nconst profile = serialize.unserialize(Buffer.from(req.cookies.profile, 'base64').toString());",
            "js-unsafe-deserialize"
        ),
        pos("js cors wildcard", "javascript", "app.use(cors({ origin: '*' }));", "js-cors-wildcard-origin"),
        pos(
            "js header wildcard creds",
            "javascript",
            "res.setHeader('Access-Control-Allow-Origin', '*');\nres.setHeader('Access-Control-Allow-Credentials', 'true');",
            "cors-wildcard-with-credentials"
        ),
        pos(
            "js Math.random token",
            "javascript",
            "function generateToken() {\n  return Math.random().toString(36).substring(2);\n}",
            "js-insecure-random-token"
        ),
        pos("js md5 password", "javascript", "const hash = crypto.createHash('md5').update(password).digest('hex');", "js-weak-password-hash"),
        pos("js chmod 777", "javascript", "fs.chmodSync(outputDir, 0o777);", "js-chmod-world-writable"),
        pos("py hardcoded api key", "python", "api_key = \"sk-live-4f9a8b7c6d5e\"\nclient = Client(api_key=api_key)", "hardcoded-credential"),
        pos("js config password", "javascript", "const config = { password: 'hunter2hunter2', user: 'admin' };", "hardcoded-credential"),
        pos(
            "js hardcoded secret",
            "javascript",
            "const JWT_SECRET = 'my-super-secret-key-123';\nconst token = jwt.sign(payload, JWT_SECRET);",
            "hardcoded-credential"
        ),
        // Go
        pos(
            "go InsecureSkipVerify",
            "go",
            "tr := &http.Transport{\n\tTLSClientConfig: &tls.Config{InsecureSkipVerify: true},\n}\nclient := &http.Client{Transport: tr}",
            "go-tls-insecure-skip-verify"
        ),
        pos(
            "go Sprintf query",
            "go",
            "query := fmt.Sprintf(\"SELECT * FROM users WHERE email = '%s'\", email)\nrows, err := db.Query(query)",
            "go-sql-sprintf"
        ),
        pos("go Exec Sprintf inline", "go", "_, err := db.Exec(fmt.Sprintf(\"DELETE FROM items WHERE id = %d\", id))", "go-sql-sprintf"),
        pos(
            "go sh -c concat",
            "go",
            "cmd := exec.Command(\"sh\", \"-c\", \"tar -xzf \"+archive+\" -C /tmp\")\nout, err := cmd.CombinedOutput()",
            "go-exec-shell-interpolated"
        ),
        pos(
            "go math/rand token",
            "go",
            "import (\n\t\"math/rand\"\n)\n\nfunc newSessionToken() string {\n\tb := make([]byte, 16)\n\tfor i := range b {\n\t\tb[i] = letters[rand.Intn(len(letters))]\n\t}\n\treturn string(b)\n}",
            "go-math-rand-token"
        ),
        pos("go chmod 0777", "go", "if err := os.MkdirAll(dir, 0777); err != nil {\n\treturn err\n}", "go-chmod-world-writable"),
        pos(
            "go md5 password",
            "go",
            "func hashPassword(password string) string {\n\tsum := md5.Sum([]byte(password))\n\treturn hex.EncodeToString(sum[:])\n}",
            "go-weak-password-hash"
        ),
        pos("go AllowAllOrigins", "go", "r.Use(cors.New(cors.Config{\n\tAllowAllOrigins: true,\n}))", "go-cors-allow-all-origins"),
        pos(
            "go hardcoded password",
            "go",
            "const dbPassword = \"hunter2hunter2\"\ndsn := fmt.Sprintf(\"postgres://app:%s@db/app\", dbPassword)",
            "hardcoded-credential"
        ),
        // Java / Kotlin
        pos(
            "java trust all",
            "java",
            "TrustManager[] trustAll = new TrustManager[] { new X509TrustManager() {\n    public void checkClientTrusted(X509Certificate[] chain, String authType) {}\n    public void checkServerTrusted(X509Certificate[] chain, String authType) {}\n    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }\n}};",
            "java-trust-all-certificates"
        ),
        pos(
            "java allow all hostname",
            "java",
            "SSLConnectionSocketFactory sf = new SSLConnectionSocketFactory(ctx, SSLConnectionSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER);",
            "java-trust-all-certificates"
        ),
        pos(
            "java hostname lambda",
            "java",
            "HttpsURLConnection.setDefaultHostnameVerifier((hostname, session) -> true);",
            "java-trust-all-certificates"
        ),
        pos(
            "java executeQuery concat",
            "java",
            "Statement stmt = conn.createStatement();\nResultSet rs = stmt.executeQuery(\"SELECT * FROM users WHERE name = '\" + name + \"'\");",
            "java-sql-concat"
        ),
        pos(
            "java String sql concat",
            "java",
            "String sql = \"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\";\nResultSet rs = conn.createStatement().executeQuery(sql);",
            "java-sql-concat"
        ),
        pos("kotlin template query", "kotlin", "val rs = stmt.executeQuery(\"SELECT * FROM users WHERE id = $userId\")", "java-sql-concat"),
        pos(
            "java ObjectInputStream",
            "java",
            "try (ObjectInputStream in = new ObjectInputStream(request.getInputStream())) {\n    Command cmd = (Command) in.readObject();\n    cmd.run();\n}",
            "java-object-input-stream"
        ),
        pos(
            "java Random token",
            "java",
            "Random random = new Random();\nString otp = String.format(\"%06d\", random.nextInt(999999));",
            "java-insecure-random-token"
        ),
        pos("java csrf disable", "java", "http\n    .csrf().disable()\n    .authorizeRequests().anyRequest().authenticated();", "java-csrf-disabled"),
        pos(
            "java csrf lambda disable",
            "java",
            "http.csrf(AbstractHttpConfigurer::disable)\n    .authorizeHttpRequests(a -> a.anyRequest().permitAll());",
            "java-csrf-disabled"
        ),
        pos(
            "java md5 password",
            "java",
            "MessageDigest md = MessageDigest.getInstance(\"MD5\");\nbyte[] digest = md.digest(password.getBytes(StandardCharsets.UTF_8));",
            "java-weak-password-hash"
        ),
        pos(
            "java spring cors creds",
            "java",
            "registry.addMapping(\"/**\")\n    .allowedOrigins(\"*\")\n    .allowCredentials(true);",
            "cors-wildcard-with-credentials"
        ),
        pos("java hardcoded password", "java", "private static final String DB_PASSWORD = \"Pr0dDbPass!\";", "hardcoded-credential"),
        // Shell
        pos("sh curl pipe sh", "bash", "curl -fsSL https://get.example.com/install.sh | sh", "sh-curl-pipe-shell"),
        pos("sh wget pipe sudo bash", "sh", "wget -qO- https://deb.example.org/setup | sudo -E bash -", "sh-curl-pipe-shell"),
        pos("sh bash process subst", "bash", "bash <(curl -s https://raw.githubusercontent.com/x/y/main/install.sh)", "sh-curl-pipe-shell"),
        pos("sh curl -k", "bash", "curl -k -X POST https://internal.api/v1/deploy -d @payload.json", "sh-curl-insecure"),
        pos("sh curl --insecure", "shell", "curl --insecure -o app.tgz https://artifacts.local/app.tgz", "sh-curl-insecure"),
        pos(
            "sh git sslVerify",
            "bash",
            "git config --global http.sslVerify false\ngit clone https://git.corp/repo.git",
            "sh-tls-verify-disabled-config"
        ),
        pos("sh chmod 777", "bash", "sudo chmod -R 777 /var/www/html", "sh-chmod-world-writable"),
        pos("sh export node tls", "bash", "export NODE_TLS_REJECT_UNAUTHORIZED=0\nnpm run start", "env-node-tls-reject-unauthorized"),
        // SQL
        pos("sql grant public", "sql", "GRANT ALL PRIVILEGES ON DATABASE appdb TO PUBLIC;", "sql-grant-all-public"),
        pos("sql mysql grant any host", "mysql", "GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION;", "sql-grant-all-public"),
        pos(
            "sql dynamic exec",
            "sql",
            "CREATE PROCEDURE search @col NVARCHAR(50) AS\nBEGIN\n  EXEC('SELECT * FROM products ORDER BY ' + @col);\nEND",
            "sql-dynamic-exec-concat"
        ),
        pos("sql plpgsql execute concat", "sql", "EXECUTE 'DELETE FROM ' || tbl || ' WHERE id = ' || id;", "sql-dynamic-exec-concat"),
        pos("sql create user password", "sql", "CREATE USER app_user WITH PASSWORD 'Sup3rS3cret!';", "sql-password-literal"),
        // Dockerfile
        pos("docker user root", "dockerfile", "FROM node:20\nWORKDIR /app\nCOPY . .\nUSER root\nCMD [\"node\", \"server.js\"]", "docker-user-root"),
        pos(
            "docker add url",
            "Dockerfile",
            "FROM alpine:3.19\nADD https://example.com/tool.tar.gz /opt/\nRUN tar -xzf /opt/tool.tar.gz",
            "docker-add-remote-url"
        ),
        pos(
            "docker env secret",
            "dockerfile",
            "FROM python:3.12-slim\nENV DATABASE_PASSWORD=hunter2prod\nENV API_TOKEN ghp_abcdefabcdef123456\nCMD [\"python\", \"app.py\"]",
            "docker-secret-in-env"
        ),
        pos("docker chmod 777", "dockerfile", "FROM ubuntu:22.04\nCOPY . /app\nRUN chmod -R 777 /app", "sh-chmod-world-writable"),
        pos(
            "docker curl pipe",
            "dockerfile",
            "FROM debian:bookworm\nRUN curl -sL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs",
            "sh-curl-pipe-shell"
        ),
        // Terraform / k8s
        pos(
            "tf public-read",
            "hcl",
            "resource \"aws_s3_bucket_acl\" \"site\" {\n  bucket = aws_s3_bucket.site.id\n  acl    = \"public-read\"\n}",
            "tf-public-bucket-acl"
        ),
        pos(
            "tf public access block off",
            "terraform",
            "resource \"aws_s3_bucket_public_access_block\" \"b\" {\n  bucket                  = aws_s3_bucket.b.id\n  block_public_acls       = false\n  block_public_policy     = false\n}",
            "tf-public-access-block-disabled"
        ),
        pos(
            "tf gcs allUsers",
            "tf",
            "resource \"google_storage_bucket_iam_member\" \"public\" {\n  bucket = google_storage_bucket.assets.name\n  role   = \"roles/storage.objectViewer\"\n  member = \"allUsers\"\n}",
            "tf-gcs-all-users"
        ),
        pos(
            "tf sg ssh open",
            "terraform",
            "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}",
            "tf-security-group-open-admin"
        ),
        pos(
            "tf sg rule all",
            "terraform",
            "resource \"aws_security_group_rule\" \"all\" {\n  type        = \"ingress\"\n  from_port   = 0\n  to_port     = 65535\n  protocol    = \"-1\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n  security_group_id = aws_security_group.db.id\n}",
            "tf-security-group-open-admin"
        ),
        pos(
            "tf rds public",
            "terraform",
            "resource \"aws_db_instance\" \"db\" {\n  engine              = \"postgres\"\n  publicly_accessible = true\n  password            = var.db_password\n}",
            "tf-db-publicly-accessible"
        ),
        pos(
            "tf hardcoded password",
            "terraform",
            "resource \"aws_db_instance\" \"db\" {\n  username = \"admin\"\n  password = \"ChangeMe2024!\"\n}",
            "hardcoded-credential"
        ),
        pos(
            "k8s privileged",
            "yaml",
            "spec:\n  containers:\n    - name: app\n      image: app:1.0\n      securityContext:\n        privileged: true",
            "k8s-privileged-container"
        ),
        // Unknown language: agnostic rules still apply.
        pos("unknown curl pipe", "", "curl https://sh.rustup.rs | sh", "sh-curl-pipe-shell"),
        pos("unknown chmod", "", "chmod 777 ./data", "sh-chmod-world-writable"),
        pos("unknown insecure skip verify", "", "tlsConfig := &tls.Config{InsecureSkipVerify: true}", "go-tls-insecure-skip-verify"),
        // Tool calls
        UnsafeCodeCase(
            name: "Write py yaml.load",
            input: .write(
                path: "/repo/app/config.py",
                content: "import yaml\n\ndef load(path):\n    with open(path) as f:\n        return yaml.load(f)\n"
            ),
            expected: ["py-yaml-unsafe-load"]
        ),
        UnsafeCodeCase(
            name: "Edit ts exec",
            input: .edit(path: "/repo/src/git.ts", old: "execFile('git', ['clone', url])", new: "exec(`git clone ${url}`)"),
            expected: ["js-child-process-interpolated"]
        ),
        UnsafeCodeCase(
            name: "MultiEdit go",
            input: .multiEdit(path: "/repo/db.go", news: ["rows, err := db.Query(\"SELECT * FROM t WHERE id = \" + id)", "x := 1"]),
            expected: ["go-sql-sprintf"]
        ),
        UnsafeCodeCase(
            name: "NotebookEdit pickle",
            input: .notebook(source: "import pickle\nmodel = pickle.loads(blob)"),
            expected: ["py-pickle-loads"]
        ),
        UnsafeCodeCase(name: "Bash curl pipe", input: .bash("curl -fsSL https://example.com/install.sh | bash"), expected: ["sh-curl-pipe-shell"]),
        UnsafeCodeCase(
            name: "Write Dockerfile root",
            input: .write(path: "/repo/Dockerfile", content: "FROM python:3.12\nUSER root\nADD http://example.com/a.tgz /a.tgz\n"),
            expected: ["docker-user-root", "docker-add-remote-url"]
        ),
        UnsafeCodeCase(
            name: "Write tf sg rdp",
            input: .write(
                path: "/infra/sg.tf",
                content: "ingress {\n  from_port   = 3389\n  to_port     = 3389\n  protocol    = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n"
            ),
            expected: ["tf-security-group-open-admin"]
        ),
    ]

    static let negatives: [UnsafeCodeCase] = [
        neg(
            "py verify=True",
            "python",
            "resp = requests.get(url, timeout=10, verify=True)\nresp = requests.get(url, verify='/etc/ssl/certs/ca.pem')"
        ),
        neg(
            "py parameterised",
            "python",
            "cur.execute(\"SELECT * FROM users WHERE name = %s\", (username,))\ncur.execute(\"SELECT * FROM t WHERE id = ?\", [item_id])"
        ),
        neg("py sqlalchemy bound", "python", "stmt = text(\"SELECT * FROM users WHERE id = :id\")\nrows = session.execute(stmt, {\"id\": user_id})"),
        neg("py ast.literal_eval", "python", "import ast\nvalue = ast.literal_eval(raw)\nmodel.eval()\nresult = eval('1 + 2')"),
        neg("py subprocess list", "python", "subprocess.run([\"ping\", \"-c\", \"1\", host], check=True, capture_output=True)"),
        neg("py subprocess literal shell", "python", "subprocess.run(\"ls -la | wc -l\", shell=True)"),
        neg("py os.system literal", "python", "os.system('clear')"),
        neg("py json.loads", "python", "data = json.loads(request.data)"),
        neg("py yaml.safe_load", "python", "with open(path) as f:\n    config = yaml.safe_load(f)\nother = yaml.load(text, Loader=yaml.SafeLoader)"),
        neg(
            "py bcrypt",
            "python",
            "import bcrypt\n\ndef hash_password(password: str) -> bytes:\n    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())"
        ),
        neg("py md5 etag", "python", "etag = hashlib.md5(file_bytes).hexdigest()"),
        neg("py argon2", "python", "from argon2 import PasswordHasher\nph = PasswordHasher()\nhashed = ph.hash(password)"),
        neg(
            "py password from env",
            "python",
            "DB_PASSWORD = os.environ['DB_PASSWORD']\nAPI_TOKEN = os.getenv('API_TOKEN')\npassword = getpass.getpass()"
        ),
        neg("py chmod 755", "python", "os.chmod(script_path, 0o755)"),
        neg("py secrets token", "python", "import secrets\ntoken = secrets.token_urlsafe(32)\nsample = random.choice(colors)"),
        neg("py debug from env", "python", "DEBUG = os.environ.get('DJANGO_DEBUG') == '1'\napp.run(host='127.0.0.1', port=8000)"),
        neg(
            "py comment mentions verify=False",
            "python",
            "# Never pass verify=False in production; it disables certificate checks.\nresp = requests.get(url)"
        ),
        neg("py test rejects", "python", "def test_rejects_unverified():\n    with pytest.raises(ValueError):\n        make_client(verify=False)"),
        neg("py explicit cors", "python", "CORS(app, origins=['https://app.example.com'], supports_credentials=True)"),
        neg("js tls default", "javascript", "const agent = new https.Agent({ rejectUnauthorized: true, ca: fs.readFileSync('ca.pem') });"),
        neg("js parameterised", "javascript", "const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);"),
        neg(
            "js tagged sql template",
            "typescript",
            "const users = await sql`SELECT * FROM users WHERE id = ${id}`;\nconst rows = await prisma.$queryRaw`SELECT * FROM \"User\" WHERE email = ${email}`;"
        ),
        neg(
            "js execFile",
            "javascript",
            "const { execFile } = require('child_process');\nexecFile('git', ['clone', repoUrl], cb);\nconst m = /a(b)/.exec(input);"
        ),
        neg("js JSON.parse", "javascript", "const profile = JSON.parse(req.cookies.profile);"),
        neg("js cors explicit", "javascript", "app.use(cors({ origin: 'https://app.example.com', credentials: true }));"),
        neg("js crypto random", "javascript", "const token = crypto.randomBytes(32).toString('hex');\nconst jitter = Math.random() * 100;"),
        neg(
            "js bcrypt",
            "javascript",
            "const hash = await bcrypt.hash(password, 12);\nconst etag = crypto.createHash('md5').update(body).digest('hex');"
        ),
        neg("js chmod 755", "javascript", "fs.chmodSync(scriptPath, 0o755);"),
        neg("js secret from env", "javascript", "const JWT_SECRET = process.env.JWT_SECRET;\nconst passwordField = 'password';"),
        neg(
            "js test expects throw",
            "javascript",
            "test('refuses insecure agents', () => {\n  expect(() => createAgent({ rejectUnauthorized: false })).toThrow('insecure');\n});"
        ),
        neg("go tls verify", "go", "tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: false}"),
        neg(
            "go placeholders",
            "go",
            "rows, err := db.Query(\"SELECT * FROM users WHERE email = $1\", email)\nmsg := fmt.Sprintf(\"hello %s\", name)"
        ),
        neg("go exec args", "go", "cmd := exec.Command(\"tar\", \"-xzf\", archive, \"-C\", dir)"),
        neg(
            "go crypto/rand",
            "go",
            "import (\n\t\"crypto/rand\"\n)\n\nfunc newToken() string {\n\tb := make([]byte, 32)\n\trand.Read(b)\n\treturn hex.EncodeToString(b)\n}"
        ),
        neg("go chmod 0755", "go", "os.MkdirAll(dir, 0o755)\nos.WriteFile(path, data, 0644)"),
        neg("go bcrypt", "go", "hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)"),
        neg(
            "go cors explicit",
            "go",
            "r.Use(cors.New(cors.Config{\n\tAllowOrigins:     []string{\"https://app.example.com\"},\n\tAllowCredentials: true,\n}))"
        ),
        neg(
            "java default tls",
            "java",
            "SSLContext ctx = SSLContext.getInstance(\"TLSv1.3\");\nctx.init(null, tmf.getTrustManagers(), new SecureRandom());"
        ),
        neg(
            "java prepared",
            "java",
            "PreparedStatement ps = conn.prepareStatement(\"SELECT * FROM users WHERE name = ?\");\nps.setString(1, name);\nResultSet rs = ps.executeQuery();"
        ),
        neg(
            "java ois filter",
            "java",
            "ObjectInputStream in = new ObjectInputStream(stream);\nin.setObjectInputFilter(ObjectInputFilter.Config.createFilter(\"com.example.*;!*\"));\nObject o = in.readObject();"
        ),
        neg("java SecureRandom", "java", "SecureRandom random = new SecureRandom();\nString otp = String.format(\"%06d\", random.nextInt(1000000));"),
        neg("java csrf enabled", "java", "http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse()));"),
        neg("java sha256 file", "java", "MessageDigest md = MessageDigest.getInstance(\"SHA-256\");\nbyte[] hash = md.digest(fileBytes);"),
        neg("java cors explicit", "java", "registry.addMapping(\"/**\").allowedOrigins(\"https://app.example.com\").allowCredentials(true);"),
        neg("sh curl to file", "bash", "curl -fsSL -o install.sh https://get.example.com/install.sh\nsha256sum -c install.sh.sha256\nsh install.sh"),
        neg(
            "sh curl cacert",
            "bash",
            "curl --cacert /etc/ssl/internal-ca.pem -sSL https://internal.api/v1/health\ncurl -fsSL https://example.com/keys.gpg -o keys.gpg"
        ),
        neg("sh chmod 755", "bash", "chmod 755 deploy.sh\nchmod -R u+rwX,go+rX /srv/app"),
        neg("sh git sslVerify true", "bash", "git config --global http.sslVerify true"),
        neg("sql grant select", "sql", "GRANT SELECT, INSERT ON orders TO app_rw;\nREVOKE ALL ON DATABASE appdb FROM PUBLIC;"),
        neg(
            "sql quote_ident",
            "sql",
            "EXECUTE 'SELECT count(*) FROM ' || quote_ident(tbl) INTO n;\nEXECUTE format('DELETE FROM %I WHERE id = $1', tbl) USING id;"
        ),
        neg("sql create user no password", "sql", "CREATE ROLE readonly NOLOGIN;"),
        neg(
            "docker non-root",
            "dockerfile",
            "FROM node:20-alpine\nRUN addgroup -S app && adduser -S app -G app\nUSER app\nCMD [\"node\", \"server.js\"]"
        ),
        neg(
            "docker add local + checksum",
            "dockerfile",
            "FROM alpine\nADD ./src /app/src\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /opt/"
        ),
        neg(
            "docker secret arg",
            "dockerfile",
            "FROM node:20\nARG NPM_TOKEN\nENV DB_PASSWORD=${DB_PASSWORD}\nRUN --mount=type=secret,id=npmrc npm ci"
        ),
        neg("docker arg without default", "dockerfile", "FROM node:20\nENV NODE_ENV=production\nARG GITHUB_TOKEN\nRUN npm ci"),
        neg(
            "py token from header",
            "python",
            "token = request.headers.get('Authorization')\nif not token:\n    abort(401)\nPASSWORD_MIN_LENGTH = 12"
        ),
        neg("py logging f-string", "python", "logger.info(f\"Executing query for user {user_id}\")\ncur.execute(QUERY, (user_id,))"),
        neg("js graphql template", "javascript", "const query = `query { user(id: ${id}) { name } }`;\nawait client.query({ query: gql(query) });"),
        neg("js dom id random", "javascript", "const id = Math.random().toString(36).slice(2); // element id for the DOM"),
        neg("java seeded shuffle", "java", "Random rng = new Random(42); // deterministic shuffle\nCollections.shuffle(items, rng);"),
        neg("sh download then run", "bash", "curl -fsSL https://get.docker.com -o get-docker.sh\nsudo sh get-docker.sh"),
        neg("sh secret from env", "bash", "kubectl create secret generic db --from-literal=password=\"$DB_PASSWORD\""),
        neg("k8s secretKeyRef", "yaml", "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password"),
        neg("sql crypt compare", "sql", "SELECT * FROM users WHERE password_hash = crypt($1, password_hash);"),
        neg(
            "tf private bucket",
            "terraform",
            "resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  acl    = \"private\"\n}\nresource \"aws_s3_bucket_public_access_block\" \"b\" {\n  block_public_acls   = true\n  block_public_policy = true\n}"
        ),
        neg(
            "tf sg https and egress",
            "terraform",
            "resource \"aws_security_group\" \"web\" {\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = \"-1\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}"
        ),
        neg(
            "tf ssh from vpn",
            "terraform",
            "ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = \"tcp\"\n  cidr_blocks = [\"10.20.0.0/16\"]\n}"
        ),
        neg("tf gcs group member", "terraform", "resource \"google_storage_bucket_iam_member\" \"m\" {\n  member = \"group:data@example.com\"\n}"),
        neg(
            "tf password var",
            "terraform",
            "resource \"aws_db_instance\" \"db\" {\n  password            = var.db_password\n  publicly_accessible = false\n}"
        ),
        neg("k8s hardened", "yaml", "securityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  runAsNonRoot: true"),
        UnsafeCodeCase(
            name: "prose mentions APIs outside fences",
            input: .text(
                "Avoid `verify=False`, `yaml.load` and `pickle.loads` on untrusted input. Never run curl https://x | sh or chmod 777; prefer `subprocess.run([...])` without shell=True, and eval(input) is dangerous.\n"
            ),
            expected: []
        ),
        UnsafeCodeCase(
            name: "Edit old_string unsafe, new safe",
            input: .edit(path: "/repo/app.py", old: "data = yaml.load(f)", new: "data = yaml.safe_load(f)"),
            expected: []
        ),
        UnsafeCodeCase(
            name: "Write README markdown",
            input: .write(path: "/repo/SECURITY.md", content: "Do not use verify=False.\n"),
            expected: []
        ),
        UnsafeCodeCase(name: "Bash safe", input: .bash("chmod 750 ./scripts/deploy.sh && ./scripts/deploy.sh --dry-run"), expected: []),
        UnsafeCodeCase(
            name: "MultiEdit safe",
            input: .multiEdit(path: "/repo/db.go", news: ["rows, err := db.Query(\"SELECT * FROM t WHERE id = $1\", id)"]),
            expected: []
        ),
    ]

    static var all: [UnsafeCodeCase] { positives + negatives }
}
