#!/usr/bin/env bash
# test.sh - the whole test suite: unit tests (cmocka, under ASan and UBSan)
# and the black-box CLI and API tests (node --test) against the sanitized
# binary, run twice: on SQLite files, then on a throwaway PostgreSQL cluster
# (scripts/pg-cluster.sh: a temp directory, a free port, stopped at exit)
# with CLOSELOOP_TEST_PG set; then the browser tests (node --test +
# playwright-core driving Debian's chromium) against `closeloop serve` with
# the built web UI.  The summary counts every run.
#
# The release build (scripts/run.sh's, tests included) must compile too:
# it is built in build-release/ and counts as one test.
#
# usage: scripts/test.sh [--at 'YYYY-MM-DD HH:MM:SS']
#   --at WHEN  run every suite with the system clock at WHEN (UTC) through
#              libfaketime: the tests take their time as an argument, so
#              the outcome must not change (CI runs at a Saturday 00:30).
#
# Ends with the suite's wall time and one plain line "N passed, N failed"
# (what CI reads) and exits non-zero when anything failed or could not be
# built.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=build-asan
started=$SECONDS

at=
while [ $# -gt 0 ]; do
    case "$1" in
    --at)
        [ $# -ge 2 ] || { echo "test.sh: --at needs 'YYYY-MM-DD HH:MM:SS'" >&2; exit 2; }
        at=$2
        shift 2
        ;;
    *)
        echo "usage: scripts/test.sh [--at 'YYYY-MM-DD HH:MM:SS']" >&2
        exit 2
        ;;
    esac
done

scripts/deps.sh

# Every suite runs through $fake: nothing, or libfaketime at --at.  The
# multi-threaded library (the server, node and chromium run threads); the
# monotonic clock is left alone so timeouts and waits still measure real
# time.  ASan must then accept a library loaded before its runtime.
fake=()
if [ -n "$at" ]; then
    if ! TZ=UTC date -d "$at" >/dev/null 2>&1; then
        echo "test.sh: --at: not a date: '$at'" >&2
        exit 2
    fi
    fake=(env TZ=UTC faketime -m --exclude-monotonic "$at")
    echo "test.sh: the system clock reads $("${fake[@]}" date -u '+%Y-%m-%d %H:%M:%S %a') UTC for every suite" >&2
fi

# LeakSanitizer needs ptrace-like access to stop the process's threads at
# exit; some containers (seccomp, no CAP_SYS_PTRACE) make it die with
# "LeakSanitizer has encountered a fatal error" on every run.  Probe once with
# a tiny program and turn off only leak detection when it cannot work here;
# address and undefined-behaviour checks stay on either way.
detect_leaks=1
probe_dir=$(mktemp -d)
# Not inside probe_dir: the cluster runs as the postgres user, which must
# be able to reach its directory.
pg_dir=$(mktemp -u /tmp/closeloop-pg.XXXXXX)
cleanup() {
    scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$probe_dir"
}
trap cleanup EXIT
printf '#include <stdlib.h>\nint main(void){free(malloc(8));return 0;}\n' \
    >"$probe_dir/p.c"
if gcc -fsanitize=address -o "$probe_dir/p" "$probe_dir/p.c" 2>/dev/null; then
    if ! ASAN_OPTIONS=detect_leaks=1 "$probe_dir/p" >"$probe_dir/out" 2>&1; then
        detect_leaks=0
        echo "test.sh: LeakSanitizer does not work in this environment" \
            "($(head -c 200 "$probe_dir/out" | tr '\n' ' ')); leak detection off" >&2
    fi
fi
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=$detect_leaks:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="print_suppressions=0"

if [ -d "$BUILD" ] && [ -f "$BUILD/build.ninja" ]; then
    meson setup --reconfigure "$BUILD" -Db_sanitize=address,undefined \
        -Db_lundef=false >/dev/null
else
    rm -rf "$BUILD"
    meson setup "$BUILD" -Db_sanitize=address,undefined -Db_lundef=false \
        >/dev/null
fi

build_ok=1
ninja -C "$BUILD" || build_ok=0

unit_rc=0
node_rc=0
pg_rc=0
rm -f "$BUILD"/node-test*.tap "$BUILD"/testlog-*.json \
    "$BUILD/meson-logs/testlog.json"

# One run of both suites; $1 names it (sqlite, postgres).  The environment
# (CLOSELOOP_TEST_PG) says which backend the tests use.
run_suites() {
    local name=$1
    echo "test.sh: suites on $name" >&2
    rm -f "$BUILD/meson-logs/testlog.json"
    "${fake[@]}" meson test -C "$BUILD" --print-errorlogs || unit_rc=$?
    cp "$BUILD/meson-logs/testlog.json" "$BUILD/testlog-$name.json" ||
        true
    # The files are named explicitly: node 18 (Debian 12) and node >= 21
    # read a directory argument differently.
    CLOSELOOP_BIN="$ROOT/$BUILD/closeloop" \
        "${fake[@]}" node --test --test-reporter=tap \
        tests/integration/*.test.mjs 2>&1 |
        tee "$BUILD/node-test-$name.tap" || node_rc=$?
}

if [ "$build_ok" = 1 ]; then
    CLOSELOOP_TEST_PG='' run_suites sqlite
    if pg_url=$(scripts/pg-cluster.sh start "$pg_dir"); then
        CLOSELOOP_TEST_PG="$pg_url" run_suites postgres
    else
        echo "test.sh: could not start PostgreSQL; the postgres run fails" >&2
        pg_rc=1
    fi
fi

# The browser tests: the web UI built from its lock file (web/dist), the
# test tooling from its own (tests/browser), Debian's chromium (deps.sh).
browser_rc=0
browser_out="$BUILD/browser-test.tap"
rm -f "$browser_out"
if [ "$build_ok" = 1 ]; then
    if (cd web && npm ci --no-audit --no-fund --loglevel=error &&
        npm run build --silent) &&
        (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error); then
        SCREENSHOT_DIR="$ROOT/$BUILD/screenshots" \
            CLOSELOOP_BIN="$ROOT/$BUILD/closeloop" \
            CLOSELOOP_WEB="$ROOT/web/dist" \
            "${fake[@]}" node --test --test-reporter=tap \
            tests/browser/*.test.mjs 2>&1 | tee "$browser_out" ||
            browser_rc=$?
        echo "browser screenshots: $ROOT/$BUILD/screenshots" >&2
    else
        echo "test.sh: could not build the web UI or install the browser" \
            "test tooling" >&2
        browser_rc=1
    fi
fi

# The fuzz targets (tests/fuzz) run apart: `scripts/fuzz.sh [SECONDS]`.
# They are not part of this suite yet: their first CI-length runs found
# crashes still to be triaged (issue 13's note), and a suite that fails on
# them would refuse every submission until then.

# The release build with its tests, as scripts/run.sh and `make` build
# it: gcc -O3 and NDEBUG find warnings the sanitized build does not.
release_ok=1
if [ -f build-release/build.ninja ]; then
    meson setup --reconfigure build-release --buildtype=release \
        -Dtests=enabled >/dev/null || release_ok=0
else
    rm -rf build-release
    meson setup build-release --buildtype=release -Dtests=enabled \
        >/dev/null || release_ok=0
fi
if [ "$release_ok" = 1 ] && ! ninja -C build-release >"$BUILD/release-build.log" 2>&1; then
    release_ok=0
fi
if [ "$release_ok" = 1 ]; then
    echo "test.sh: the release build compiles warning-free" >&2
else
    echo "test.sh: the release build failed:" >&2
    grep -E 'error|warning' "$BUILD/release-build.log" | head -20 >&2 || true
fi

elapsed=$((SECONDS - started))
printf 'test.sh: wall time %dm %02ds\n' $((elapsed / 60)) $((elapsed % 60))

# One line for CI: cmocka's own counts per test executable (a crashed one,
# without cmocka's closing lines, counts as one failure) plus node's, for
# every run (a missing log counts as a failure).
node scripts/summary.mjs "$BUILD/testlog-sqlite.json" \
    "$BUILD/node-test-sqlite.tap" "$build_ok" \
    "$BUILD/testlog-postgres.json" "$BUILD/node-test-postgres.tap" \
    - "$browser_out" --release-build "$release_ok" && summary_rc=0 ||
    summary_rc=$?

if [ "$summary_rc" != 0 ] || [ "$unit_rc" != 0 ] || [ "$node_rc" != 0 ] ||
    [ "$pg_rc" != 0 ] || [ "$browser_rc" != 0 ]; then
    exit 1
fi
