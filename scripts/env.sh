# Sourced by the scripts: where builds go. A build folder outside the clone survives a fresh
# clone, so the dependencies (Vapor, SwiftNIO, ...) are compiled once per machine.
: "${RELAY_SCRATCH:=/var/tmp/relay-build}"
if [ -x /opt/swift/usr/bin/swift ] && ! command -v swift >/dev/null 2>&1; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
export RELAY_SCRATCH
