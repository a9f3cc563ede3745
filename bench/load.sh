#!/usr/bin/env bash
# load.sh - a bounded load test of `closeloop serve` on a demo workspace:
# wrk with 64 connections for 60 s (loopback only), mixed reads and writes
# as the web UI makes them, then the errors and the server's memory.
# Usage: bench/load.sh [SECONDS]  (default 60; a warm-up of WARMUP seconds,
# default 150, comes first).
#
# Requests (bench/load.lua): about 85% reads (an account's page, the
# account and deal lists with filters and pages, the inbox, the tasks)
# and 15% writes (PATCH of an account with If-Match, marking the inbox
# read), signed in with a bearer token of the RevOps user.
#
# Prints "E errors, RSS before X MB after Y MB (+Z%)", where errors are
# responses outside 2xx/3xx plus socket errors, and the RSS is the server's
# VmRSS after the warm-up and after the run; exits non-zero when there was
# any error or the RSS grew by more than 10%.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-60}
WARMUP=${WARMUP:-150}
THREADS=${WRK_THREADS:-2}
CONNS=${WRK_CONNECTIONS:-64}
PORT=${BENCH_PORT:-$(node -e "const s = require('net').createServer();
s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}

scripts/deps.sh
if [ ! -f build-release/build.ninja ]; then
    meson setup build-release --buildtype=release -Dtests=disabled >/dev/null
fi
ninja -C build-release closeloop >/dev/null
CL=$PWD/build-release/closeloop

WORK=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
DB=$WORK/load.db
"$CL" demo --db "$DB" --now 2026-11-16 >/dev/null
USER_ID=u-revops-1
echo "load-test-password" | "$CL" user passwd "$USER_ID" --db "$DB" >/dev/null
TOKEN=$("$CL" token create --user "$USER_ID" --db "$DB" 2>/dev/null)
ACCOUNTS=$(sqlite3 "$DB" "SELECT count(*) FROM accounts")

"$CL" serve --listen "127.0.0.1:$PORT" --db "$DB" --quiet \
    --tick-hour -1 --deliver-every 0 --client-connections 1000 \
    >"$WORK/serve.out" 2>&1 &
SRV=$!
for _ in $(seq 100); do
    grep -q serving "$WORK/serve.out" 2>/dev/null && break
    sleep 0.1
done
grep -q serving "$WORK/serve.out" || {
    cat "$WORK/serve.out" >&2
    exit 1
}

rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$SRV/status"; }

# wrk's summary: "Non-2xx or 3xx responses: N" and "Socket errors: connect
# A, read B, write C, timeout D" appear only when non-zero.
errors_of() {
    awk '/Non-2xx or 3xx responses:/ {e += $NF}
         /Socket errors:/ {gsub(",", ""); e += $4 + $6 + $8 + $10}
         END {print e + 0}' "$1"
}

URL="http://127.0.0.1:$PORT"
export LOAD_TOKEN=$TOKEN LOAD_ACCOUNTS=$ACCOUNTS
# The warm-up fills SQLite's page caches (64 MiB a connection, one per
# request thread and the worker's): until they are full the RSS grows by
# design, and only growth after that would be a leak.
wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s bench/load.lua "$URL" \
    >"$WORK/warm.txt"
before=$(rss_mb)
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s bench/load.lua \
    "$URL" >"$WORK/run.txt" &
WRK=$!
series=$before
while kill -0 "$WRK" 2>/dev/null; do
    sleep 10
    series="$series $(rss_mb)"
done
wait "$WRK"
after=$(rss_mb)
kill -0 "$SRV" 2>/dev/null || {
    echo "load.sh: the server died" >&2
    cat "$WORK/serve.out" >&2
    exit 1
}

cat "$WORK/run.txt"
errors=$(($(errors_of "$WORK/warm.txt") + $(errors_of "$WORK/run.txt")))
growth=$(awk -v a="$before" -v b="$after" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
echo "RSS every 10 s (MB): $series"
echo "$errors errors, RSS before $before MB after $after MB (+$growth%)"
if [ "$errors" -gt 0 ]; then
    exit 1
fi
awk -v g="$growth" 'BEGIN {exit !(g <= 10)}' || {
    echo "load.sh: the server's RSS grew by more than 10%" >&2
    exit 1
}
