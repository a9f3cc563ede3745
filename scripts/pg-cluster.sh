#!/usr/bin/env bash
# pg-cluster.sh - a throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR   initdb + start on a free port; prints
#                                     the url (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR
#
# initdb and pg_ctl refuse to run as root: as root they run as the postgres
# user (runuser) in a DIR owned by it.  fsync is off: the data is thrown away.
set -euo pipefail

bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
    echo "pg-cluster: no initdb found (apt-get install postgresql)" >&2
    exit 1
}

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
BIN=$(bindir)

case "$cmd" in
start)
    if [ "$(id -u)" -eq 0 ]; then
        install -d -o postgres -g postgres "$dir"
    else
        mkdir -p "$dir"
    fi
    as_pg "$BIN/initdb" -D "$dir/data" --auth=trust -U postgres --no-sync \
        -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    for try in 1 2 3 4 5; do
        port=$(free_port)
        if as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o \
            "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            -w start >/dev/null 2>&1; then
            echo "postgres://postgres@127.0.0.1:$port/postgres"
            exit 0
        fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
