#!/usr/bin/env bash
# Builds the relay and the load generator in release mode, then runs the benchmark suite and
# writes bench/RESULTS.md. Usage: bash bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh build
python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install --quiet matplotlib
# Janus runs the same load for comparison (bench/janus/); gcc builds its loopback shim.
for package in janus gcc; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        sudo_cmd=""
        if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$package" >/dev/null
    fi
done
swift build -c release --scratch-path "$RELAY_SCRATCH" --product relay
swift build -c release --scratch-path "$RELAY_SCRATCH" --product relay-bench
exec python3 bench/run_bench.py "$@"
