#!/usr/bin/env bash
# A local cluster of three nodes to try on one machine: a throwaway PostgreSQL
# (scripts/postgres-test-server.sh) and three `relay serve --cluster` on 127.0.0.1, plain HTTP,
# each with its own HTTP port, media UDP ports and data folder, all under one folder in /tmp.
#   scripts/cluster.sh [--relay-bin PATH] [--base-port N] [--participant-budget N]
#                                                           starts it and waits; Ctrl-C stops it
#   scripts/cluster.sh stop                                 stops it from another shell
# Node i (1 to 3) serves http://127.0.0.1:(N+i-1) (N: 8081 unless told) and media on UDP
# 41000+2(i-1) and the next port (two workers). Everything is stopped by PID and its folders removed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
state="$RELAY_SCRATCH/cluster.state"   # DIR and the nodes' PIDS, for `stop`

usage() { echo "usage: scripts/cluster.sh [--relay-bin PATH] [--base-port N] [--participant-budget N] | stop" >&2; exit 2; }

# Stops what the state file names: the nodes (SIGTERM drains; a second one exits at once; SIGKILL
# if that fails), then PostgreSQL, then removes the folder. Whoever moves the state file away
# first does it, once.
stop_cluster() {
    local claimed="$state.stopping.$$" key value dir="" pids="" pid pg_pid=""
    mv "$state" "$claimed" 2>/dev/null || return 0
    while IFS='=' read -r key value; do
        case "$key" in DIR) dir="$value" ;; PIDS) pids="$value" ;; esac
    done <"$claimed"
    [[ "$dir" =~ ^/tmp/relay-cluster\.[A-Za-z0-9]+$ ]] || { rm -f "$claimed"; return 0; }
    # A node of this cluster: its PID still runs relay with a data folder in $dir (not a reused PID).
    ours() { [[ "$1" =~ ^[0-9]+$ ]] && { tr '\0' '\n' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qxF "$dir/node-$2"; }
    for signal in TERM TERM KILL; do
        local left=0 i=0
        for pid in $pids; do
            i=$((i + 1))
            if ours "$pid" "$i"; then kill "-$signal" "$pid" 2>/dev/null || true; left=1; fi
        done
        [ "$left" -eq 1 ] || break
        for _ in $(seq 1 30); do
            left=0 i=0
            for pid in $pids; do i=$((i + 1)); if ours "$pid" "$i"; then left=1; fi; done
            [ "$left" -eq 1 ] || break
            sleep 0.1
        done
        [ "$left" -eq 1 ] || break
    done
    if [ -n "$pids" ]; then echo "cluster: stopped the nodes (PIDs $pids)"; fi
    if [ -f "$dir/postgres.state" ]; then
        pg_pid=$(sed -n 's/^RELAY_PG_PID=//p' "$dir/postgres.state")
        "$root/scripts/postgres-test-server.sh" stop "$dir/postgres.state"
        if [[ "$pg_pid" =~ ^[0-9]+$ ]] && kill -0 "$pg_pid" 2>/dev/null; then
            kill -INT "$pg_pid" 2>/dev/null || true   # fast shutdown: it still had clients
        fi
    fi
    rm -rf "$dir" "$claimed"
    echo "cluster: removed $dir"
}

relay_bin=""
base_port=8081
budget=()
if [ "${1:-}" = "stop" ]; then
    [ "$#" -eq 1 ] || usage
    [ -f "$state" ] || { echo "cluster: nothing to stop (no $state)"; exit 0; }
    stop_cluster
    exit 0
fi
while [ "$#" -gt 0 ]; do
    case "$1" in
    --relay-bin) [ "$#" -ge 2 ] || usage; relay_bin="$2"; shift 2 ;;
    --base-port) [ "$#" -ge 2 ] || usage; base_port="$2"; shift 2 ;;
    --participant-budget) [ "$#" -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage; budget=(--participant-budget "$2"); shift 2 ;;
    *) usage ;;
    esac
done
[[ "$base_port" =~ ^[0-9]+$ ]] && [ "$base_port" -ge 1024 ] && [ "$base_port" -le 65533 ] \
    || { echo "cluster: --base-port must be a number from 1024 to 65533" >&2; exit 2; }

# The release binary that scripts/run.sh builds, else the debug one of the tests.
if [ -z "$relay_bin" ]; then
    for candidate in "$RELAY_SCRATCH/release/relay" "$RELAY_SCRATCH/debug/relay"; do
        if [ -x "$candidate" ]; then relay_bin="$candidate"; break; fi
    done
fi
if [ -z "$relay_bin" ] || [ ! -f "$relay_bin" ] || [ ! -x "$relay_bin" ]; then
    echo "cluster: no relay binary (${relay_bin:-none in $RELAY_SCRATCH/release or $RELAY_SCRATCH/debug})." >&2
    echo "  Build one: scripts/setup.sh build && swift build -c release --product relay --scratch-path $RELAY_SCRATCH" >&2
    echo "  (or run scripts/run.sh once), or give --relay-bin PATH." >&2
    exit 1
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/postgres" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "cluster: no PostgreSQL server (postgres and initdb under /usr/lib/postgresql/*/bin)." >&2
    echo "  scripts/setup.sh test installs it (Debian's postgresql package), or: sudo apt-get install postgresql" >&2
    exit 1
fi
if [ -f "$state" ]; then
    pids=$(sed -n 's/^PIDS=//p' "$state")
    for pid in $pids; do
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            echo "cluster: one is already running (PID $pid); scripts/cluster.sh stop stops it" >&2
            exit 1
        fi
    done
    stop_cluster   # what is left of one that was not stopped: its folders
fi
for i in 1 2 3; do
    port=$((base_port + i - 1))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "cluster: port $port is taken; choose another --base-port" >&2
        exit 1
    fi
done

dir=$(mktemp -d /tmp/relay-cluster.XXXXXX)
mkdir -p "$RELAY_SCRATCH"
printf 'DIR=%s\nPIDS=\n' "$dir" >"$state"
trap 'stop_cluster' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$root/scripts/postgres-test-server.sh" start "$dir/postgres.state"
database_url=$(sed -n 's/^RELAY_PG_URL=//p' "$dir/postgres.state")

pids=()
for i in 1 2 3; do
    port=$((base_port + i - 1))
    mkdir -p "$dir/node-$i"
    DATABASE_URL="$database_url" "$relay_bin" serve --cluster --node-id "node-$i" \
        --public-url "http://127.0.0.1:$port" --http-host 127.0.0.1 --http-port "$port" --no-https \
        --workers 2 --media-port $((41000 + 2 * (i - 1))) "${budget[@]}" \
        --data-dir "$dir/node-$i" --resources-dir "$root" >"$dir/node-$i.log" 2>&1 &
    pids+=("$!")
    printf 'DIR=%s\nPIDS=%s\n' "$dir" "${pids[*]}" >"$state"
    # One at a time: the first runs the migrations before the others share the database.
    for _ in $(seq 1 300); do
        curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        kill -0 "${pids[-1]}" 2>/dev/null || break
        sleep 0.2
    done
    if ! curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
        echo "cluster: node-$i did not come up; its log:" >&2
        tail -20 "$dir/node-$i.log" >&2
        exit 1
    fi
    echo "cluster: node-$i (PID ${pids[-1]}) on http://127.0.0.1:$port"
done

printf -v shown_bin '%q' "$relay_bin"
printf -v shown_root '%q' "$root"
cat <<EOF

Three nodes share the PostgreSQL at $database_url
  node-1  http://127.0.0.1:$base_port
  node-2  http://127.0.0.1:$((base_port + 1))
  node-3  http://127.0.0.1:$((base_port + 2))
Logs: $dir/node-1.log (and node-2, node-3)

Create an admin (the password, 8 characters or more, comes on stdin):
  printf '%s\n' 'PASSWORD' | DATABASE_URL='$database_url' $shown_bin admin create alice --resources-dir $shown_root
then log in at http://127.0.0.1:$base_port/login and open http://127.0.0.1:$base_port/cluster
(the live nodes, as JSON). A call: open http://127.0.0.1:$base_port/call/ROOM; its first join
places the room on one node, and the call page of that room on another node redirects there.

Ctrl-C, or scripts/cluster.sh stop from another shell, stops everything and removes $dir.
EOF

# Wait: until `stop` takes the state file away (then it does the stopping), or a node exits.
while [ -f "$state" ]; do
    for i in 1 2 3; do
        if ! kill -0 "${pids[i - 1]}" 2>/dev/null; then
            [ -f "$state" ] || break 2
            echo "cluster: node-$i exited; its log:" >&2
            tail -20 "$dir/node-$i.log" >&2
            exit 1
        fi
    done
    sleep 1
done
trap - EXIT
