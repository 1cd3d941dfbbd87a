"""The ledger's command-line tools as an operator and an auditor use them."""
import base64
import os
import re
import stat

from conftest import run_warden

VKEY = re.compile(r"^warden\.example/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$")


def test_keys_generate_writes_a_private_key_and_prints_its_verifier_key(tmp_path):
    key_file = tmp_path / "keys" / "ledger.key"
    result = run_warden("keys", "generate", "--origin", "warden.example/ledger", "--out", str(key_file))
    vkey = result.stdout.strip()
    assert VKEY.match(vkey), vkey
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    secret = key_file.read_text().strip()
    assert secret.startswith("PRIVATE+KEY+warden.example/ledger+")
    assert secret.split("+", 4)[3] == vkey.split("+", 2)[1], "signer and verifier key share the key id"
    assert base64.b64decode(vkey.split("+", 2)[2])[0] == 1, "an Ed25519 signed-note key"  # base64 may itself hold "+"
    assert secret.split("+", 4)[4] not in result.stdout + result.stderr

    again = run_warden("keys", "generate", "--origin", "warden.example/ledger", "--out", str(key_file), check=False)
    assert again.returncode != 0 and "already exists" in again.stderr
    assert key_file.read_text().strip() == secret, "an existing key is never overwritten without --force"

    forced = run_warden("keys", "generate", "--origin", "warden.example/ledger", "--out", str(key_file), "--force")
    assert forced.stdout.strip() != vkey


def test_verify_receipt_refuses_a_file_that_is_not_a_receipt(tmp_path):
    key_file = tmp_path / "ledger.key"
    vkey = run_warden("keys", "generate", "--origin", "warden.example/ledger", "--out", str(key_file)).stdout.strip()
    bogus = tmp_path / "receipt.txt"
    bogus.write_text("c2sp.org/tlog-proof@v1\nindex 01\n\n")
    result = run_warden("verify-receipt", str(bogus), "--key", vkey, check=False)
    assert result.returncode == 1
    assert result.stdout.startswith(f"INVALID receipt {bogus}: not a tlog-proof receipt")
    both = run_warden("verify-receipt", str(bogus), check=False)
    assert both.returncode != 0 and "exactly one of --key or --policy" in both.stderr
