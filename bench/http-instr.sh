#!/usr/bin/env bash
# http-instr.sh - the server's instructions per request (valgrind's
# callgrind: repeatable, unlike req/s on a shared machine) for the account
# page and for the static hello of the same server, and their ratio.
#   bench/http-instr.sh [ACCOUNTS] [REQUESTS]   (default 100000, 300)
# The server runs under callgrind; counting starts after a warm-up of 20
# requests of each kind, so it covers the steady state of one pool thread.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${1:-100000}
N=${2:-300}
# A free loopback port unless one is given: a server left on a fixed port
# would answer in this one's place.
PORT=${BENCH_PORT:-$(node -e "const s = require('net').createServer();
s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}

scripts/deps.sh
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
if [ ! -f build-release/build.ninja ]; then
    meson setup build-release --buildtype=release -Dtests=disabled >/dev/null
fi
ninja -C build-release closeloop >/dev/null
CL=build-release/closeloop

WORK=$(mktemp -d)
SRV=
trap 'kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
DB=$WORK/bench.db
"$CL" demo --accounts "$ACCOUNTS" --db "$DB" >/dev/null
TOKEN=$("$CL" token create --user u-revops-1 --db "$DB" 2>/dev/null)

count() { # KIND -> instructions for N requests, in $WORK/KIND.total
    local out=$WORK/cg.$1
    valgrind --tool=callgrind --callgrind-out-file="$out.%p" \
        "$CL" serve --listen "127.0.0.1:$PORT" --db "$DB" --quiet \
        --tick-hour -1 --deliver-every 0 >"$WORK/serve.out" 2>&1 &
    SRV=$!
    for _ in $(seq 200); do
        curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/hello" && break
        sleep 0.2
    done
    node bench/http-client.mjs "$PORT" "$TOKEN" 20 "$1" "$ACCOUNTS"
    callgrind_control -z "$SRV" >/dev/null
    node bench/http-client.mjs "$PORT" "$TOKEN" "$N" "$1" "$ACCOUNTS"
    callgrind_control -d "$SRV" >/dev/null
    kill "$SRV"
    wait "$SRV" 2>/dev/null || true
    SRV=
    # The dump after zeroing (file .1) holds the N requests only; callgrind
    # writes one file per thread part, so sum them.
    local total=0 f
    for f in "$out".*.1*; do
        total=$((total + $(callgrind_annotate "$f" 2>/dev/null |
            awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')))
    done
    echo "$total" >"$WORK/$1.total"
}

count hello
count page
HELLO=$(cat "$WORK/hello.total")
PAGE=$(cat "$WORK/page.total")
awk -v h="$HELLO" -v p="$PAGE" -v n="$N" -v a="$ACCOUNTS" 'BEGIN {
    printf "callgrind, %d requests each, %d accounts\n", n, a
    printf "%-14s %14s\n", "endpoint", "instr/request"
    printf "%-14s %14.0f\n", "hello", h / n
    printf "%-14s %14.0f\n", "account page", p / n
    printf "ratio page/hello: %.1f\n", p / h
}'
