"""End-to-end fixtures: the built `warden` binary, run as real processes on loopback.

A simulated upstream (`warden simulate-upstream`, faithful to the Anthropic wire protocol) stands in for Claude;
Warden runs with `--dev` so `warden dev token` mints identities it trusts. Nothing leaves the machine.
"""
import json
import os
import re
import secrets
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BINARY = os.environ.get("WARDEN_BINARY", str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "warden"))


class Process:
    """A child process whose output is drained to a file by a thread, so it never blocks on a full pipe."""

    def __init__(self, args, log_path, env=None, ready=None):
        self.log_path = Path(log_path)
        self.log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        self.ready_match = None
        found = threading.Event()

        def drain():
            for line in self.popen.stdout:
                self.log.write(line)
                self.log.flush()
                if ready and not found.is_set():
                    match = re.search(ready, line.decode(errors="replace"))
                    if match:
                        self.ready_match = match
                        found.set()
            found.set()

        self.thread = threading.Thread(target=drain, daemon=True)
        self.thread.start()
        if ready:
            found.wait(timeout=60)
            if self.ready_match is None:
                raise RuntimeError(f"{args[1]} did not start: {self.log_path.read_text(errors='replace')[-2000:]}")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            self.popen.wait(timeout=timeout)
        self.thread.join(timeout=10)
        self.log.close()
        return self.popen.returncode


def run_warden(*args, data_dir=None, check=True):
    command = [BINARY, *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"warden {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


class Deployment:
    """One upstream, one Warden, one data directory."""

    def __init__(self, tmp_path, grace="30s", tls=None):
        self.tmp = tmp_path
        self.data_dir = tmp_path / "data"
        self.tls = tls
        self.upstream_key = "sk-ant-api03-" + secrets.token_hex(24)
        self.request_log = tmp_path / "upstream-requests.jsonl"
        env = dict(os.environ, WARDEN_SIMULATOR_API_KEY=self.upstream_key)
        self.upstream = Process(
            [BINARY, "simulate-upstream", "--port", "0", "--request-log", str(self.request_log)],
            tmp_path / "upstream.log",
            env=env,
            ready=r"listening on 127\.0\.0\.1:(\d+)",
        )
        self.upstream_port = int(self.upstream.ready_match.group(1))
        self.config = tmp_path / "warden.yaml"
        listen = "listen:\n  port: 0\n"
        if tls:
            listen += f"  tls:\n    certificate: {tls[0]}\n    key: {tls[1]}\n"
        self.config.write_text(
            listen
            + f"data_directory: {self.data_dir}\n"
            + f"upstream:\n  base_url: http://127.0.0.1:{self.upstream_port}\n  api_key: ${{UPSTREAM_KEY}}\n"
            + f"shutdown:\n  grace_period: {grace}\n"
            + "logging:\n  format: json\n"
        )
        self.env = dict(os.environ, UPSTREAM_KEY=self.upstream_key)
        self.warden = None
        self.start()

    def start(self):
        self.warden = Process(
            [BINARY, "serve", "--config", str(self.config), "--dev"],
            self.tmp / "warden.log",
            env=self.env,
            ready=r'"address":"127\.0\.0\.1:(\d+)"',
        )
        self.port = int(self.warden.ready_match.group(1))
        self.base_url = f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def token(self, sub, *extra):
        return run_warden("dev", "token", "--sub", sub, *extra, data_dir=self.data_dir).stdout.strip()

    def upstream_requests(self):
        if not self.request_log.exists():
            return []
        return [json.loads(line) for line in self.request_log.read_text().splitlines() if line.strip()]

    def cli_json(self, *args):
        return json.loads(run_warden(*args, "--json", data_dir=self.data_dir).stdout)

    def export(self):
        out = run_warden("export", "--format", "jsonl", data_dir=self.data_dir).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def wait_for_receipt(self, exchange_id, token, timeout=10):
        """Polls GET /ledger/proof/{id} until a signed checkpoint covers the exchange (integration takes under a second)."""
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(f"{self.base_url}/ledger/proof/{exchange_id}", headers={"Authorization": f"Bearer {token}"})
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.read().decode()
            except urllib.error.HTTPError as error:
                assert error.code == 404, error.read()
            time.sleep(0.05)
        raise AssertionError(f"no receipt for {exchange_id} within {timeout} s")

    def verifier_key(self):
        return run_warden("keys", "show", "--key", str(self.data_dir / "ledger-signing.key")).stdout.strip()

    def close(self):
        if self.warden:
            self.warden.stop()
        self.upstream.stop()


@pytest.fixture
def deployment(tmp_path):
    deployment = Deployment(tmp_path)
    yield deployment
    deployment.close()
