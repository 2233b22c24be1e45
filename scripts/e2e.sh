#!/usr/bin/env bash
# Installs what the browser end-to-end tests need (skipping what is there), then runs them:
# a three-person sfu call through a relay binary, on three Chromium and on two Chromium plus one
# Firefox ESR; then the call modes on Chromium (p2p, auto with chat history, fallback to p2p);
# then call quality (bitrate through the relay against p2p, a lossy downlink, a capped uplink,
# Firefox, a network change mid-call), whose namespaced scenarios need root; then aiortc publishing through the relay on
# REMB (root too).
# Usage: scripts/e2e.sh [RELAY_BIN] [test options]   relay binary: the argument, else $RELAY_BIN,
#                                                    else the debug build; does not build it
#        scripts/e2e.sh --mock                       checks the harness on a mock call page
# Test options go to the sfu call test: --variant chromium|mixed (repeatable), --mock; see
# Tests/e2e/test_sfu_call.py. With --mock only the harness check runs.
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
start=$(date +%s)
python3 Tests/e2e/test_sfu_call.py "${args[@]}"
echo "e2e: sfu calls took $(( $(date +%s) - start )) s"
for arg in "${args[@]}"; do
    if [ "$arg" = "--mock" ]; then exit 0; fi
done
start=$(date +%s)
python3 Tests/e2e/test_modes.py
echo "e2e: call modes took $(( $(date +%s) - start )) s"
start=$(date +%s)
python3 Tests/e2e/test_cluster.py
echo "e2e: cluster failover and drain took $(( $(date +%s) - start )) s"
start=$(date +%s)
python3 Tests/e2e/test_cluster_span.py
echo "e2e: a room across nodes took $(( $(date +%s) - start )) s"
start=$(date +%s)
quality=()
if [ "$(id -u)" -ne 0 ]; then
    echo "e2e: not root: the call quality scenarios loss, uplink, layers-cap, https and network-change (network namespaces) are skipped"
    quality=(--scenario bitrate --scenario firefox --scenario speaker --scenario layers --scenario layers-spread --scenario layers-vp9
             --scenario layers-h264)
fi
python3 Tests/e2e/test_quality.py "${quality[@]}"
echo "e2e: call quality took $(( $(date +%s) - start )) s"
if [ "$(id -u)" -eq 0 ]; then
    start=$(date +%s)
    python3 Tests/e2e/test_aiortc.py
    echo "e2e: aiortc publishing with REMB took $(( $(date +%s) - start )) s"
else
    echo "e2e: not root: the aiortc scenarios (network namespaces) are skipped"
fi
