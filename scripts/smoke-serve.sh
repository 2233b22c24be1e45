#!/usr/bin/env bash
# Starts the debug `relay` binary on a free port, checks /healthz answers, stops it by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$RELAY_SCRATCH/debug/relay" serve --http-host 127.0.0.1 --http-port "$port" --media-port 0 --workers 1 >/tmp/relay-smoke.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if body=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null); then
        echo "smoke: relay answered /healthz with $body"
        [ "$body" = '{"status":"ok"}' ] || { echo "smoke: unexpected body" >&2; exit 1; }
        exit 0
    fi
    sleep 0.1
done
echo "smoke: relay did not answer /healthz" >&2
cat /tmp/relay-smoke.log >&2
exit 1
