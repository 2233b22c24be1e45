#!/usr/bin/env bash
# Nothing answered is lost, however the server stops: starts the built `relay` on a free port
# with its own data folder, posts lottery tickets from 8 threads and chat messages over
# /chat/ws, and stops the server during the burst three ways in turn: SIGKILL; SIGTERM with a
# call going on (it must drain: /healthz 503, the call told, no new room, then exit by itself
# once the call ends); SIGTERM twice (it must exit at once). After each, it restarts the server
# and checks that every ticket whose POST was answered and every chat message the server echoed
# is in the database. Servers are stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
relay="$RELAY_SCRATCH/debug/relay"
work=$(mktemp -d /tmp/relay-durability.XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password="durability-$RANDOM-$RANDOM"
printf '%s\n' "$password" | "$relay" admin create player --data-dir "$work/data" >"$work/admin.log" 2>&1

start_server() {
    "$relay" serve --http-host 127.0.0.1 --http-port "$port" --no-https --data-dir "$work/data" >>"$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "durability: relay did not start" >&2
    cat "$work/server.log" >&2
    exit 1
}

for stop in kill drain drain-now; do
    start_server
    python3 scripts/durability_check.py --base "http://127.0.0.1:$port" --user player --password "$password" \
        --record "$work/answered.json" --pid "$pid" --stop "$stop" --after 3 \
        --drain-command "$relay drain --data-dir $work/data"
    status=0
    wait "$pid" 2>/dev/null || status=$?
    pid=""
    # Drained or told twice, the server shuts down cleanly; SIGKILL ends it with 137.
    if [ "$stop" != kill ] && [ "$status" -ne 0 ]; then
        echo "durability: after '$stop' the server exited with $status" >&2
        tail -20 "$work/server.log" >&2
        exit 1
    fi
    start_server
    python3 scripts/durability_check.py --base "http://127.0.0.1:$port" --user player --password "$password" \
        --record "$work/answered.json" --verify
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
done
