#!/usr/bin/env bash
# reports.sh - benchmark: the quarterly report pack (bad-fit, icp, recovery
# and churn pattern discovery) on a generated workspace of 1,000,000
# accounts and about 3,000,000 deals, side by side in the same run with the
# same aggregates written as SQL on SQLite (the sqlite3 CLI on the workspace
# file) and on DuckDB (@duckdb/node-api on the same data loaded from
# `closeloop export` CSV).  Every SQL figure is checked against closeloop's
# JSON; a mismatch fails the run.
#
# closeloop's pack runs twice: cold (its snapshot cache deleted, so the
# workspace is read from SQLite and the cache written) and warm (read back
# from the cache); the table shows both.
#
# Not a test.  Results go to bench/out/ (gitignored).  The workspace, its
# CSV export and the DuckDB file are cached there under a name made of the
# parameters; delete bench/out/reports-* to generate them again.
# Environment: NACCOUNTS (default 1000000), DEALS_PER_ACCOUNT (3), SEED (1),
# NOW (2026-11-01: the data ends the day before), PERIOD (2026Q3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NACCOUNTS=${NACCOUNTS:-1000000}
DPA=${DEALS_PER_ACCOUNT:-3}
SEED=${SEED:-1}
NOW=${NOW:-2026-11-01}
PERIOD=${PERIOD:-2026Q3}

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
(cd bench && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

OUT=$ROOT/bench/out
mkdir -p "$OUT"
KEY=reports-a$NACCOUNTS-x$DPA-s$SEED-$NOW
DB=$OUT/$KEY.db
if [ ! -f "$DB" ]; then
    echo "generating $NACCOUNTS accounts, about $DPA deals each ..." >&2
    rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    "$CL" demo --accounts "$NACCOUNTS" --deals-per-account "$DPA" \
        --seed "$SEED" --now "$NOW" --db "$DB.tmp" >&2
    sqlite3 "$DB.tmp" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi
CSV=$OUT/$KEY-csv
if [ ! -f "$CSV/done" ]; then
    echo "exporting CSV for DuckDB ..." >&2
    mkdir -p "$CSV"
    for k in accounts deals churns recoveries cs_hours; do
        "$CL" export "$k" --db "$DB" -o "$CSV/$k.csv"
    done
    rm -f "$OUT/$KEY.duckdb" "$OUT/$KEY.duckdb.wal"
    touch "$CSV/done"
fi

# The quarter's first and last day, for the SQL.
year=${PERIOD%Q*}
q=${PERIOD#*Q}
m0=$(((q - 1) * 3 + 1))
FROM=$(printf '%04d-%02d-01' "$year" "$m0")
TO=$(date -u -d "$FROM +3 months -1 day" +%F)

now() { date +%s.%N; }
WORK=$OUT/reports-work
rm -rf "$WORK"
mkdir -p "$WORK"
# Two runs of the pack: cold (no snapshot cache: closeloop reads every row
# from SQLite and writes $DB.snapshot) and warm (the snapshot comes from
# that cache file).  Both must write the same files.
rm -f "$DB.snapshot"
pack_run() { # NAME
    local t0 t1
    t0=$(now)
    "$CL" report --pack --period "$PERIOD" --now "$NOW" --db "$DB" \
        -o "$WORK/$1" --timing 2>"$WORK/timing-$1.txt"
    t1=$(now)
    awk "BEGIN { print $t1 - $t0 }"
}
wall_cold=$(pack_run cold)
wall=$(pack_run pack)
if ! grep -q '^timing cache-read ' "$WORK/timing-pack.txt"; then
    echo "reports.sh: the warm run did not read the snapshot cache" >&2
    exit 1
fi
if ! diff -r "$WORK/cold" "$WORK/pack" >/dev/null; then
    echo "reports.sh: cold and warm packs differ" >&2
    exit 1
fi

counts=$(sqlite3 -readonly "$DB" "SELECT (SELECT count(*) FROM accounts) ||
    ' accounts, ' || (SELECT count(*) FROM deals) || ' deals, ' ||
    (SELECT count(*) FROM churns) || ' churns, ' ||
    (SELECT count(*) FROM cs_hours) || ' cs_hours rows, ' ||
    (SELECT count(*) FROM recoveries) || ' recoveries'")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
rc=0
{
    echo "reports benchmark $stamp on $(nproc) cores, $(uname -r)"
    echo "workspace: $counts; period $PERIOD, now $NOW"
    echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); DuckDB" \
        "$(node -p 'require("./bench/node_modules/@duckdb/node-api/package.json").version')"
    node bench/reports-sql.mjs --db "$DB" --duck "$OUT/$KEY.duckdb" \
        --csv "$CSV" --pack "$WORK/pack" --from "$FROM" --to "$TO" \
        --today "$NOW" --out "$WORK/result.json" \
        --timing "$WORK/timing-pack.txt" --wall "$wall" \
        --timing-cold "$WORK/timing-cold.txt" --wall-cold "$wall_cold"
} | tee "$OUT/reports-$stamp.txt" || rc=$?
cp "$OUT/reports-$stamp.txt" "$OUT/reports-latest.txt"
exit $rc
