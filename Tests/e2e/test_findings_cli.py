"""`warden findings list` and the findings in `warden exchanges show` and `warden export`, as an auditor reads them.

The findings here are written into the store directly, as the gateway's guardrails would record them with an
exchange, so that the commands are checked on their own."""
import sqlite3

import anthropic

from conftest import run_warden


def add_finding(database, exchange_id, stage, seq, at, rule, category, severity, direction, message, excerpt, action):
    database.execute(
        """
        INSERT INTO findings (exchange_id, stage, seq, at, session_id, issuer, subject, display_name, rule_id, category,
            severity, direction, message_index, block_index, byte_offset, byte_length, excerpt, action)
        SELECT id, ?, ?, ?, session_id, issuer, subject, display_name, ?, ?, ?, ?, ?, 0, 5, 20, ?, ? FROM exchanges WHERE id = ?
        """,
        (stage, seq, at, rule, category, severity, direction, message, excerpt, action, exchange_id),
    )


def test_findings_are_listed_filtered_shown_and_exported(deployment):
    olga = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("olga", "--name", "Olga"), max_retries=0)
    leaked = olga.messages.with_raw_response.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "hi"}])
    exchange_id = leaked.headers["warden-exchange-id"]
    ivan = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("ivan"), max_retries=0)
    clean_id = ivan.messages.with_raw_response.create(
        model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "hello"}]
    ).headers["warden-exchange-id"]

    assert run_warden("findings", "list", data_dir=deployment.data_dir).stdout.strip() == "no findings recorded"

    database = sqlite3.connect(deployment.data_dir / "warden.sqlite")
    received, completed = database.execute("SELECT received_at, completed_at FROM exchanges WHERE id = ?", (exchange_id,)).fetchone()
    add_finding(database, exchange_id, 0, 0, received, "aws-access-key", "secret", 4, "request", 0, "AKIA…MPLE", "mask")
    add_finding(database, exchange_id, 1, 0, completed, "curl-pipe-shell", "unsafe_code", 3, "response", None, "curl … | sh", "record")
    database.commit()

    listed = deployment.cli_json("findings", "list")
    assert [f["rule"] for f in listed] == ["curl-pipe-shell", "aws-access-key"], "newest first"
    assert listed[1]["exchange_id"] == exchange_id and listed[1]["subject"] == "olga"
    assert listed[1]["severity"] == "critical" and listed[1]["location"] == "messages[0].content[0]"
    assert listed[0]["location"] == "response.content[0]" and "message" not in listed[0]
    assert [f["rule"] for f in deployment.cli_json("findings", "list", "--severity", "critical")] == ["aws-access-key"]
    assert [f["rule"] for f in deployment.cli_json("findings", "list", "--category", "unsafe_code")] == ["curl-pipe-shell"]
    assert len(deployment.cli_json("findings", "list", "--user", "Olga", "--since", "1h")) == 2
    assert deployment.cli_json("findings", "list", "--user", "ivan") == []
    assert len(deployment.cli_json("findings", "list", "--limit", "1")) == 1

    human = run_warden("findings", "list", data_dir=deployment.data_dir).stdout.splitlines()
    assert human[0].split() == ["TIME", "SEVERITY", "RULE", "CATEGORY", "USER", "EXCHANGE", "LOCATION", "ACTION", "EXCERPT"]
    assert human[2].split()[1:] == ["critical", "aws-access-key", "secret", "olga", exchange_id, "messages[0].content[0]", "mask", "AKIA…MPLE"]

    wrong = run_warden("findings", "list", "--severity", "severe", data_dir=deployment.data_dir, check=False)
    assert wrong.returncode != 0 and "--severity must be one of low, medium, high, critical" in wrong.stderr

    record = deployment.cli_json("exchanges", "show", exchange_id)
    assert [(f["rule"], f["direction"], f["action"]) for f in record["findings"]] == [
        ("aws-access-key", "request", "mask"),
        ("curl-pipe-shell", "response", "record"),
    ]
    shown = run_warden("exchanges", "show", exchange_id, data_dir=deployment.data_dir).stdout
    assert "findings      2" in shown and "aws-access-key" in shown
    exported = {line["id"]: line for line in deployment.export()}
    assert [f["rule"] for f in exported[exchange_id]["findings"]] == ["aws-access-key", "curl-pipe-shell"]
    assert exported[clean_id]["findings"] == []

    accesses = database.execute("SELECT target FROM accesses WHERE action = 'list-findings' ORDER BY id").fetchall()
    database.close()
    assert {("all",), ("severity critical",), ("since 1h, user Olga",)} <= set(accesses), "each read is recorded with its filters"
