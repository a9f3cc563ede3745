#!/usr/bin/env bash
# fuzz.sh [SECONDS] - build the libFuzzer targets of tests/fuzz with clang
# (ASan and UBSan, in build-fuzz) and run each for SECONDS (default 60), two
# at a time, on a copy of its committed seed corpus (tests/fuzz/corpus/TARGET), so the
# committed corpus is not grown.  A target fails when it crashes, leaks,
# times out (10 s an input) or runs over 2 GiB; the crashing input's path is
# printed.  The inputs of tests/fuzz/crashes/TARGET (bugs found and fixed)
# are replayed first: a target that crashes on one of them fails too.
#
# Ends with one plain line "N passed, N failed" (one per target) and exits
# non-zero when any target failed or the build failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=build-fuzz
SECONDS_EACH=${1:-60}
TARGETS=(csv_import date http_target icp_expr json_body webhook)

case "$SECONDS_EACH" in
'' | *[!0-9]*)
    echo "usage: scripts/fuzz.sh [SECONDS]" >&2
    exit 2
    ;;
esac

scripts/deps.sh || exit 1

# -O1 with line tables (what a crash's stack trace needs): the build is on
# the suite's clock, and the lane's runs are short smoke runs after a
# replay of the kept inputs.
setup=(-Dfuzz=enabled -Db_sanitize=address,undefined -Db_lundef=false
    -Dtests=disabled -Doptimization=1 -Dc_args=-gline-tables-only)
# meson configure, not setup --reconfigure: meson 1.0's keeps the old c_args.
if [ -f "$BUILD/build.ninja" ]; then
    meson configure "$BUILD" "${setup[@]}" >/dev/null
else
    rm -rf "$BUILD"
    CC=clang meson setup "$BUILD" "${setup[@]}" >/dev/null
fi
if ! ninja -C "$BUILD" -j2 $(printf "tests/fuzz/fuzz_%s " "${TARGETS[@]}") >&2; then
    echo "fuzz.sh: the fuzz targets did not build" >&2
    echo "0 passed, ${#TARGETS[@]} failed"
    exit 1
fi

work=$(mktemp -d /tmp/closeloop-fuzz.XXXXXX)
# The inputs of a failed target are kept for the report; the rest goes.
keep=0
trap '[ "$keep" = 1 ] || rm -rf "$work"' EXIT

# halt_on_error makes UBSan's findings crashes too.  Filling fresh memory
# costs more than it finds here (the importer allocates large buffers).
export ASAN_OPTIONS="abort_on_error=1:halt_on_error=1:max_malloc_fill_size=0:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"

# One target: replay its committed crash inputs, then fuzz; its messages
# go to $work/$t/out and its outcome (1 or 0) to $work/$t/ok.
one_target() {
    local t=$1 bin corpus art log ok
    bin="$ROOT/$BUILD/tests/fuzz/fuzz_$t"
    corpus="$work/$t/corpus"
    art="$work/$t/artifacts"
    mkdir -p "$corpus" "$art"
    cp "tests/fuzz/corpus/$t/"* "$corpus/"
    log="$work/$t/log"
    ok=1
    # Bugs found before: each must stay fixed.
    if [ -d "tests/fuzz/crashes/$t" ] &&
        ! TMPDIR="$work/$t" "$bin" -rss_limit_mb=2048 -timeout=10 \
            "tests/fuzz/crashes/$t/"* >"$log.replay" 2>&1; then
        ok=0
        echo "fuzz.sh: $t crashes on a committed crash input:" >&2
        grep -aE "^Running: " "$log.replay" | tail -1 >&2
        grep -av "^    #" "$log.replay" | tail -n 20 >&2
    fi
    if [ "$ok" = 1 ]; then
        echo "fuzz.sh: $t for ${SECONDS_EACH}s" >&2
        # TMPDIR: where a target keeps its workspace, removed with work.
        if ! TMPDIR="$work/$t" "$bin" -max_total_time="$SECONDS_EACH" \
            -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$art/" "$corpus" >"$log" 2>&1; then
            ok=0
        fi
        # A run that stopped early without an artifact still failed.
        if [ "$ok" = 1 ] && ! grep -q "^Done [0-9]* runs" "$log"; then
            ok=0
        fi
        if [ "$ok" = 0 ]; then
            tail -n 60 "$log" >&2
            for a in "$art"/*; do
                [ -e "$a" ] && echo "fuzz.sh: $t: crashing input: $a" >&2
            done
        else
            grep -E "^(stat::number_of_executed_units|Done)" "$log" |
                tr '\n' ' ' | sed "s/^/fuzz.sh: $t: /" >&2
            echo >&2
        fi
    fi
    echo "$ok" >"$work/$t/ok"
}

# Two targets at a time, each on one core; their messages are printed
# whole, in order, once all have ended.
for t in "${TARGETS[@]}"; do
    mkdir -p "$work/$t"
    one_target "$t" >"$work/$t/out" 2>&1 &
    [ "$(jobs -rp | wc -l)" -lt 2 ] || wait -n || true
done
wait
passed=0
failed=0
for t in "${TARGETS[@]}"; do
    cat "$work/$t/out" >&2
    if [ "$(cat "$work/$t/ok" 2>/dev/null)" = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        keep=1
    fi
done

[ "$keep" = 1 ] && echo "fuzz.sh: logs and inputs kept in $work" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
