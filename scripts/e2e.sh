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

packages=(chromium chromium-driver firefox-esr)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "e2e: installing ${missing[*]}"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python modules from PyPI, installed only when the import fails.
python3 -c 'import selenium' 2>/dev/null || {
    echo "e2e: installing selenium"; python3 -m pip install --quiet selenium; }
python3 -c 'import marionette_driver' 2>/dev/null || {
    echo "e2e: installing marionette_driver"; python3 -m pip install --quiet marionette_driver; }

args=("$@")
if [ "${#args[@]}" -gt 0 ] && [ "${args[0]#--}" = "${args[0]}" ]; then
    export RELAY_BIN="${args[0]}"
    args=("${args[@]:1}")
fi
: "${RELAY_BIN:=$RELAY_SCRATCH/debug/relay}"
export RELAY_BIN
exec python3 Tests/e2e/test_sfu_call.py "${args[@]}"
