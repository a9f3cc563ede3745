#!/usr/bin/env bash
# http.sh - throughput and p99 latency of the account-page endpoint against
# a static hello endpoint of the same server, in the same run (wrk, loopback
# only).  Usage: bench/http.sh [ACCOUNTS] [SECONDS]  (default 100000, 10).
#
# The account page is GET /api/v1/accounts/{id}/page for a random account
# per request (a bearer token of the RevOps user), so the cache sees the
# whole workspace; hello is GET /api/v1/hello.  Prints requests per second
# and p99 for both and their ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${1:-100000}
SECONDS_=${2:-10}
THREADS=${WRK_THREADS:-2}
CONNS=${WRK_CONNECTIONS:-64}
# A free loopback port unless one is given: a server left on a fixed port
# would answer in this one's place.
PORT=${BENCH_PORT:-$(node -e "const s = require('net').createServer();
s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}

scripts/deps.sh
if [ ! -f build-release/build.ninja ]; then
    meson setup build-release --buildtype=release -Dtests=disabled >/dev/null
fi
ninja -C build-release closeloop >/dev/null
CL=build-release/closeloop

WORK=$(mktemp -d)
trap 'kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB=$WORK/bench.db
"$CL" demo --accounts "$ACCOUNTS" --db "$DB" >/dev/null
TOKEN=$("$CL" token create --user u-revops-1 --db "$DB" 2>/dev/null)

# wrk is one client address: lift the per-client connection cap to the
# server's total so WRK_CONNECTIONS above 64 measures the server.
"$CL" serve --listen "127.0.0.1:$PORT" --db "$DB" --quiet \
    --tick-hour -1 --deliver-every 0 --client-connections 1000 \
    >"$WORK/serve.out" 2>&1 &
SRV=$!
for _ in $(seq 50); do
    grep -q serving "$WORK/serve.out" 2>/dev/null && break
    sleep 0.1
done

cat >"$WORK/page.lua" <<LUA
math.randomseed(os.time())
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  local id = string.format("a-%06d", math.random(1, $ACCOUNTS))
  return wrk.format("GET", "/api/v1/accounts/" .. id .. "/page")
end
LUA

# A warm-up so both runs meet a warm page cache.
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$WORK/page.lua" \
    "http://127.0.0.1:$PORT" >/dev/null

run() { # NAME ARGS... -> "rps p99_ms"
    local out
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --latency "$@")
    local rps p99
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
               else if (v ~ /ms$/) {sub(/ms/,"",v)}
               else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
    if grep -q 'Non-2xx' <<<"$out"; then
        echo "http.sh: non-2xx answers:" >&2
        echo "$out" >&2
        exit 1
    fi
    echo "$rps $p99"
}

read -r HELLO_RPS HELLO_P99 < <(run "http://127.0.0.1:$PORT/api/v1/hello")
read -r PAGE_RPS PAGE_P99 < <(run -s "$WORK/page.lua" "http://127.0.0.1:$PORT")

awk -v hr="$HELLO_RPS" -v hp="$HELLO_P99" -v pr="$PAGE_RPS" -v pp="$PAGE_P99" \
    -v n="$ACCOUNTS" -v t="$THREADS" -v c="$CONNS" 'BEGIN {
    printf "wrk -t%d -c%d, %d accounts, loopback\n", t, c, n
    printf "%-14s %12s %10s\n", "endpoint", "req/s", "p99 ms"
    printf "%-14s %12.0f %10.2f\n", "hello", hr, hp
    printf "%-14s %12.0f %10.2f\n", "account page", pr, pp
    printf "ratio page/hello: throughput %.2f (goal >= 0.50), p99 %.2f ms (goal < 10)\n", pr / hr, pp
}'
