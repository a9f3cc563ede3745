#!/usr/bin/env bash
# run.sh - the main job: build closeloop (release), create a demo workspace
# and show what it holds.
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

# --- Reports and the server (later issues) --------------------------------
# Extend here: print the monthly debrief, bad-fit, ICP, recovery and health
# reports for the demo workspace, then start `closeloop serve`.
