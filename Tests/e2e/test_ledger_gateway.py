"""The ledger end to end: a running gateway sequences what it records, signs checkpoints, serves receipts, records
auditors' reads as leaves, and `warden verify` finds a record changed behind its back."""
import sqlite3

import anthropic

from conftest import run_warden


def test_ledger_records_verifies_and_detects_tampering(deployment, tmp_path):
    token = deployment.token("ci-bot")
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=token, max_retries=0)
    first = client.messages.with_raw_response.create(
        model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": "first"}]
    )
    exchange_id = first.headers["warden-exchange-id"]
    session_id = first.headers["warden-session-id"]
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": "second"}]) as stream:
        stream.until_done()

    # An auditor's read becomes a leaf too. It happened before the third exchange, so once that exchange has a
    # receipt, the replay's leaf is under the same checkpoint.
    run_warden("replay", session_id, data_dir=deployment.data_dir)
    second_id = client.messages.with_raw_response.create(
        model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": "third"}]
    ).headers["warden-exchange-id"]
    deployment.wait_for_receipt(second_id, token)

    vkey = deployment.verifier_key()
    receipt = tmp_path / "receipt.proof"
    run_warden("prove", exchange_id, "--out", str(receipt), data_dir=deployment.data_dir)
    checked = run_warden("verify-receipt", str(receipt), "--key", vkey)
    assert checked.stdout.startswith(f"OK exchange {exchange_id} by ci-bot")

    database = sqlite3.connect(deployment.data_dir / "warden.sqlite")
    accesses = database.execute(
        "SELECT a.action, a.target FROM accesses a JOIN ledger_leaves l ON l.record_id = a.id WHERE l.kind = 3"
    ).fetchall()
    assert ("replay", session_id) in accesses

    verified = run_warden("verify", "--key", vkey, data_dir=deployment.data_dir)
    assert verified.stdout.splitlines()[-1].startswith("OK "), verified.stdout
    assert "INVALID" not in verified.stdout

    database.execute("UPDATE exchanges SET model = 'claude-opus-4-1' WHERE id = ?", (exchange_id,))
    database.commit()
    database.close()
    tampered = run_warden("verify", "--key", vkey, data_dir=deployment.data_dir, check=False)
    assert tampered.returncode == 1
    assert f"INVALID exchange {exchange_id}: model differs from the ledger" in tampered.stdout.splitlines()

    # A verifier key that is not the log's: every checkpoint is refused.
    other = run_warden("keys", "generate", "--origin", "someone.else/log", "--out", str(tmp_path / "other.key")).stdout.strip()
    wrong = run_warden("verify", "--key", other, "--skip-bodies", data_dir=deployment.data_dir, check=False)
    assert wrong.returncode == 1
    assert any(line.startswith("INVALID checkpoint ") and "not signed by a trusted key" in line for line in wrong.stdout.splitlines())
