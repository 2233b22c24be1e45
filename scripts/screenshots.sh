#!/usr/bin/env bash
# Regenerates the screenshots under docs/screenshots from the built debug `relay`: starts it on a
# free port with a throwaway data folder, seeds it, photographs the pages in headless Chromium
# (Debian's chromium and chromium-driver, Selenium from PyPI) and stops it by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
relay="$RELAY_SCRATCH/debug/relay"
work=$(mktemp -d /tmp/relay-shots.XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password="shots-$RANDOM-$RANDOM"
mkdir -p docs/screenshots "$work/shared"
printf '%s\n' "$password" | "$relay" admin create admin --data-dir "$work/data" >"$work/admin.log" 2>&1
"$relay" serve --http-host 127.0.0.1 --http-port "$port" --no-https --data-dir "$work/data" --files-root "$work/shared" \
    >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
python3 scripts/screenshots.py --base "http://127.0.0.1:$port" --admin-password "$password" \
    --files-root "$work/shared" --out docs/screenshots
