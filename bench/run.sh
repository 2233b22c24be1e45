#!/usr/bin/env bash
# Builds the relay and the load generator in release mode, and the baseline relay (by default
# commit ba1b0d7, the relay before congestion control) from a clean export of that commit, then
# runs the benchmark suite on both and writes bench/RESULTS.md.
# Usage: bash bench/run.sh [--quick]
#   RELAY_BASELINE_COMMIT=<commit>  the baseline to compare with; empty: no baseline
#   RELAY_BASELINE_BIN=<path>       a baseline relay binary already built (skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh build
python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install --quiet matplotlib
# Janus runs the same load for comparison (bench/janus/); gcc builds its loopback shim; perf
# (linux-perf) profiles the max-rate scenario for PROFILE.md.
for package in janus gcc linux-perf; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        sudo_cmd=""
        if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$package" >/dev/null
    fi
done
swift build -c release --scratch-path "$RELAY_SCRATCH" --product relay
swift build -c release --scratch-path "$RELAY_SCRATCH" --product relay-bench

baseline_commit="${RELAY_BASELINE_COMMIT-ba1b0d7}"
baseline_bin="${RELAY_BASELINE_BIN:-}"
if [ -z "$baseline_bin" ] && [ -n "$baseline_commit" ]; then
    # Its own source folder and build folder outside the clone, kept for the next run.
    baseline_scratch="${RELAY_BASELINE_SCRATCH:-/var/tmp/relay-build-base}"
    baseline_src="$baseline_scratch-src/$baseline_commit"
    if [ ! -f "$baseline_src/Package.swift" ]; then
        mkdir -p "$baseline_src"
        git archive "$baseline_commit" | tar -x -C "$baseline_src"
    fi
    (cd "$baseline_src" && swift build -c release --scratch-path "$baseline_scratch" --product relay)
    baseline_bin="$baseline_scratch/release/relay"
fi
baseline_args=()
if [ -n "$baseline_bin" ]; then
    baseline_args=(--baseline-bin "$baseline_bin" --baseline-name "${baseline_commit:-baseline}")
fi
prefix=""
if [ -z "$baseline_commit" ] && [ -z "${RELAY_BASELINE_BIN:-}" ]; then prefix="RELAY_BASELINE_COMMIT= "; fi
export RELAY_BENCH_COMMANDS="${prefix}bash bench/run.sh ${*@Q}"
exec python3 bench/run_bench.py "${baseline_args[@]}" "$@"
