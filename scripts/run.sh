#!/usr/bin/env bash
# run.sh - the main job: build closeloop (release), create a demo workspace,
# show what it holds, then serve it (API and web UI) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

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

CL=build/closeloop
DB=demo.db

# A fresh demo workspace every run: the same seed gives the same data.
rm -f "$DB" "$DB-wal" "$DB-shm"
"$CL" demo --db "$DB"
"$CL" info --db "$DB"

# --- The quarterly reports of the demo workspace -------------------------
# The demo data runs to today; the last full quarter is the one the reports
# default to.  Markdown reads well in a terminal; the same reports as HTML
# (with their charts) go to build/reports/ for a browser.
mkdir -p build/reports
for r in bad-fit icp recovery health; do
    printf '\n%s\n\n' '------------------------------------------------------------------------'
    "$CL" report "$r" --format md --db "$DB"
    "$CL" report "$r" --format html -o "build/reports/$r.html" --db "$DB"
done
printf '\nHTML reports with charts: %s\n' "$(ls build/reports/*.html | tr '\n' ' ')"

# --- The server and the web UI ---------------------------------------------
# The web UI is built from its lock file into web/dist; the demo users get a
# password (one sign-in per role is printed); then the server runs in the
# foreground until Ctrl-C (SIGTERM).
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

PASSWORD=${CLOSELOOP_DEMO_PASSWORD:-closeloop-demo}
LISTEN=${CLOSELOOP_LISTEN:-127.0.0.1:8080}
printf '\n%s\n' '------------------------------------------------------------------------'
printf 'closeloop is serving the demo workspace at http://%s/\n' "$LISTEN"
printf '(API: http://%s/api/v1/openapi.json; Ctrl-C stops it)\n' "$LISTEN"
printf 'Sign in as any of these (password: %s):\n' "$PASSWORD"
"$CL" export users --db "$DB" | tail -n +2 |
    awk -F, '!seen[$4]++ { printf "%s %s %s\n", $1, $4, $3 }' |
    while read -r id role email; do
        printf '%s\n' "$PASSWORD" | "$CL" user passwd "$id" --db "$DB" >/dev/null
        printf '  %-14s %s\n' "$role" "$email"
    done
exec "$CL" serve --listen "$LISTEN" --db "$DB" --web web/dist
