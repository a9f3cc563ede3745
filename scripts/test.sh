#!/usr/bin/env bash
# test.sh - the whole test suite: unit tests (cmocka, under ASan and UBSan),
# the black-box CLI tests (node --test) against the sanitized binary, then
# the browser tests (node --test + playwright-core driving Debian's
# chromium) against `closeloop serve` with the built web UI.
#
# Ends with one plain line "N passed, N failed" (what CI reads) and exits
# non-zero when anything failed or could not be built.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=build-asan

scripts/deps.sh

# LeakSanitizer needs ptrace-like access to stop the process's threads at
# exit; some containers (seccomp, no CAP_SYS_PTRACE) make it die with
# "LeakSanitizer has encountered a fatal error" on every run.  Probe once with
# a tiny program and turn off only leak detection when it cannot work here;
# address and undefined-behaviour checks stay on either way.
detect_leaks=1
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stdlib.h>\nint main(void){free(malloc(8));return 0;}\n' \
    >"$probe_dir/p.c"
if gcc -fsanitize=address -o "$probe_dir/p" "$probe_dir/p.c" 2>/dev/null; then
    if ! ASAN_OPTIONS=detect_leaks=1 "$probe_dir/p" >"$probe_dir/out" 2>&1; then
        detect_leaks=0
        echo "test.sh: LeakSanitizer does not work in this environment" \
            "($(head -c 200 "$probe_dir/out" | tr '\n' ' ')); leak detection off" >&2
    fi
fi
export ASAN_OPTIONS="detect_leaks=$detect_leaks:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
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
node_out="$BUILD/node-test.tap"
rm -f "$node_out" "$BUILD/meson-logs/testlog.json"
if [ "$build_ok" = 1 ]; then
    meson test -C "$BUILD" --print-errorlogs || unit_rc=$?
    # The files are named explicitly: node 18 (Debian 12) and node >= 21
    # read a directory argument differently.
    CLOSELOOP_BIN="$ROOT/$BUILD/closeloop" \
        node --test --test-reporter=tap tests/integration/*.test.mjs 2>&1 |
        tee "$node_out" || node_rc=$?
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
            node --test --test-reporter=tap \
            tests/browser/*.test.mjs 2>&1 | tee "$browser_out" ||
            browser_rc=$?
        echo "browser screenshots: $ROOT/$BUILD/screenshots" >&2
    else
        echo "test.sh: could not build the web UI or install the browser" \
            "test tooling" >&2
        browser_rc=1
    fi
fi

# One line for CI: cmocka's own counts per test executable (a crashed one,
# without cmocka's closing lines, counts as one failure) plus node's (CLI
# and browser runs).
node scripts/summary.mjs "$BUILD/meson-logs/testlog.json" "$node_out" \
    "$build_ok" "$browser_out" && summary_rc=0 || summary_rc=$?

if [ "$summary_rc" != 0 ] || [ "$unit_rc" != 0 ] || [ "$node_rc" != 0 ] ||
    [ "$browser_rc" != 0 ]; then
    exit 1
fi
