#!/usr/bin/env bash
# Installs what building and testing Relay needs on Debian 12, skipping what is already there.
# Usage: scripts/setup.sh [build|test]   (test adds the tools the test suite drives: curl, and
#                                        the browsers and drivers of the end-to-end tests)
set -euo pipefail

mode="${1:-build}"
packages=(pkg-config libsrtp2-dev libssl-dev libopus-dev libvpx-dev openssl)
if [ "$mode" = "test" ]; then
    # postgresql: the web tests run a second time on a throwaway server (scripts/postgres-test-server.sh);
    # chromium, chromium-driver, firefox-esr: the browser end-to-end tests; iproute2, nftables:
    # the thin and lossy links of the call quality test (namespaces, tbf, random loss); coturn:
    # the TURN scenario of the modes test.
    packages+=(curl postgresql chromium chromium-driver firefox-esr iproute2 nftables coturn)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$mode" = "test" ]; then
    # Python modules from PyPI, installed only when the import fails.
    python3 -c 'import selenium' 2>/dev/null || {
        echo "setup: installing selenium"; python3 -m pip install --quiet selenium; }
    python3 -c 'import marionette_driver' 2>/dev/null || {
        echo "setup: installing marionette_driver"; python3 -m pip install --quiet marionette_driver; }
    # aiortc, a second WebRTC stack, in an environment of its own: it upgrades cryptography,
    # which the system's Python packages may depend on.
    aiortc_env="$(cd "$(dirname "$0")/.." && pwd)/.build-aiortc"
    "$aiortc_env/bin/python" -c 'import aiortc, websockets' 2>/dev/null || {
        echo "setup: installing aiortc and websockets in $aiortc_env"
        dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "install ok installed" || {
            sudo_cmd=""
            if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
            DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-venv >/dev/null; }
        python3 -m venv "$aiortc_env"
        "$aiortc_env/bin/pip" install --quiet aiortc websockets; }
fi

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        echo "setup: add /opt/swift/usr/bin to PATH" >&2
    fi
    echo "setup: Swift 6 is required (swift.org toolchain for Debian 12); 'swift' is not on PATH" >&2
    exit 1
fi
