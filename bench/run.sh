#!/usr/bin/env bash
# Builds the relay and the load generator in release mode, then runs the benchmark suite and
# writes bench/RESULTS.md. Usage: bash bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh build
python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install --quiet matplotlib
swift build -c release --scratch-path "$RELAY_SCRATCH" --product relay
swift build -c release --scratch-path "$RELAY_SCRATCH" --product relay-bench
exec python3 bench/run_bench.py "$@"
