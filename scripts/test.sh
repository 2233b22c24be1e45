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

# Real browsers: a three-person call through the relay, on Chromium and on Chromium + Firefox;
# then p2p, auto (with chat history) and the fallback to p2p on Chromium.
start=$(date +%s)
scripts/e2e.sh "$RELAY_SCRATCH/debug/relay"
echo "test: browser calls took $(( $(date +%s) - start )) s"
