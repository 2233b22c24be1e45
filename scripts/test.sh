#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh test

start=$(date +%s)
swift build --build-tests --scratch-path "$RELAY_SCRATCH"
echo "test: build took $(( $(date +%s) - start )) s"

swift test --skip-build --scratch-path "$RELAY_SCRATCH"

scripts/smoke-serve.sh

# Real browsers: a three-person call through the relay, on Chromium and on Chromium + Firefox.
start=$(date +%s)
scripts/e2e.sh "$RELAY_SCRATCH/debug/relay"
echo "test: browser calls took $(( $(date +%s) - start )) s"

# The throughput benchmark, as a smoke run only: packets flow and the report is written. Speed
# is measured by bench/run.sh, never asserted here.
smoke_out=$(mktemp -d)
python3 bench/run_bench.py --smoke --relay-bin "$RELAY_SCRATCH/debug/relay" \
    --bench-bin "$RELAY_SCRATCH/debug/relay-bench" --out "$smoke_out"
test -s "$smoke_out/RESULTS.md"
rm -rf "$smoke_out"
