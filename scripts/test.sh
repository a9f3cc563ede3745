#!/usr/bin/env bash
# test.sh - the whole test suite: unit tests (cmocka, under ASan and UBSan)
# and the black-box CLI and API tests (node --test) against the sanitized
# binary, run twice side by side: on SQLite files, and on a throwaway
# PostgreSQL cluster (scripts/pg-cluster.sh: a temp directory, a free port,
# stopped at exit) with CLOSELOOP_TEST_PG set, where only the unit tests
# that open a workspace run again, then the release build (scripts/run.sh's,
# tests included, counted as one test) and the libFuzzer targets
# (scripts/fuzz.sh, FUZZ_SECONDS each, default 10); beside them a third
# lane: the browser tests (node --test + playwright-core driving Debian's
# chromium, two files at a time) against `closeloop serve` with the built
# web UI.  The summary counts every run.
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
# The demo workspaces the tests start from are built once per run and
# copied (tests/integration/template.mjs); their files live here.
export CLOSELOOP_TEST_CACHE="$probe_dir/templates"
printf '#include <stdlib.h>\nint main(void){free(malloc(8));return 0;}\n' \
    >"$probe_dir/p.c"
if gcc -fsanitize=address -o "$probe_dir/p" "$probe_dir/p.c" 2>/dev/null; then
    if ! ASAN_OPTIONS=detect_leaks=1 "$probe_dir/p" >"$probe_dir/out" 2>&1; then
        detect_leaks=0
        echo "test.sh: LeakSanitizer does not work in this environment" \
            "($(head -c 200 "$probe_dir/out" | tr '\n' ' ')); leak detection off" >&2
    fi
fi
# handle_sigill: UBSan traps (below), and ASan then prints where, with a
# stack trace.
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=$detect_leaks:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:handle_sigill=1"
export LSAN_OPTIONS="print_suppressions=0"

# Position-dependent executables (-Dpie=false): Debian's gcc builds PIE by
# default, and a sanitized PIE carries some 150,000 relative relocations
# (ASan's and UBSan's tables of globals and source locations) that the
# loader applies, page by page, at every start; a test run starts closeloop
# thousands of times.  Fixed at link time, they cost nothing (a third fewer
# page faults and a tenth less CPU a process).  The sanitizers check the
# same either way.  The modules (src/module/module.h) stay shared objects.
# -O1 -g1 (line tables, what a sanitizer's stack trace needs) build in half
# the CPU of -O2 -g, and the tests run as fast: a test process's time is
# the sanitizers' and the kernel's, hardly closeloop's own.  The release
# build keeps gcc -O3's warnings.
# UBSan traps instead of calling its runtime: without libubsan loaded, its
# 6 MB of zeroed globals are not there for LeakSanitizer to read page by
# page at every exit, and a closeloop process costs 65 ms of CPU instead of
# 93.  The same checks run; a failed one stops the process with SIGILL,
# which ASan reports with file, line and stack (handle_sigill above).
trap_ub=-fsanitize-undefined-trap-on-error
setup=(-Db_sanitize=address,undefined -Db_lundef=false
    -Dtest_password_cost=true -Doptimization=1
    -Dpie=false "-Dc_args=-g1 $trap_ub" "-Dc_link_args=$trap_ub")
# An existing build takes the options through meson configure: meson 1.0's
# setup --reconfigure keeps the old c_args and c_link_args.  One configured
# before an option was added refuses it, and is set up again.
if [ -d "$BUILD" ] && [ -f "$BUILD/build.ninja" ] &&
    meson configure "$BUILD" "${setup[@]}" >/dev/null 2>&1; then
    :
else
    rm -rf "$BUILD"
    meson setup "$BUILD" "${setup[@]}" >/dev/null
fi

build_ok=1
ninja -C "$BUILD" || build_ok=0

rm -f "$BUILD"/node-test*.tap "$BUILD"/lane-*.log "$BUILD"/fuzz.log \
    "$BUILD"/meson-logs/testlog*.json "$BUILD"/browser-test.tap

# Every lane below records its wall time here, printed with the total at
# the end: the suite's budget is 15 minutes on a 2-core machine, and this
# shows where it goes.
times="$BUILD/lane-times"
: >"$times"
printf 'deps and build %dm %02ds\n' $(((SECONDS - started) / 60)) \
    $(((SECONDS - started) % 60)) >>"$times"
# cpu_used sets cpu to the CPU seconds (user + system) of this shell's
# finished children so far: `times` runs in this shell (in a command
# substitution it would report a forked shell's, none), and its second
# line is the children's.
cpu_used() {
    local f="$BUILD/times.$BASHPID"
    times >"$f"
    cpu=$(awk 'NR == 2 { n = 0
        for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60 + p[2] }
        printf "%d", n }' "$f")
    rm -f "$f"
}
# timed NAME CMD...: runs CMD, appending NAME, its wall time and the CPU
# time of what it ran (servers it started as daemons aside) to $times.
timed() {
    local name=$1 t0=$SECONDS rc=0 cpu c0
    shift
    cpu_used
    c0=$cpu
    "$@" || rc=$?
    cpu_used
    printf '%s %dm %02ds, CPU %ds\n' "$name" $(((SECONDS - t0) / 60)) \
        $(((SECONDS - t0) % 60)) $((cpu - c0)) >>"$times"
    return $rc
}
# The machine's busy and total CPU time so far, in clock ticks, from
# /proc/stat (idle and iowait are not busy): whether the suite is bound by
# the CPU or by waiting shows in their ratio.
machine_cpu() {
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
read -r busy0 total0 < <(machine_cpu)

# node runs one test file at a time on two cores by default; the files
# spend much of their time waiting on the servers and workers they start,
# so three at a time in each lane, where this node can (18.19 and 20.10 on).
conc=()
bconc=()
if node --test-concurrency=3 -e 0 >/dev/null 2>&1; then
    conc=(--test-concurrency=3)
    # The browser tests two at a time: each drives one chromium, and the
    # demo workspaces they start from are copies (template.mjs), so the
    # lane no longer waits on one file at a time.
    bconc=(--test-concurrency=2)
fi

# One lane of a backend: the unit tests (all of them on SQLite, those of
# the meson suite "backend" again on PostgreSQL), then the CLI and API
# tests.  $1 names it (sqlite, postgres); CLOSELOOP_TEST_PG says which
# backend the tests use.
lane() {
    local name=$1 suite=() rc=0 asan=$ASAN_OPTIONS
    [ "$name" = sqlite ] || suite=(--suite backend)
    "${fake[@]}" meson test -C "$BUILD" --no-rebuild "${suite[@]}" \
        --logbase "testlog-$name" --print-errorlogs || rc=1
    # LeakSanitizer's scan at exit costs some 40 ms a process, and the CLI
    # and API tests start thousands: on PostgreSQL their leaks are left to
    # the SQLite lane (the same code above the store) and to the backend's
    # unit tests just run (the store's own code, leaks checked).
    [ "$name" = sqlite ] || asan=${asan/detect_leaks=1/detect_leaks=0}
    # The files are named explicitly: node 18 (Debian 12) and node >= 21
    # read a directory argument differently.  *.sqlite.test.mjs work on
    # SQLite files whatever the backend (backup, the demo, the caches), and
    # *.once.test.mjs test what lies above the store (the HTTP layer
    # against hostile requests, the CLI's usage and its docs): the
    # PostgreSQL lane would only run them twice.
    local files=(tests/integration/*.test.mjs)
    if [ "$name" != sqlite ]; then
        files=()
        for f in tests/integration/*.test.mjs; do
            [[ $f == *.sqlite.test.mjs || $f == *.once.test.mjs ]] ||
                files+=("$f")
        done
    fi
    ASAN_OPTIONS=$asan CLOSELOOP_BIN="$ROOT/$BUILD/closeloop" \
        "${fake[@]}" node --test "${conc[@]}" --test-reporter=tap \
        "${files[@]}" >"$BUILD/node-test-$name.tap" 2>&1 ||
        rc=1
    cat "$BUILD/node-test-$name.tap"
    return $rc
}

# The third lane: the web UI built from its lock file (web/dist) and the
# browser test tooling from its own (tests/browser), then the browser
# tests (node --test + playwright-core driving Debian's chromium, deps.sh)
# against `closeloop serve` with the built UI, the longest part of the
# suite.  The release build with its tests, as scripts/run.sh and `make`
# build it (gcc -O3 and NDEBUG find warnings the sanitized build does not),
# then the fuzz targets end the PostgreSQL lane, the shortest.
browser_out="$BUILD/browser-test.tap"
# The libFuzzer targets (tests/fuzz, built with clang in build-fuzz)
# for FUZZ_SECONDS each, after replaying the inputs that crashed them
# once (tests/fuzz/crashes); `scripts/fuzz.sh 600` fuzzes for longer.
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
fuzz_log="$BUILD/fuzz.log"
ui_lane() {
    local rc=0
    if timed "web UI build" web_build; then
        # The UI's JavaScript is formatted as its configuration says
        # (web/.prettierrc.json, like .clang-format for C): `make format`.
        if ! (cd web && npx --no-install prettier --check 'src/**/*.js' \
            build.mjs >/dev/null 2>&1); then
            echo "test.sh: web/src is not formatted: run \`make format\`"
            rc=1
        fi
        SCREENSHOT_DIR="$ROOT/$BUILD/screenshots" \
            CLOSELOOP_BIN="$ROOT/$BUILD/closeloop" \
            CLOSELOOP_WEB="$ROOT/web/dist" \
            timed "browser tests" "${fake[@]}" node --test "${bconc[@]}" \
            --test-reporter=tap tests/browser/*.test.mjs \
            >"$browser_out" 2>&1 || rc=1
        cat "$browser_out"
        echo "browser screenshots: $ROOT/$BUILD/screenshots"
    else
        echo "test.sh: could not build the web UI or install the browser" \
            "test tooling"
        rc=1
    fi
    return $rc
}
fuzz_lane() {
    local rc=0
    timed "fuzz targets" scripts/fuzz.sh "$FUZZ_SECONDS" >"$fuzz_log" 2>&1 ||
        rc=1
    cat "$fuzz_log"
    return $rc
}
web_build() {
    (cd web && npm ci --no-audit --no-fund --loglevel=error &&
        npm run build --silent) &&
        (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
}
release_ok=0
release_build() {
    if [ -f build-release/build.ninja ]; then
        meson setup --reconfigure build-release --buildtype=release \
            -Dtests=enabled >/dev/null || return 1
    else
        rm -rf build-release
        meson setup build-release --buildtype=release -Dtests=enabled \
            >/dev/null || return 1
    fi
    if ! ninja -C build-release >"$BUILD/release-build.log" 2>&1; then
        echo "test.sh: the release build failed:"
        grep -E 'error|warning' "$BUILD/release-build.log" | head -20
        return 1
    fi
    echo "test.sh: the release build compiles warning-free"
    echo 1 >"$BUILD/release-ok"
}

# The three lanes run side by side, each into its own log, printed whole
# in turn as they end so that they never interleave.
sqlite_rc=0
pg_rc=0
ui_rc=0
rm -f "$BUILD/release-ok"
if [ "$build_ok" = 1 ]; then
    pg_pid=
    if pg_url=$(scripts/pg-cluster.sh start "$pg_dir"); then
        # The release build and the fuzz targets last in this lane, the
        # shortest of the three.
        {
            rc=0
            CLOSELOOP_TEST_PG="$pg_url" timed "postgres lane" lane postgres ||
                rc=$?
            timed "release build" release_build || true
            fuzz_lane || rc=1
            exit $rc
        } >"$BUILD/lane-postgres.log" 2>&1 &
        pg_pid=$!
    else
        echo "test.sh: could not start PostgreSQL; the postgres run fails" >&2
        pg_rc=1
        { timed "release build" release_build; fuzz_lane; } \
            >"$BUILD/lane-postgres.log" 2>&1 &
        pg_pid=$!
    fi
    CLOSELOOP_TEST_PG='' timed "sqlite lane" lane sqlite \
        >"$BUILD/lane-sqlite.log" 2>&1 &
    sqlite_pid=$!
    ui_lane >"$BUILD/lane-ui.log" 2>&1 &
    ui_pid=$!
    wait "$sqlite_pid" || sqlite_rc=$?
    echo "test.sh: suites on sqlite" >&2
    cat "$BUILD/lane-sqlite.log"
    wait "$ui_pid" || ui_rc=$?
    echo "test.sh: web UI, browser tests" >&2
    cat "$BUILD/lane-ui.log"
    if [ -n "$pg_pid" ]; then
        wait "$pg_pid" || pg_rc=$?
        echo "test.sh: suites on postgres, release build, fuzz targets" >&2
        cat "$BUILD/lane-postgres.log"
    fi
fi
[ -f "$BUILD/release-ok" ] && release_ok=1

elapsed=$((SECONDS - started))
read -r busy1 total1 < <(machine_cpu)
sed 's/^/test.sh: /' "$times" >&2
# On $(nproc) cores: 100% is every core busy for the whole run.
# The busy CPU-seconds are the whole machine's (the lanes' servers, the
# build, chromium): what a faster suite has to cut.
printf 'test.sh: wall time %dm %02ds, the machine busy %d%% of %d cores' \
    $((elapsed / 60)) $((elapsed % 60)) \
    $((100 * (busy1 - busy0) / (total1 - total0 > 0 ? total1 - total0 : 1))) \
    "$(nproc)"
printf ', %d CPU-seconds in all\n' $(((busy1 - busy0) / $(getconf CLK_TCK)))

# One line for CI: cmocka's own counts per test executable (a crashed one,
# without cmocka's closing lines, counts as one failure) plus node's, for
# every run (a missing log counts as a failure).
node scripts/summary.mjs "$BUILD/meson-logs/testlog-sqlite.json" \
    "$BUILD/node-test-sqlite.tap" "$build_ok" \
    "$BUILD/meson-logs/testlog-postgres.json" "$BUILD/node-test-postgres.tap" \
    - "$browser_out" --release-build "$release_ok" --fuzz "$fuzz_log" &&
    summary_rc=0 ||
    summary_rc=$?

if [ "$summary_rc" != 0 ] || [ "$sqlite_rc" != 0 ] || [ "$pg_rc" != 0 ] ||
    [ "$ui_rc" != 0 ]; then
    exit 1
fi
