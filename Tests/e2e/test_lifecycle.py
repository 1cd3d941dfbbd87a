"""Warden as an operator runs it: crashes, shutdowns, configuration mistakes, secrets, the demo."""
import json
import signal
import ssl
import subprocess
import threading

import urllib.error
import urllib.request

import anthropic

from conftest import BINARY, Deployment, run_warden


def start_slow_stream(deployment, name, prompt="simulate:slow tell me a long story"):
    """Opens a stream that the simulated upstream paces at 200 ms per event; returns once the first text arrived."""
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token(name), max_retries=0)
    first_text = threading.Event()
    outcome = {}

    def consume():
        try:
            with client.messages.stream(model="claude-opus-4-6", max_tokens=64,
                                        messages=[{"role": "user", "content": prompt}]) as stream:
                outcome["exchange"] = stream.response.headers["warden-exchange-id"]
                for _ in stream.text_stream:
                    first_text.set()
                outcome["final"] = stream.get_final_message()
        except Exception as error:  # the stream is expected to break when Warden dies
            outcome["error"] = error
        finally:
            first_text.set()

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    assert first_text.wait(timeout=30)
    return thread, outcome


def test_kill_9_mid_stream_loses_no_completed_exchange(tmp_path):
    deployment = Deployment(tmp_path)
    try:
        token = deployment.token("kim")
        client = anthropic.Anthropic(base_url=deployment.base_url, api_key=token)
        for turn in range(3):
            client.messages.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": f"before crash {turn}"}])
        before = deployment.export()
        assert [record["outcome"] for record in before] == ["complete"] * 3

        thread, outcome = start_slow_stream(deployment, "kim")
        deployment.warden.stop(sig=signal.SIGKILL)
        thread.join(timeout=30)
        assert "error" in outcome

        deployment.start()
        after = {record["id"]: record for record in deployment.export()}
        for record in before:
            assert after[record["id"]] == record
        interrupted = after[outcome["exchange"]]
        assert interrupted["outcome"] == "interrupted"
        assert interrupted["request_body"]["data"].find("simulate:slow") >= 0

        # The interrupted exchange enters the ledger like any other, and the whole ledger still verifies.
        receipt = tmp_path / "interrupted.tlog"
        receipt.write_text(deployment.wait_for_receipt(outcome["exchange"], token))
        key = deployment.verifier_key()
        checked = run_warden("verify-receipt", str(receipt), "--key", key)
        assert checked.stdout.startswith(f"OK exchange {outcome['exchange']} by kim")
        verified = run_warden("verify", "--key", key, data_dir=deployment.data_dir)
        assert verified.stdout.splitlines()[-1].startswith("OK "), verified.stdout
        assert "INVALID" not in verified.stdout
    finally:
        deployment.close()


def test_sigterm_lets_in_flight_streams_finish(tmp_path):
    deployment = Deployment(tmp_path, grace="30s")
    try:
        thread, outcome = start_slow_stream(deployment, "lee")
        assert deployment.warden.stop(sig=signal.SIGTERM) == 0
        thread.join(timeout=30)
        assert "final" in outcome, outcome.get("error")
        record = {r["id"]: r for r in deployment.export()}[outcome["exchange"]]
        assert record["outcome"] == "complete"
    finally:
        deployment.warden = None
        deployment.close()


def test_sigterm_grace_period_closes_long_streams_as_interrupted(tmp_path):
    deployment = Deployment(tmp_path, grace="1s")
    try:
        thread, outcome = start_slow_stream(deployment, "max", prompt="simulate:slow simulate:long a very long answer")
        deployment.warden.stop(sig=signal.SIGTERM)
        thread.join(timeout=30)
        record = {r["id"]: r for r in deployment.export()}[outcome["exchange"]]
        assert record["outcome"] == "interrupted"
        assert record["response_body"]["length"] > 0
    finally:
        deployment.warden = None
        deployment.close()


def test_no_token_or_key_in_data_directory_or_logs(tmp_path):
    deployment = Deployment(tmp_path)
    token = deployment.token("nia")
    try:
        client = anthropic.Anthropic(base_url=deployment.base_url, api_key=token)
        client.messages.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "grep me"}])
        with client.messages.stream(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "grep me too"}]) as stream:
            stream.get_final_message()
        bad = anthropic.Anthropic(base_url=deployment.base_url, api_key=token + "tampered", max_retries=0)
        try:
            bad.models.list()
        except anthropic.AuthenticationError:
            pass
    finally:
        deployment.close()
    secrets = [token.encode(), (token + "tampered").encode(), deployment.upstream_key.encode()]
    files = [path for path in (tmp_path / "data").rglob("*") if path.is_file()] + [tmp_path / "warden.log"]
    assert any(b"grep me" in path.read_bytes() for path in files), "the check must see recorded content"
    for path in files:
        content = path.read_bytes()
        for secret in secrets:
            assert secret not in content, f"a secret reached {path.name}"
    log_lines = [json.loads(line) for line in (tmp_path / "warden.log").read_text().splitlines() if line.startswith("{")]
    assert sum(1 for line in log_lines if line["message"] == "exchange") == 2


def test_replay_and_listing(deployment):
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("olga", "--name", "Olga"))
    first = client.messages.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "first question"}])
    with client.messages.stream(model="claude-opus-4-6", max_tokens=16, messages=[
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": first.content[0].text},
        {"role": "user", "content": "second question"},
    ]) as stream:
        stream.get_final_message()
        exchange_id = stream.response.headers["warden-exchange-id"]
    sessions = deployment.cli_json("sessions", "list", "--user", "Olga")
    assert len(sessions) == 1 and sessions[0]["exchange_count"] == 2
    transcript = run_warden("replay", sessions[0]["id"], data_dir=deployment.data_dir).stdout
    assert "first question" in transcript and "second question" in transcript and "Simulated reply" in transcript
    realtime = run_warden("replay", sessions[0]["id"], "--realtime", data_dir=deployment.data_dir).stdout
    assert "second question" in realtime
    raw = subprocess.run([BINARY, "replay", "--raw", exchange_id, "--data-dir", str(deployment.data_dir)], capture_output=True, check=True).stdout
    record = deployment.cli_json("exchanges", "show", exchange_id)
    assert raw == record["response_body"]["data"].encode()
    human = run_warden("sessions", "show", sessions[0]["id"], data_dir=deployment.data_dir).stdout
    assert exchange_id in human


def test_config_check_names_every_problem(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(
        "listen:\n  port: 99999\n"
        "upstream:\n  api_key: ${WARDEN_E2E_UNSET_VARIABLE}\n  timeouts:\n    idle: soon\n"
        "identity:\n  issuers:\n    - issuer: https://token.actions.githubusercontent.com\n      algorithms: [HS256]\n"
        "recordng: strict\n"
    )
    result = run_warden("config", "check", str(config), check=False)
    assert result.returncode != 0
    for path in ["listen.port", "upstream.api_key", "upstream.timeouts.idle", "identity.issuers[0].audiences",
                 "identity.issuers[0].algorithms[0]", "recordng"]:
        assert f": {path}:" in result.stdout, path
    good = tmp_path / "good.yaml"
    good.write_text("identity:\n  issuers:\n    - issuer: https://gitlab.com\n      audiences: [https://claude-gw.example.com]\n")
    assert run_warden("config", "check", str(good)).returncode == 0


def test_demo_runs_offline(tmp_path):
    result = subprocess.run([BINARY, "demo", "--data-dir", str(tmp_path / "demo")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "SIMULATED" in result.stdout
    assert "Recorded sessions" in result.stdout
    assert "Replay of" in result.stdout
    assert "401" in result.stdout
    # Everything the demo recorded, the refused attempt included, is in the ledger once it has stopped.
    verified = run_warden("verify", data_dir=tmp_path / "demo")
    assert verified.stdout.splitlines()[-1].startswith("OK 5 leaves in "), verified.stdout


def test_tls_listener(tmp_path):
    certificate, key = tmp_path / "tls.crt", tmp_path / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )
    deployment = Deployment(tmp_path, tls=(certificate, key))
    try:
        assert deployment.base_url.startswith("https://")
        client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("tls-user"),
                                     http_client=anthropic.DefaultHttpxClient(verify=ssl.create_default_context(cafile=str(certificate))))
        message = client.messages.create(model="claude-opus-4-6", max_tokens=16, messages=[{"role": "user", "content": "over tls"}])
        assert message.content[0].text.startswith("Simulated reply to: over tls")
        try:
            urllib.request.urlopen(deployment.base_url.replace("https://", "http://") + "/healthz", timeout=5)
            raise AssertionError("plain HTTP must not be answered on a TLS listener")
        except (urllib.error.URLError, ConnectionError, OSError) as refused:
            assert not isinstance(refused, urllib.error.HTTPError)
    finally:
        deployment.close()
