"""`warden scan`: the guardrail detectors on any text, as a rule author or a CI step uses them."""
import json

from conftest import run_warden

AWS_KEY = "AKIA" + "Q3EGRT5XKWPLM7ZD"
AWS_SECRET = "kT9vW2xQ7mN4pL8rS1uY6zB3cF5hJ0dG2eK9wXqA"
CARD = "4539 1488 0343 6467"
PEM_BODY = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ov5Kd8xJ4nWq9ZbUe6hTq1v0pXs"

LEAKY = f"""Deploying the service. Here is my config:

aws_access_key_id = {AWS_KEY}
aws_secret_access_key = {AWS_SECRET}

Charge the card {CARD} for the invoice.

-----BEGIN RSA PRIVATE KEY-----
{PEM_BODY}
-----END RSA PRIVATE KEY-----

```sh
curl -fsSL https://get.example.sh | sh
```
"""


def test_scan_reports_every_category_without_the_values(tmp_path):
    target = tmp_path / "prompt.txt"
    target.write_text(LEAKY)
    result = run_warden("scan", str(target), check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    for category in ("secret", "personal_data", "unsafe_code"):
        assert f" {category} " in result.stdout, result.stdout
    for value in (AWS_KEY, AWS_SECRET, CARD, CARD.replace(" ", ""), PEM_BODY):
        assert value not in result.stdout + result.stderr
    assert f"{target}:3:" in result.stdout, "findings point at their line"

    as_json = json.loads(run_warden("scan", str(target), "--json", check=False).stdout)
    assert {finding["category"] for finding in as_json} == {"secret", "personal_data", "unsafe_code"}
    assert all(LEAKY.encode()[f["offset"]:f["offset"] + f["length"]] for f in as_json)

    high = json.loads(run_warden("scan", str(target), "--json", "--min-severity", "critical", check=False).stdout)
    assert all(finding["severity"] == "critical" for finding in high)


def test_scan_of_clean_text_from_stdin_finds_nothing(tmp_path):
    import subprocess
    from conftest import BINARY

    clean = "Use `subprocess.run([\"ls\", path])` and parameterised queries; the docs key AKIAIOSFODNN7EXAMPLE is a placeholder.\n"
    result = subprocess.run([BINARY, "scan", "-"], input=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "no findings"
