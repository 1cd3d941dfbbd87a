"""Guardrails through the official SDK: a secret in a prompt is forwarded, recorded masked, listed as a finding, and
blocked once a rule says so; the value reaches no recording, export, log line or error message."""
import base64
import json
import random
import string

import anthropic
import pytest

from conftest import run_warden


def aws_key():
    return "AKIA" + "".join(random.choice(string.ascii_uppercase + "234567") for _ in range(16))


def forwarded_bodies(deployment):
    return [base64.b64decode(request["body_base64"]).decode() for request in deployment.upstream_requests()]


def body_text(record_body):
    data = record_body["data"]
    return data if record_body["encoding"] == "utf8" else base64.b64decode(data).decode()


def test_secret_is_forwarded_recorded_masked_and_listed(deployment):
    key = aws_key()
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("dana"), max_retries=0)
    with client.messages.stream(
        model="claude-opus-4-6", max_tokens=64, messages=[{"role": "user", "content": f"deploy with {key} now"}]
    ) as stream:
        text = "".join(stream.text_stream)
        exchange_id = stream.response.headers["warden-exchange-id"]
    assert key in text, "the answer reaches the client unchanged"
    assert any(key in body for body in forwarded_bodies(deployment)), "the request is forwarded unchanged"

    shown = deployment.cli_json("exchanges", "show", exchange_id)
    raw = run_warden("replay", "--raw", exchange_id, data_dir=deployment.data_dir).stdout
    exported = deployment.export()
    recorded = [body_text(shown["request_body"]), body_text(shown["response_body"]), json.dumps(shown), raw]
    recorded += [body_text(record["request_body"]) + body_text(record["response_body"]) for record in exported]
    recorded.append((deployment.tmp / "warden.log").read_text())
    for text in recorded:
        assert key not in text and key[4:] not in text
    assert "AKIA****" in body_text(shown["request_body"]) and "****" in raw

    findings = deployment.cli_json("findings", "list", "--category", "secret")
    assert {(f["rule"], f["direction"]) for f in findings} == {("aws-access-key-id", "request"), ("aws-access-key-id", "response")}
    assert all(f["exchange_id"] == exchange_id and f["action"] == "mask" and key not in f["excerpt"] for f in findings)


def test_a_block_rule_refuses_before_forwarding(deployment):
    deployment.warden.stop()
    deployment.config.write_text(deployment.config.read_text() + "guardrails:\n  rules:\n    aws-access-key-id: block\n")
    deployment.start()
    key = aws_key()
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("dana"), max_retries=0)
    with pytest.raises(anthropic.BadRequestError) as refused:
        client.messages.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": f"key {key}"}])
    assert "aws-access-key-id" in str(refused.value) and key not in str(refused.value)
    assert refused.value.response.headers["x-should-retry"] == "false"
    assert not any(key in body for body in forwarded_bodies(deployment))
    blocked = deployment.cli_json("findings", "list")
    assert [(f["rule"], f["action"]) for f in blocked] == [("aws-access-key-id", "block")]
    shown = deployment.cli_json("exchanges", "show", blocked[0]["exchange_id"])
    assert shown["outcome"] == "blocked"
    assert client.messages.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "hello"}]).content
