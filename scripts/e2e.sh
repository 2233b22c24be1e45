#!/usr/bin/env bash
# Installs what the browser end-to-end test needs (skipping what is there), then runs it:
# a three-person sfu call through a relay binary, on three Chromium and on two Chromium plus one
# Firefox ESR.
# Usage: scripts/e2e.sh [RELAY_BIN] [test options]   relay binary: the argument, else $RELAY_BIN,
#                                                    else the debug build; does not build it
#        scripts/e2e.sh --mock                       checks the harness on a mock call page
# Test options: --variant chromium|mixed (repeatable), --mock; see Tests/e2e/test_sfu_call.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

scripts/setup.sh test

args=("$@")
if [ "${#args[@]}" -gt 0 ] && [ "${args[0]#--}" = "${args[0]}" ]; then
    export RELAY_BIN="${args[0]}"
    args=("${args[@]:1}")
fi
: "${RELAY_BIN:=$RELAY_SCRATCH/debug/relay}"
export RELAY_BIN
exec python3 Tests/e2e/test_sfu_call.py "${args[@]}"
