#!/usr/bin/env bash
# import.sh - benchmark: `closeloop import deals` of 1,000,000 rows against
# sqlite3's own `.import --csv` of the same file into a plain 17-column table.
#
# Not a test.  Results go to bench/out/ (gitignored).
# Environment: NDEALS (default 1000000), NACCOUNTS (default 330000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NDEALS=${NDEALS:-1000000}
NACCOUNTS=${NACCOUNTS:-330000}

scripts/deps.sh
if [ -f build/build.ninja ]; then
    meson setup --reconfigure build --buildtype=release >/dev/null
else
    rm -rf build
    meson setup build --buildtype=release >/dev/null
fi
# Only the tool: the unit tests are built and run by scripts/test.sh.
if ! out=$(ninja -C build closeloop 2>&1); then
    echo "$out" >&2
    exit 1
fi
CL=$ROOT/build/closeloop

OUT=$ROOT/bench/out
WORK=$OUT/import-work
mkdir -p "$OUT"
rm -rf "$WORK"
mkdir -p "$WORK"

echo "generating $NDEALS deals over $NACCOUNTS accounts ..." >&2
node bench/gen-deals.mjs "$WORK" "$NDEALS" "$NACCOUNTS"

now() { date +%s.%N; }

# closeloop: users and accounts first (not timed), then the timed deals.
DB=$WORK/bench.db
"$CL" init --db "$DB" >/dev/null
"$CL" import users "$WORK/users.csv" --db "$DB" >/dev/null
"$CL" import accounts "$WORK/accounts.csv" --db "$DB" >/dev/null
t0=$(now)
"$CL" import deals "$WORK/deals.csv" --db "$DB" >"$WORK/closeloop.out"
t1=$(now)

# sqlite3 .import into a plain table with the same 17 columns (no checks,
# no references, no audit): the floor for loading this file into SQLite.
PLAIN=$WORK/plain.db
sqlite3 "$PLAIN" "PRAGMA journal_mode=WAL; CREATE TABLE deals (id TEXT
    PRIMARY KEY, account_id TEXT, ae_id TEXT, type TEXT, source TEXT,
    stage TEXT, created_on TEXT, first_demo_on TEXT, closed_on TEXT,
    arr REAL, loss_reason TEXT, icp_fit_score INTEGER, champion_level TEXT,
    champion_tenure_months INTEGER, exec_sponsor TEXT, use_case TEXT,
    kickoff_on TEXT);" >/dev/null
t2=$(now)
sqlite3 "$PLAIN" ".import --csv --skip 1 $WORK/deals.csv deals"
t3=$(now)
plain_rows=$(sqlite3 "$PLAIN" "SELECT count(*) FROM deals")

report=$(node -e '
const [n, t0, t1, t2, t3, plainRows, summary] = process.argv.slice(1);
const cl = Number(t1) - Number(t0);
const sq = Number(t3) - Number(t2);
const rate = (s) => Math.round(Number(n) / s).toLocaleString("en-US");
console.log(`rows: ${Number(n).toLocaleString("en-US")} deals (17 columns)`);
console.log(`closeloop import deals: ${cl.toFixed(2)} s, ${rate(cl)} rows/s`);
console.log(`  (${summary.trim()})`);
console.log(`sqlite3 .import --csv:  ${sq.toFixed(2)} s, ${rate(sq)} rows/s` +
    ` (${plainRows} rows)`);
console.log(`ratio closeloop/sqlite3 throughput: ${(sq / cl).toFixed(2)}`);
' "$NDEALS" "$t0" "$t1" "$t2" "$t3" "$plain_rows" "$(cat "$WORK/closeloop.out")")

stamp=$(date -u +%Y%m%dT%H%M%SZ)
{
    echo "import benchmark $stamp on $(nproc) cores, $(uname -r)"
    echo "$report"
} | tee "$OUT/import-$stamp.txt"
cp "$OUT/import-$stamp.txt" "$OUT/import-latest.txt"
rm -rf "$WORK"
