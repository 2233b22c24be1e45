#!/usr/bin/env bash
# Installs what is missing, builds Relay and runs it on its embedded defaults.
# Extra arguments go to `relay serve` (see `relay serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh build
swift build -c release --product relay --scratch-path "$RELAY_SCRATCH"
mkdir -p data
exec "$RELAY_SCRATCH/release/relay" serve "$@"
