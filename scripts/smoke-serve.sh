#!/usr/bin/env bash
# Starts the debug `relay` binary on free ports with a fresh data folder, checks that /healthz
# answers over HTTP and over HTTPS, and that the certificate served is the self-signed one the
# server made and logged; stops it by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
https_port=$(free_port)
data=$(mktemp -d)
"$RELAY_SCRATCH/debug/relay" serve --http-host 127.0.0.1 --http-port "$port" --https-port "$https_port" \
    --data-dir "$data" --media-port 0 --workers 1 >/tmp/relay-smoke.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
fail() { echo "smoke: $*" >&2; cat /tmp/relay-smoke.log >&2; exit 1; }
for _ in $(seq 1 100); do
    if body=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null); then break; fi
    sleep 0.1
done
[ "${body:-}" = '{"status":"ok"}' ] || fail "no /healthz over HTTP (got '${body:-}')"
echo "smoke: relay answered /healthz with $body"
# The HTTPS server starts with the plain one; -k: the certificate is self-signed.
secure=$(curl -fsSk "https://127.0.0.1:$https_port/healthz") || fail "no /healthz over HTTPS"
[ "$secure" = '{"status":"ok"}' ] || fail "unexpected body over HTTPS: $secure"
[ -s "$data/tls/https-certificate.pem" ] || fail "no certificate in $data/tls"
served=$(openssl s_client -connect "127.0.0.1:$https_port" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | cut -d= -f2)
grep -q "self-signed certificate made now.*SHA-256 $served" /tmp/relay-smoke.log \
    || fail "the served certificate ($served) is not the one logged"
echo "smoke: HTTPS answered with the self-signed certificate it logged, SHA-256 $served"
# A cookie set over HTTPS is Secure; over plain HTTP (localhost) it cannot be.
curl -fsSkI "https://127.0.0.1:$https_port/login" | grep -i '^set-cookie: relay-csrf=.*; Secure' >/dev/null \
    || fail "the CSRF cookie set over HTTPS is not Secure"
if curl -fsSI "http://127.0.0.1:$port/login" | grep -i '^set-cookie:.*; Secure' >/dev/null; then
    fail "a cookie set over plain HTTP is Secure"
fi
echo "smoke: cookies are Secure over HTTPS only"
# SIGHUP reloads the certificate files as they are (a short-lived one too: nothing is made anew
# then): a new one, as after a renewal, is served to new connections.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 20 -subj /CN=renewed \
    -keyout "$data/tls/https-key.pem" -out "$data/tls/https-certificate.pem" 2>/dev/null
renewed=$(openssl x509 -in "$data/tls/https-certificate.pem" -noout -fingerprint -sha256 | cut -d= -f2)
kill -HUP "$pid"
for _ in $(seq 1 50); do
    now=$(openssl s_client -connect "127.0.0.1:$https_port" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | cut -d= -f2)
    [ "$now" = "$renewed" ] && break
    sleep 0.1
done
[ "$now" = "$renewed" ] || fail "after SIGHUP the server still shows $now, not the new certificate $renewed"
kill -0 "$pid" 2>/dev/null || fail "the server did not survive SIGHUP"
echo "smoke: SIGHUP reloaded the certificate, SHA-256 $renewed"
