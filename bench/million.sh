#!/usr/bin/env bash
# million.sh - issue 17's figures on a workspace of 1,000,000 accounts, each
# beside its peer in the same run, as one table of ratios.
#
#   bench/million.sh [--accounts N] [--pg-accounts N] [--seed S]
#                    [--http-seconds S] [--no-pg] [--no-http]
#
# The data is bench/gen-deals.mjs's workspace shape, seeded: N accounts,
# 1.05 N deals, 0.12 N tagged churns and the 11 users they reference
# (defaults N = 1,000,000, PostgreSQL at 100,000).  The figures:
#
#   import   `closeloop import` of users, accounts, deals and churns (four
#            processes, every rule checked) against one `sqlite3` running
#            `.import --csv` of the accounts, deals and churns files into
#            bare tables (no checks, no index but the primary keys);
#   icp      `closeloop report icp` as a whole process, warm (snapshot
#            cache present; median of 3) and cold (cache deleted), against
#            DuckDB running bench/reports-sql/icp.sql over its own tables
#            (loaded from the same CSV, untimed; median of 3); every figure
#            the two share is checked equal (bench/reports-sql.mjs);
#   pack     `closeloop report NAME` for monthly, bad-fit, icp, recovery,
#            health, audit, pipeline and patterns, one process each, the
#            wall times summed: cold (the snapshot cache deleted first, so
#            the first report reads the store and writes the cache) and
#            warm (every report maps the cache);
#   http     the account page of a random account against the JSON hello
#            of the same server, wrk -t2 -c64 (bench/http.sh's approach);
#   pg       the import (COPY path) and the quarterly pack (`report --pack
#            --no-cache`) on PostgreSQL against SQLite, at --pg-accounts,
#            on a throwaway cluster (scripts/pg-cluster.sh, fsync off);
#   memory   peak RSS of the import's and the pack's processes.
#
# Times are wall seconds of whole processes (/usr/bin/time), CPU is user +
# sys.  The machine's load average before and after goes into the table.
# Not a test.  Output under bench/out/: the generated CSV is cached in
# bench/out/million-aN-sS/ (delete it to generate again); the table goes to
# bench/out/million-STAMP.txt and bench/out/million-latest.txt; the
# workspaces are deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NACCOUNTS=1000000
PG_ACCOUNTS=100000
SEED=1
HTTP_SECONDS=10
DO_PG=1
DO_HTTP=1
NOW=2026-11-01
PERIOD=2026Q3
MONTH=2026-09

usage() {
    echo "usage: bench/million.sh [--accounts N] [--pg-accounts N] [--seed S]" >&2
    echo "         [--http-seconds S] [--no-pg] [--no-http]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --accounts) NACCOUNTS=${2:?}; shift 2 ;;
    --pg-accounts) PG_ACCOUNTS=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --http-seconds) HTTP_SECONDS=${2:?}; shift 2 ;;
    --no-pg) DO_PG=0; shift ;;
    --no-http) DO_HTTP=0; shift ;;
    *) usage ;;
    esac
done
for v in "$NACCOUNTS" "$PG_ACCOUNTS" "$SEED" "$HTTP_SECONDS"; do
    [[ $v =~ ^[1-9][0-9]{0,7}$ ]] || {
        echo "million.sh: expected a number from 1 to 99999999, got '$v'" >&2
        exit 2
    }
done
if [ "$NACCOUNTS" -lt 100 ] || [ "$PG_ACCOUNTS" -lt 100 ]; then
    echo "million.sh: --accounts and --pg-accounts: at least 100" >&2
    exit 2
fi

scripts/deps.sh
if [ ! -f build-release/build.ninja ]; then
    meson setup build-release --buildtype=release -Dtests=disabled >/dev/null
fi
if ! out=$(ninja -j2 -C build-release closeloop 2>&1); then
    echo "$out" >&2
    exit 1
fi
CL=$ROOT/build-release/closeloop
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
    (cd bench && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

OUT=$ROOT/bench/out
WORK=$OUT/million-work
PGDIR=$(mktemp -u /tmp/closeloop-million-pg.XXXXXX)
SRV=
cleanup() {
    if [ -n "$SRV" ]; then
        kill "$SRV" 2>/dev/null || true
        wait "$SRV" 2>/dev/null || true
    fi
    scripts/pg-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
rm -rf "$WORK"
mkdir -p "$WORK"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD0=$(loadavg)

# The CSV of N accounts: generated once per size and seed, then reused.
gen() { # N -> prints the directory
    local n=$1 dir=$OUT/million-a$1-s$SEED
    if [ ! -f "$dir/done" ]; then
        echo "generating $n accounts (seed $SEED) ..." >&2
        rm -rf "$dir"
        mkdir -p "$dir"
        node bench/gen-deals.mjs "$dir" $((n * 105 / 100)) "$n" \
            --churns $((n * 12 / 100)) --seed "$SEED"
        touch "$dir/done"
    fi
    echo "$dir"
}
CSV=$(gen "$NACCOUNTS")
KINDS=(users accounts deals churns)

# Each measured process writes "wall user sys maxrss_kb" to $WORK/t/NAME.
mkdir -p "$WORK/t"
timed() { # NAME CMD... (stdout and stderr to $WORK/t/NAME.log)
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/t/$name" "$@" \
        >"$WORK/t/$name.log" 2>&1 || {
        echo "million.sh: $name failed:" >&2
        tail -5 "$WORK/t/$name.log" >&2
        exit 1
    }
}
# Sums of the named measures: "wall cpu maxrss_mb".
sum() {
    local f
    for f in "$@"; do cat "$WORK/t/$f"; done |
        awk '{w += $1; c += $2 + $3; if ($4 > m) m = $4}
             END {printf "%.3f %.3f %.1f\n", w, c, m / 1024}'
}
# Figures for the table, one "key value" a line.
FIG=$WORK/figures
: >"$FIG"
fig() { echo "$1 $2" >>"$FIG"; }
figs() { # PREFIX "wall cpu rss"
    read -r w c m <<<"$2"
    fig "$1.wall" "$w"
    fig "$1.cpu" "$c"
    fig "$1.rss" "$m"
}

# ---- import: closeloop against sqlite3 .import ----------------------------
echo "import ..." >&2
DB=$WORK/ws.db
"$CL" init --db "$DB" >/dev/null
for k in "${KINDS[@]}"; do
    timed "import-$k" "$CL" import "$k" "$CSV/$k.csv" --now "$NOW" --db "$DB"
    figs "import.$k" "$(sum "import-$k")"
done
figs import "$(sum "${KINDS[@]/#/import-}")"

PLAIN=$WORK/plain.db
sqlite3 "$PLAIN" "PRAGMA journal_mode=WAL;
CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT, industry TEXT,
    employees INTEGER, region TEXT, has_ops_function TEXT, csm_id TEXT,
    customer_since TEXT, status TEXT);
CREATE TABLE deals (id TEXT PRIMARY KEY, account_id TEXT, ae_id TEXT,
    type TEXT, source TEXT, stage TEXT, created_on TEXT, first_demo_on TEXT,
    closed_on TEXT, arr REAL, loss_reason TEXT, icp_fit_score INTEGER,
    champion_level TEXT, champion_tenure_months INTEGER, exec_sponsor TEXT,
    use_case TEXT, kickoff_on TEXT);
CREATE TABLE churns (id TEXT PRIMARY KEY, account_id TEXT, deal_id TEXT,
    churned_on TEXT, arr_lost REAL, stated_reason TEXT, diagnosis TEXT,
    predictive_behavior TEXT, primary_cause TEXT, contributing_causes TEXT,
    tagged_by TEXT, tagged_on TEXT);" >/dev/null
timed sqlite-import sqlite3 "$PLAIN" \
    ".import --csv --skip 1 $CSV/accounts.csv accounts" \
    ".import --csv --skip 1 $CSV/deals.csv deals" \
    ".import --csv --skip 1 $CSV/churns.csv churns"
figs sqlite_import "$(sum sqlite-import)"
rm -f "$PLAIN" "$PLAIN-wal" "$PLAIN-shm"
counts=$(sqlite3 -readonly "$DB" "SELECT (SELECT count(*) FROM accounts) ||
    ' accounts, ' || (SELECT count(*) FROM deals) || ' deals, ' ||
    (SELECT count(*) FROM churns) || ' churns, ' ||
    (SELECT count(*) FROM users) || ' users'")
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fig db.mb "$(du -m "$DB" | cut -f1)"

# ---- the reports: icp against DuckDB, then the pack ----------------------
echo "reports ..." >&2
report() { # MEASURE NAME [ARGS...]
    local m=$1 name=$2
    shift 2
    timed "$m" "$CL" report "$name" --now "$NOW" --db "$DB" \
        -o "$WORK/$m.json" "$@"
}
rm -f "$DB.snapshot"
report icp-cold icp --period "$PERIOD"
figs icp_cold "$(sum icp-cold)"
for i in 1 2 3; do report "icp-warm$i" icp --period "$PERIOD"; done
read -r w _ <<<"$(for i in 1 2 3; do sum "icp-warm$i"; done | sort -n |
    sed -n 2p)"
fig icp_warm.wall "$w"
mkdir -p "$WORK/icp"
cp "$WORK/icp-warm1.json" "$WORK/icp/icp.json"
node bench/reports-sql.mjs --reports icp --engines duckdb --repeat 3 \
    --db "$DB" --duck "$WORK/duck.db" --csv "$CSV" --pack "$WORK/icp" \
    --from 2026-07-01 --to 2026-09-30 --today "$NOW" \
    --out "$WORK/duck.json" >"$WORK/duck-checks.txt" || {
    echo "million.sh: DuckDB's icp figures differ from closeloop's:" >&2
    grep -A3 MISMATCH "$WORK/duck-checks.txt" >&2
    exit 1
}
fig duck_icp.wall "$(node -p "require('$WORK/duck.json').reports.icp.duckdb")"
fig icp.checks "$(wc -l <"$WORK/duck-checks.txt")"
rm -f "$WORK/duck.db" "$WORK/duck.db.wal"

PACK=(monthly bad-fit icp recovery health audit pipeline patterns)
period_of() {
    case $1 in
    monthly) echo "--period $MONTH" ;;
    bad-fit | icp | recovery | audit) echo "--period $PERIOD" ;;
    *) echo "" ;;
    esac
}
for run in cold warm; do
    [ "$run" = cold ] && rm -f "$DB.snapshot"
    for r in "${PACK[@]}"; do
        # shellcheck disable=SC2046
        report "pack-$run-$r" "$r" $(period_of "$r")
    done
    figs "pack_$run" "$(sum "${PACK[@]/#/pack-$run-}")"
    for r in "${PACK[@]}"; do
        cmp -s "$WORK/pack-cold-$r.json" "$WORK/pack-$run-$r.json" || {
            echo "million.sh: $r differs between the cold and warm runs" >&2
            exit 1
        }
        fig "pack_$run.$r" "$(sum "pack-$run-$r" | cut -d' ' -f1)"
    done
done

# ---- http: the account page against hello --------------------------------
if [ "$DO_HTTP" = 1 ]; then
    echo "http ..." >&2
    TOKEN=$("$CL" token create --user U008 --db "$DB" 2>/dev/null)
    PORT=$(node -e "const s = require('net').createServer();
        s.listen(0, '127.0.0.1', () => { console.log(s.address().port);
        s.close(); })")
    "$CL" serve --listen "127.0.0.1:$PORT" --db "$DB" --quiet \
        --tick-hour -1 --deliver-every 0 --client-connections 1000 \
        >"$WORK/serve.out" 2>&1 &
    SRV=$!
    for _ in $(seq 300); do
        grep -q serving "$WORK/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    cat >"$WORK/page.lua" <<LUA
math.randomseed($SEED)
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  local id = string.format("A%07d", math.random(0, $NACCOUNTS - 1))
  return wrk.format("GET", "/api/v1/accounts/" .. id .. "/page")
end
LUA
    wrk -t2 -c64 -d3s -s "$WORK/page.lua" "http://127.0.0.1:$PORT" >/dev/null
    wrk_run() { # PREFIX ARGS...
        local p=$1 out
        shift
        out=$(wrk -t2 -c64 -d"${HTTP_SECONDS}s" --latency "$@")
        if grep -q 'Non-2xx' <<<"$out"; then
            echo "million.sh: non-2xx answers:" >&2
            echo "$out" >&2
            exit 1
        fi
        fig "$p.rps" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
        fig "$p.p99" "$(awk '$1 == "99%" {v = $2
            if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
            else if (v ~ /ms$/) sub(/ms/, "", v)
            else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}
            print v}' <<<"$out")"
    }
    wrk_run hello "http://127.0.0.1:$PORT/api/v1/hello"
    wrk_run page -s "$WORK/page.lua" "http://127.0.0.1:$PORT"
    fig serve.rss "$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' \
        "/proc/$SRV/status")"
    kill "$SRV"
    wait "$SRV" 2>/dev/null || true
    SRV=
fi
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.snapshot"

# ---- PostgreSQL against SQLite -------------------------------------------
if [ "$DO_PG" = 1 ]; then
    echo "postgres at $PG_ACCOUNTS accounts ..." >&2
    PCSV=$(gen "$PG_ACCOUNTS")
    PGURL=$(scripts/pg-cluster.sh start "$PGDIR")
    psql -X -q -d "$PGURL" -c "CREATE DATABASE bench"
    PGDB=${PGURL%/*}/bench
    ticks=$(getconf CLK_TCK)
    # The server's CPU: its backends, reaped by the postmaster when each
    # import's connection ends (cutime + cstime of the postmaster).
    server_cpu() {
        awk -v t="$ticks" '{print ($16 + $17) / t}' \
            "/proc/$(head -1 "$PGDIR/data/postmaster.pid")/stat"
    }
    for be in sqlite pg; do
        if [ "$be" = sqlite ]; then D=$WORK/pg-side.db; else D=$PGDB; fi
        "$CL" init --db "$D" >/dev/null
        s0=$([ "$be" = pg ] && server_cpu || echo 0)
        for k in "${KINDS[@]}"; do
            timed "$be-import-$k" "$CL" import "$k" "$PCSV/$k.csv" \
                --now "$NOW" --db "$D"
        done
        s1=$([ "$be" = pg ] && server_cpu || echo 0)
        figs "side_$be.import" "$(sum "${KINDS[@]/#/$be-import-}")"
        fig "side_$be.server_cpu" "$(awk "BEGIN {print $s1 - $s0}")"
        timed "$be-pack" "$CL" report --pack --no-cache --period "$PERIOD" \
            --now "$NOW" --db "$D" -o "$WORK/$be-pack"
        figs "side_$be.pack" "$(sum "$be-pack")"
    done
    diff -r "$WORK/sqlite-pack" "$WORK/pg-pack" >/dev/null || {
        echo "million.sh: the pack differs between SQLite and PostgreSQL" >&2
        exit 1
    }
    PGVER=$(psql -X -At -d "$PGURL" -c 'SHOW server_version' | cut -d' ' -f1)
    fig pg.version "$PGVER"
fi

# ---- the table ------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
{
    echo "million benchmark $stamp, $(nproc) cores, $(uname -r)," \
        "load average before $LOAD0, after $(loadavg)"
    echo "workspace: $counts (seed $SEED), $(awk '$1 == "db.mb" {print $2}' \
        "$FIG") MB; sqlite3 $(sqlite3 --version | cut -d' ' -f1), DuckDB" \
        "$(node -p 'require("./bench/node_modules/@duckdb/node-api/package.json").version')"
    node - "$FIG" "$NACCOUNTS" "$PG_ACCOUNTS" "$DO_HTTP" "$DO_PG" <<'JS'
const fs = require('fs');
const [file, n, npg, http, pg] = process.argv.slice(2);
const f = {};
for (const l of fs.readFileSync(file, 'utf8').trim().split('\n')) {
    const i = l.indexOf(' ');
    f[l.slice(0, i)] = l.slice(i + 1);
}
const v = (k) => Number(f[k]);
const k = (x) => Number(x).toLocaleString('en-US');
const rows = [];
const s = (x) => `${v(x).toFixed(2)} s`;
const ms = (x) => `${(v(x) * 1000).toFixed(0)} ms`;
const row = (figure, cl, peer, ratio, goal) =>
    rows.push([figure, cl, peer, ratio, goal]);
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
row(`import, all four kinds, wall (${k(n)} accounts)`, s('import.wall'),
    `${s('sqlite_import.wall')} sqlite3 .import`,
    ratio(v('import.wall'), v('sqlite_import.wall')), '<= 1.0x');
row('import, CPU', s('import.cpu'), `${s('sqlite_import.cpu')} sqlite3 .import`,
    ratio(v('import.cpu'), v('sqlite_import.cpu')), '<= 1.0x');
row('  of which accounts / deals / churns, wall',
    `${v('import.accounts.wall').toFixed(2)} / ` +
    `${v('import.deals.wall').toFixed(2)} / ` +
    `${v('import.churns.wall').toFixed(2)} s`, '', '', '');
row('report icp, warm cache, whole process', ms('icp_warm.wall'),
    `${ms('duck_icp.wall')} DuckDB`,
    ratio(v('icp_warm.wall'), v('duck_icp.wall')), '< 1.0x (350 ms)');
row('report icp, cold (reads the store)', ms('icp_cold.wall'),
    `${ms('duck_icp.wall')} DuckDB`,
    ratio(v('icp_cold.wall'), v('duck_icp.wall')), '');
row('pack of 8 reports summed, cold', s('pack_cold.wall'), '', '', '< 2 s');
row('pack of 8 reports summed, warm', s('pack_warm.wall'), '', '', '< 1 s');
row('  warm: ' + ['monthly', 'bad-fit', 'icp', 'recovery', 'health', 'audit',
    'pipeline', 'patterns'].map((r) => `${r} ${ms('pack_warm.' + r)}`)
    .join(', '), '', '', '', '');
if (http === '1') {
    row('account page over HTTP, req/s (wrk -t2 -c64)',
        k(Math.round(v('page.rps'))), `${k(Math.round(v('hello.rps')))} hello`,
        ratio(v('page.rps'), v('hello.rps')), '>= 0.5x');
    row('account page, p99', `${v('page.p99').toFixed(2)} ms`,
        `${v('hello.p99').toFixed(2)} ms hello`, '', '< 10 ms');
}
if (pg === '1') {
    const p = `PostgreSQL ${f['pg.version']}`;
    row(`${p} import, wall (${k(npg)} accounts)`, s('side_pg.import.wall'),
        `${s('side_sqlite.import.wall')} SQLite`,
        ratio(v('side_pg.import.wall'), v('side_sqlite.import.wall')),
        '<= 1.5x');
    row(`${p} import, CPU of closeloop + server`,
        `${v('side_pg.import.cpu').toFixed(2)} + ` +
        `${v('side_pg.server_cpu').toFixed(2)} s`,
        `${s('side_sqlite.import.cpu')} SQLite`,
        ratio(v('side_pg.import.cpu') + v('side_pg.server_cpu'),
            v('side_sqlite.import.cpu')), '');
    row(`${p} quarterly pack (report --pack --no-cache)`,
        s('side_pg.pack.wall'), `${s('side_sqlite.pack.wall')} SQLite`,
        ratio(v('side_pg.pack.wall'), v('side_sqlite.pack.wall')), '<= 1.5x');
}
row('peak RSS, import (largest of the four)', `${v('import.rss')} MB`, '', '',
    '< 500 MB');
row('peak RSS, pack (largest of the eight)', `${v('pack_cold.rss')} MB cold, ` +
    `${v('pack_warm.rss')} MB warm`, '', '', '< 500 MB');
if (http === '1')
    row('peak RSS, server after the HTTP runs', `${v('serve.rss')} MB`, '', '',
        '');
const head = ['figure', 'closeloop', 'peer', 'closeloop / peer', 'goal'];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`(icp: ${f['icp.checks']} groups of figures checked equal ` +
    'between closeloop and DuckDB)');
JS
} | tee "$OUT/million-$stamp.txt"
cp "$OUT/million-$stamp.txt" "$OUT/million-latest.txt"
