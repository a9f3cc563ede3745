#!/usr/bin/env bash
# run.sh - the main job: build closeloop (release), create a demo workspace,
# show what it holds, and serve it (API and web UI) until Ctrl-C.
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

# --- The server ------------------------------------------------------------
# Demo sign-ins: one user of each role gets the documented demo password
# (README "Signing in").  Passwords are set here, never by the generator, so
# a real workspace never carries a known password.
DEMO_PASSWORD=${CLOSELOOP_DEMO_PASSWORD:-closeloop-demo}
LISTEN=${CLOSELOOP_LISTEN:-127.0.0.1:8080}
printf '\n%s\n\n' '------------------------------------------------------------------------'
echo "Demo sign-ins (password: $DEMO_PASSWORD):"
for role in revops csm cs_manager ae sales_manager vp_sales vp_cs marketing admin; do
    line=$(sqlite3 -separator ' ' "$DB" \
        "SELECT id, email FROM users WHERE role = '$role' ORDER BY id LIMIT 1")
    id=${line%% *}
    email=${line#* }
    printf '%s\n' "$DEMO_PASSWORD" | "$CL" user passwd "$id" --db "$DB" >/dev/null
    printf '  %-14s %s\n' "$role" "$email"
done
WEB_ARGS=()
if [ -f web/dist/index.html ]; then
    WEB_ARGS=(--web web/dist)
fi
echo
echo "Starting the server: http://$LISTEN/  (API: http://$LISTEN/api/v1/openapi.json)"
echo "Sign in with POST /api/v1/auth/login {\"email\", \"password\"}; Ctrl-C stops it."
exec "$CL" serve --listen "$LISTEN" --db "$DB" "${WEB_ARGS[@]}"
