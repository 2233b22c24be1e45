#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 and a free port, with its own
# data folder under /tmp; stopped by the PID in its postmaster.pid.
#   scripts/postgres-test-server.sh start STATE_FILE   starts it, writes DIR, PID and URL to STATE_FILE
#   scripts/postgres-test-server.sh stop STATE_FILE    stops it and removes its folder
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

command="${1:?usage: postgres-test-server.sh start|stop STATE_FILE}"
state="${2:?usage: postgres-test-server.sh start|stop STATE_FILE}"

as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$command" in
start)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$bin" ] || { echo "postgres: no server under /usr/lib/postgresql (scripts/setup.sh test installs it)" >&2; exit 1; }
    dir=$(mktemp -d /tmp/relay-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_server_user "$bin/initdb" -D "$dir/data" -U relay -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: the data is thrown away after the run, and the suite runs faster. The tests run
    # in parallel, each application with its own connections, hence max_connections.
    as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=500 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    pid=$(head -1 "$dir/data/postmaster.pid")
    as_server_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U relay relay_test
    {
        echo "RELAY_PG_DIR=$dir"
        echo "RELAY_PG_PID=$pid"
        echo "RELAY_PG_URL=postgres://relay@127.0.0.1:$port/relay_test?sslmode=disable"
    } >"$state"
    echo "postgres: started PID $pid on 127.0.0.1:$port ($dir)"
    ;;
stop)
    [ -f "$state" ] || exit 0
    # shellcheck disable=SC1090
    source "$state"
    # SIGINT is PostgreSQL's fast shutdown: it ends the sessions of clients still connected (a
    # test or node left behind), where SIGTERM would wait for them. SIGQUIT if that hangs.
    for signal in INT QUIT; do
        kill -0 "$RELAY_PG_PID" 2>/dev/null || break
        kill -"$signal" "$RELAY_PG_PID"
        for _ in $(seq 1 100); do
            kill -0 "$RELAY_PG_PID" 2>/dev/null || break
            sleep 0.1
        done
    done
    if kill -0 "$RELAY_PG_PID" 2>/dev/null; then
        echo "postgres: PID $RELAY_PG_PID still running; left $RELAY_PG_DIR in place" >&2
        exit 1
    fi
    rm -rf "$RELAY_PG_DIR" "$state"
    echo "postgres: stopped PID $RELAY_PG_PID"
    ;;
*)
    echo "usage: postgres-test-server.sh start|stop STATE_FILE" >&2
    exit 2
    ;;
esac
