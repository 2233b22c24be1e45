#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh test

start=$(date +%s)
swift build --build-tests --scratch-path "$RELAY_SCRATCH"
echo "test: build took $(( $(date +%s) - start )) s"

# The web tests run in a process of their own: the relay's memory checks read the resident size of
# the whole test process, which the web tests' databases and servers would inflate.
swift test --skip-build --scratch-path "$RELAY_SCRATCH" --skip WebTests
swift test --skip-build --scratch-path "$RELAY_SCRATCH" --filter WebTests

# The web tests again on PostgreSQL: a throwaway server on a free port, stopped by PID after.
pg_state=$(mktemp /tmp/relay-pg-state.XXXXXX)
trap 'scripts/postgres-test-server.sh stop "$pg_state"' EXIT
scripts/postgres-test-server.sh start "$pg_state"
pg_url=$(grep '^RELAY_PG_URL=' "$pg_state" | cut -d= -f2-)
start=$(date +%s)
RELAY_TEST_DATABASE_URL="$pg_url" swift test --skip-build --scratch-path "$RELAY_SCRATCH" --filter WebTests
echo "test: web tests on PostgreSQL took $(( $(date +%s) - start )) s"
scripts/postgres-test-server.sh stop "$pg_state"
trap - EXIT

# Every parser that takes bytes from outside, under libFuzzer and the address sanitizer, for
# 10 s each on the corpus kept in Fuzz/Corpus (scripts/fuzz.sh runs them longer).
start=$(date +%s)
scripts/fuzz.sh --ci
echo "test: fuzzing took $(( $(date +%s) - start )) s"

scripts/smoke-serve.sh

scripts/durability-test.sh

# Real browsers: a three-person call through the relay, on Chromium and on Chromium + Firefox;
# then p2p, auto (with chat history) and the fallback to p2p on Chromium.
start=$(date +%s)
scripts/e2e.sh "$RELAY_SCRATCH/debug/relay"
echo "test: browser calls took $(( $(date +%s) - start )) s"

# The throughput benchmark, as a smoke run only: packets flow and the report is written; then a
# short storm (a call of two, 2 s of 5,000 bad datagrams a second on its media port) must keep
# the call's packets and have every bad datagram counted by the relay. Speed is measured by
# bench/run.sh, never asserted here.
smoke_out=$(mktemp -d)
python3 bench/run_bench.py --smoke --relay-bin "$RELAY_SCRATCH/debug/relay" \
    --bench-bin "$RELAY_SCRATCH/debug/relay-bench" --out "$smoke_out"
test -s "$smoke_out/RESULTS.md"
rm -rf "$smoke_out"

# One room across two media workers: a 1→12 room whose last five subscribers are on the second
# worker, every frame decoded and compared with the publisher's clip.
python3 bench/spread.py --smoke --relay-bin "$RELAY_SCRATCH/debug/relay" --bench-bin "$RELAY_SCRATCH/debug/relay-bench"
