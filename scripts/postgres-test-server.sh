#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the store tests and prints the line that points them at it.
#
#   eval "$(scripts/postgres-test-server.sh)"     start (or find running) and export WARDEN_TEST_POSTGRES_URL
#   scripts/postgres-test-server.sh stop          stop it and delete its directory
#
# The cluster listens on 127.0.0.1 only, trusts every local connection and keeps its data under /tmp:
# it exists to be thrown away. Text sorts by ICU "en" rules, as on a typical server, so byte-order assumptions show up.
# WARDEN_TEST_POSTGRES_PORT picks another port than 55432.
set -euo pipefail

port="${WARDEN_TEST_POSTGRES_PORT:-55432}"
dir="/tmp/warden-postgres-$port"
bin=/usr/lib/postgresql/15/bin

log() { echo "postgres-test-server: $*" >&2; }

# The server refuses to run as root, so as root the cluster belongs to the `postgres` user.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() { [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; }

if [ "${1:-start}" = stop ]; then
    if running; then
        as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -w >&2
    fi
    rm -rf "$dir"
    exit 0
fi

if [ "${1:-start}" != start ]; then
    log "usage: $0 [start|stop]"
    exit 2
fi

if [ ! -x "$bin/initdb" ]; then
    log "installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
    if [ ! -x "$bin/initdb" ]; then
        log "apt installed a PostgreSQL without $bin/initdb; version 15 is required"
        exit 1
    fi
fi

if ! running; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        log "port $port is taken by something else; set WARDEN_TEST_POSTGRES_PORT"
        exit 1
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        rm -rf "$dir"
        mkdir -p "$dir"
        if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
        chmod 700 "$dir"
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --locale-provider=icu --icu-locale=en >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; exit 1; }
        cat >"$dir/data/pg_hba.conf" <<'EOF'
local all all trust
host  all all 127.0.0.1/32 trust
EOF
        # Nothing in this cluster has to survive a crash, so skip the flushes that would slow the tests down.
        cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
max_connections = 200
EOF
    fi
    as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >&2 ||
        { tail -n 20 "$dir/server.log" >&2; exit 1; }
fi

echo "export WARDEN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/postgres"
