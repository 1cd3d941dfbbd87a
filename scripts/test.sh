#!/usr/bin/env bash
# Runs every Warden test: installs what the suite needs (idempotently), starts a throwaway PostgreSQL,
# builds, runs the Swift test suites, then the end-to-end tests that drive the built `warden` binary with the
# official anthropic Python SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -e /usr/include/sqlite3.h ] || need_apt+=(libsqlite3-dev)
[ -e /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
python3 -c 'import anthropic, pytest' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check anthropic pytest

eval "$(scripts/postgres-test-server.sh start)"
trap 'scripts/postgres-test-server.sh stop >/dev/null 2>&1 || true' EXIT

swift format lint --strict --configuration .swift-format -r Sources Tests Benchmarks Package.swift
swift build --build-tests
swift test --skip-build
WARDEN_BINARY="$(swift build --show-bin-path)/warden" python3 -m pytest -q Tests/e2e
