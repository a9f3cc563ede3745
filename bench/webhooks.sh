#!/usr/bin/env bash
# webhooks.sh - issue 15's figures: generic webhook events applied per
# second (each stored in the inbox, then applied through the engine in its
# own transaction, before the answer) and the latency from an event sent to
# its notifications queued, against GET /api/v1/hello of the same server
# from the same client in the same run.  Loopback only.
#
# usage: bench/webhooks.sh [EVENTS] [CONNS] [ACCOUNTS]
#   (default 5000 events, 16 connections, a 2,000-account demo workspace)
#
# The client is bench/webhooks.mjs (node's fetch, HMAC-signed as
# docs/integrations.md says).  At the end the inbox must hold every event
# as applied once, and the outbox the notifications of every churn event;
# the script fails otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-5000}
CONNS=${2:-16}
ACCOUNTS=${3:-2000}
for v in "$EVENTS" "$CONNS" "$ACCOUNTS"; do
    if ! [[ $v =~ ^[0-9]+$ ]] || [ "$v" -lt 1 ] || [ "$v" -gt 10000000 ]; then
        echo "usage: bench/webhooks.sh [EVENTS] [CONNS] [ACCOUNTS] (1..10000000)" >&2
        exit 2
    fi
done
PORT=${BENCH_PORT:-$(node -e "const s = require('net').createServer();
s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}
SECRET=bench-secret-0123456789abcdef

scripts/deps.sh
if [ ! -f build-release/build.ninja ]; then
    meson setup build-release --buildtype=release -Dtests=disabled >/dev/null
fi
ninja -C build-release closeloop >/dev/null
CL=build-release/closeloop

WORK=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && { kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; }; rm -rf "$WORK"' EXIT
DB=$WORK/bench.db
"$CL" demo --accounts "$ACCOUNTS" --db "$DB" --now 2026-11-01 >/dev/null
"$CL" config set webhook_generic_secret "$SECRET" --db "$DB" >/dev/null
"$CL" export deals --db "$DB" -o "$WORK/deals.csv"
outbox0=$(sqlite3 "$DB" 'SELECT count(*) FROM outbox')

# One client address: lift the per-client connection cap; no tick and no
# delivery worker beside the measured requests.
"$CL" serve --listen "127.0.0.1:$PORT" --db "$DB" --quiet \
    --tick-hour -1 --deliver-every 0 --client-connections 1000 \
    >"$WORK/serve.out" 2>&1 &
SRV=$!
for _ in $(seq 100); do
    grep -q serving "$WORK/serve.out" 2>/dev/null && break
    sleep 0.1
done

t0=$(date +%s.%N)
cpu0=$(awk '{print $14 + $15}' "/proc/$SRV/stat")
json=$(node bench/webhooks.mjs "http://127.0.0.1:$PORT" "$SECRET" "$EVENTS" \
    "$CONNS" "$WORK/deals.csv")
cpu1=$(awk '{print $14 + $15}' "/proc/$SRV/stat")
t1=$(date +%s.%N)

applied=$(sqlite3 "$DB" "SELECT count(*) FROM inbox WHERE source = 'generic' AND status = 'applied' AND attempts = 1 AND event_id LIKE 'bench-%'")
outbox1=$(sqlite3 "$DB" 'SELECT count(*) FROM outbox')
echo "$json" >"$WORK/result.json"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [applied, queued, wall, cpu, hz] = process.argv.slice(2).map(Number);
const line = (a, b, c, d) => console.log(a.padEnd(34) + String(b).padStart(10) +
    String(c).padStart(10) + String(d).padStart(12));
console.log(`${r.events} events, ${r.conns} connections, loopback; load ` +
    `average ${require("os").loadavg().map((x) => x.toFixed(1)).join(" ")}`);
line("", "per s", "p50 ms", "p99 ms");
line("GET /api/v1/hello", r.hello_per_s, "", r.hello_p99_ms);
line("webhook event applied", r.events_per_s, r.event_p50_ms, r.event_p99_ms);
line("  of which churns notifying an AE", r.notifying_events,
    r.notify_p50_ms, r.notify_p99_ms);
console.log(`events / hello: ${(r.events_per_s / r.hello_per_s).toFixed(3)}; ` +
    `applied once: ${applied} of ${r.events}; notifications queued: ` +
    `${queued}; server CPU ${(cpu / hz).toFixed(1)} s over ` +
    `${wall.toFixed(1)} s (hello and events)`);
if (applied !== r.events || queued < 2 * r.notifying_events) {
    console.error("webhooks.sh: not every event was applied once, or a " +
        "churn event queued no notification");
    process.exit(1);
}' "$WORK/result.json" "$applied" "$((outbox1 - outbox0))" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$((cpu1 - cpu0))" "$(getconf CLK_TCK)"
