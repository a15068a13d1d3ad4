#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole test run from a clean clone: deps, tree, build, check-series and
# QEMU's own tests for what the series touches.  Each step logs to
# build/check/STEP.log.  Ends with one line "N passed, N failed".
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

logs=$top/build/check
obj=$top/build/obj
mkdir -p "$logs"
passed=0
failed=0
failed_names=()
fail_lines=()   # "STEP: FAIL: ..." of every lines step, for the summary

count() { # passes fails name
    passed=$((passed + $1))
    failed=$((failed + $2))
    [ "$2" -eq 0 ] || failed_names+=("$3")
    echo "   $1 passed, $2 failed"
}

# step NAME CMD...: one test, passed when CMD succeeds.
step() {
    local name=$1 log=$logs/$1.log
    shift
    echo "== $name"
    if "$@" > "$log" 2>&1; then
        count 1 0 "$name"
    else
        tail -n 25 "$log" | sed 's/^/   | /'
        echo "   (whole log: ${log#"$top"/})"
        count 0 1 "$name"
        return 1
    fi
}

# lines NAME CMD...: one test per "PASS:"/"FAIL:" line CMD prints, or, when
# it prints "TESTS: N", N tests less one per "FAIL:" line.
lines() {
    local name=$1 log=$logs/$1.log p f
    shift
    echo "== $name"
    "$@" > "$log" 2>&1
    local st=$?
    f=$(grep -c '^FAIL: ' "$log")
    if grep -q '^TESTS: ' "$log"; then
        p=$(( $(sed -n 's/^TESTS: //p' "$log" | tail -n 1) - f ))
    else
        p=$(grep -c '^PASS: ' "$log")
    fi
    if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1     # failed before it could say what
    fi
    [ "$f" -eq 0 ] || grep -v '^PASS: ' "$log" | tail -n 40 | sed 's/^/   | /'
    count "$p" "$f" "$name"
    # Repeated at the end: CI shows only the end of the output.
    mapfile -t -O "${#fail_lines[@]}" fail_lines < \
        <(grep '^FAIL: ' "$log" | cut -c 1-300 | sed "s/^/$name: /")
}

# meson_suite NAME ARGS...: one test per meson test, from its JSON log.
meson_suite() {
    local name=$1 log=$logs/$1.log p f
    shift
    echo "== $name"
    (cd "$obj" && ./pyvenv/bin/meson test --no-rebuild --print-errorlogs \
        --logbase "check-$name" "$@") > "$log" 2>&1
    local st=$?
    local json=$obj/meson-logs/check-$name.json
    p=$(grep -cE '"result": "(OK|EXPECTEDFAIL)"' "$json" 2>/dev/null)
    f=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$json" 2>/dev/null)
    if [ "$st" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        f=1
    fi
    [ "$f" -eq 0 ] || grep -E '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT|ERROR)' "$log" |
        awk '!seen[$0]++' | sed 's/^/   | /'
    count "${p:-0}" "$f" "$name"
}

start=$SECONDS
step deps "$top/scripts/deps.sh" &&
step tree "$top/scripts/mktree.sh" &&
step build "$top/scripts/build.sh"
setup_ok=$?
lines check-series "$top/scripts/check-series.sh"
# Our host-cost tool builds warning-free and runs (200 pages: no timing
# is checked, only that it measures without failing).
step host-costs sh -c "mkdir -p '$top/build' &&
    cc -O2 -Wall -Werror -pthread -o '$top/build/host-costs' \
        '$top/scripts/host-costs.c' && '$top/build/host-costs' 200"

if [ "$setup_ok" -eq 0 ]; then
    guest_ok=
    if step guest "$top/scripts/guest-build.sh"; then
        guest_ok=1
        lines guest-test "$top/scripts/guest-test.sh"
        # The same tests, with the same expected output, with hwtlb on.
        lines guest-test-hwtlb env TEST_TAG=-hwtlb HWTLB_ENGAGED=1 \
            "$top/scripts/guest-test.sh" -accel tcg,hwtlb=on,hwtlb-warmup=0
        # And with hwtlb's defaults, which put windows to use only after
        # a warm-up and take them out of use again: those transitions
        # must not change what the guest sees either.
        lines guest-test-hwtlb-default env TEST_TAG=-hwtlb-default \
            HWTLB_ENGAGED=1 HWTLB_CYCLED=1 GUEST_CONFIGS=virt4 \
            "$top/scripts/guest-test.sh" -accel tcg,hwtlb=on
    fi
    step build-tests "$top/scripts/build.sh" all
    # Migration to a file and savevm/loadvm of a busy guest with two NUMA
    # nodes, hwtlb off and on: RAM identical after each, the guest runs on
    # (needs qemu-img, built by build-tests).
    if [ -n "$guest_ok" ]; then
        lines migration-test "$top/scripts/migration-test.py"
    fi
    meson_suite unit --suite unit
    meson_suite qtest --suite qtest-aarch64
    # hwtlb's options, accepted and refused (needs no guest image)
    meson_suite functional func-aarch64-aarch64_hwtlb
    lines check-tcg "$top/scripts/check-tcg.sh"
fi

echo "== done in $(((SECONDS - start) / 60)) min; logs in ${logs#"$top"/}/"
[ "${#fail_lines[@]}" -eq 0 ] || printf '%s\n' "${fail_lines[@]}"
[ "$failed" -eq 0 ] || echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
