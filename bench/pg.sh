#!/usr/bin/env bash
# pg.sh - benchmark: the same data imported into SQLite and into PostgreSQL,
# and the quarterly report pack built from each, in the same run.
#
# Not a test.  The data is `closeloop demo --csv` (users, accounts, deals,
# churns, recoveries, reviews, CS hours, ARR movements, ICP versions,
# holidays) for NACCOUNTS accounts; PostgreSQL is a throwaway local cluster
# (scripts/pg-cluster.sh: fsync off, like a benchmark box, not production).
# Results go to bench/out/ (gitignored).
# Environment: NACCOUNTS (default 100000), PERIOD (default 2026Q3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NACCOUNTS=${NACCOUNTS:-100000}
PERIOD=${PERIOD:-2026Q3}
NOW=2026-11-01

scripts/deps.sh
if [ -f build/build.ninja ]; then
    meson setup --reconfigure build --buildtype=release >/dev/null
else
    rm -rf build
    meson setup build --buildtype=release >/dev/null
fi
if ! out=$(ninja -C build closeloop 2>&1); then
    echo "$out" >&2
    exit 1
fi
CL=$ROOT/build/closeloop

OUT=$ROOT/bench/out
WORK=$OUT/pg-work
PGDIR=$(mktemp -u /tmp/closeloop-bench-pg.XXXXXX)
mkdir -p "$OUT"
rm -rf "$WORK"
mkdir -p "$WORK/csv"
trap 'scripts/pg-cluster.sh stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
PGURL=$(scripts/pg-cluster.sh start "$PGDIR")
psql -X -q -d "$PGURL" -c "CREATE DATABASE bench"
PGDB=${PGURL%/*}/bench

echo "generating $NACCOUNTS accounts of demo data ..." >&2
"$CL" demo --accounts "$NACCOUNTS" --now "$NOW" --csv "$WORK/csv" \
    --db "$WORK/gen.db" >/dev/null

KINDS=(users accounts deals churns recoveries reviews cs_hours arr_movements
    icp holidays)
REPORTS=(bad-fit.json icp.json recovery.json patterns.json)
now() { date +%s.%N; }
# CPU seconds (user + sys): this shell's finished children (the closeloop
# processes), and the PostgreSQL server's finished backends (each import is
# one connection, reaped by the postmaster when it ends: cutime + cstime).
ticks=$(getconf CLK_TCK)
client_cpu() { awk -v t="$ticks" '{print ($16 + $17) / t}' /proc/$$/stat; }
server_cpu() {
    local pid
    pid=$(head -1 "$PGDIR/data/postmaster.pid" 2>/dev/null) || { echo 0; return; }
    awk -v t="$ticks" '{print ($16 + $17) / t}' "/proc/$pid/stat"
}
elapsed() { node -e 'console.log((Number(process.argv[2]) - Number(process.argv[1])).toFixed(2))' "$1" "$2"; }

results=()
for backend in sqlite postgres; do
    if [ "$backend" = sqlite ]; then DB=$WORK/bench.db; else DB=$PGDB; fi
    "$CL" init --db "$DB" >/dev/null
    c0=$(client_cpu)
    s0=$(server_cpu)
    t0=$(now)
    for k in "${KINDS[@]}"; do
        "$CL" import "$k" "$WORK/csv/$k.csv" --db "$DB" >/dev/null
    done
    t1=$(now)
    c1=$(client_cpu)
    s1=$(server_cpu)
    cpu_client=$(elapsed "$c0" "$c1")
    cpu_server=0.00
    [ "$backend" = postgres ] && cpu_server=$(elapsed "$s0" "$s1")
    # The quarterly pack: one load of the workspace, then each report.
    "$CL" report --pack --period "$PERIOD" -o "$WORK/$backend" \
        --format json --now "$NOW" --timing --db "$DB" \
        2>"$WORK/$backend-timing.txt" >/dev/null
    t2=$(now)
    load=$(awk '/load/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) \
        {print $i; exit}}' "$WORK/$backend-timing.txt")
    rows=$("$CL" info --format json --db "$DB" |
        node -e 'const c=JSON.parse(require("fs").readFileSync(0)).counts;
                 let n=0;for(const k in c) if(k!=="audit") n+=c[k];
                 console.log(n)')
    results+=("$backend $(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2") $rows ${load:-?} $cpu_client $cpu_server")
done

same=yes
for r in "${REPORTS[@]}"; do
    cmp -s "$WORK/sqlite/$r" "$WORK/postgres/$r" || same=no
done

report=$(node -e '
const [n, period, same, ...rs] = process.argv.slice(1);
const rows = rs.map((l) => l.split(" "));
console.log(`data: closeloop demo, ${Number(n).toLocaleString("en-US")} ` +
    `accounts, ${Number(rows[0][3]).toLocaleString("en-US")} records`);
console.log(`quarterly pack (report --pack): bad-fit, icp, recovery for ` +
    `${period} and patterns, JSON; "load" is reading the workspace`);
console.log("backend    import (s)  records/s   pack (s)   of which load (s)" +
    "  import CPU: closeloop (s)  server (s)");
for (const [b, imp, pack, n2, load, cc, cs] of rows)
    console.log(`${b.padEnd(10)} ${imp.padStart(10)} ` +
        `${Math.round(n2 / imp).toLocaleString("en-US").padStart(10)} ` +
        `${pack.padStart(10)} ${load.padStart(10)} ` +
        `${cc.padStart(26)} ${cs.padStart(11)}`);
const [s, p] = rows;
console.log(`postgres/sqlite time: import ${(p[1] / s[1]).toFixed(2)}x, ` +
    `pack ${(p[2] / s[2]).toFixed(2)}x`);
console.log(`report JSON identical on both backends: ${same}`);
' "$NACCOUNTS" "$PERIOD" "$same" "${results[@]}")

stamp=$(date -u +%Y%m%dT%H%M%SZ)
{
    echo "pg benchmark $stamp on $(nproc) cores, $(uname -r)," \
        "$(psql -X -At -d "$PGURL" -c 'SHOW server_version')"
    echo "$report"
} | tee "$OUT/pg-$stamp.txt"
cp "$OUT/pg-$stamp.txt" "$OUT/pg-latest.txt"
rm -rf "$WORK"
