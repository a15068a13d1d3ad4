#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot tests of the guest lab: boot each configuration, run selftest in it
# and compare its output with guest/progs/expected/selftest-CONFIG.out, or
# where there is none, guest/progs/expected/selftest.out.  Then, on the
# STRESS_CONFIGS (default virt4), run stresstest (guest/progs/stresstest.sh:
# stress-ng's vm, mmap, mprotect, fork and exec stressors with their
# verification on, 20 s): the test passes when stress-ng reports no failure.
#
#   guest-test.sh [QEMU-ARG...]      e.g. guest-test.sh -accel tcg,hwtlb=on
#
# Prints "PASS: CONFIG" or "FAIL: CONFIG" per configuration (on a failure,
# the difference and the tail of the serial log too), then "N passed,
# N failed".  Exits non-zero when a test failed.  No timing is checked.
# Needs build/guest (scripts/guest-build.sh) and QEMU (default
# build/bin/qemu-system-aarch64; QEMU=... to change).  GUEST_CONFIGS=...
# picks configurations (default: virt1 virt4 virtmax raspi3b raspi3b-sd); EXPECTED=...
# one expected output file for all.  Serial logs: build/guest/log/test-CONFIG.log.
# TEST_TAG=... is appended to the configuration names and log names.
# HWTLB_ENGAGED=1 also fails a test in which QEMU mapped no guest page into
# an hwtlb window (trace event hwtlb_map), or none at a return from a guest
# fault (hwtlb_fault_map), or in which no address space switch got back the
# softmmu TLB kept for it (hwtlb_kept, use 0): it must not pass by being
# inert.
# HWTLB_CYCLED=1, with HWTLB_ENGAGED=1, also fails one in which no window
# was taken out of use (trace event hwtlb_serve): with the default
# hwtlb-warmup, the tests must also exercise windows going out of use.
set -euo pipefail
# shellcheck source=scripts/guest-common.sh
. "$(dirname "$0")/guest-common.sh"

configs=${GUEST_CONFIGS:-virt1 virt4 virtmax raspi3b raspi3b-sd}
stress_configs=${STRESS_CONFIGS-virt4}
expdir=$guest_src/progs/expected
logdir=$guest_out/log
mkdir -p "$logdir"

[ -x "$QEMU" ] || die "$QEMU not found: run 'make build' first, or set QEMU=..."
[ -f "$guest_out/initramfs.cpio.gz" ] ||
    die "build/guest not built: run scripts/guest-build.sh (make guest) first"

passed=0
failed=0

# report TAG WHY SECS LOG [DIFF]: count and print the result of a test.
report() {
    local tag=$1 why=$2 secs=$3 log=$4 diff=${5:-}

    if [ -z "$why" ]; then
        echo "PASS: $tag (${secs} s; $(grep -o 'init at [0-9.?]* s' "$logdir/test-$tag.err" || true))"
        passed=$((passed + 1))
        return
    fi
    echo "FAIL: $tag (${secs} s): $why"
    grep '^guest-run: /' "$logdir/test-$tag.err" | sed 's/^/  /' || true
    if [ -n "$diff" ] && [ -s "$diff" ]; then
        echo "  --- diff (expected, got):"
        head -n 40 "$diff" | sed 's/^/  | /'
    fi
    echo "  --- tail of the serial log ${log#"$top"/}:"
    tail -n 30 "$log" 2>/dev/null | sed 's/^/  | /'
    failed=$((failed + 1))
}

# trace_args TAG [EVENT...]: QEMU arguments that record hwtlb_map,
# hwtlb_fault_map and each EVENT, for HWTLB_ENGAGED.
trace=()
trace_args() {
    local e
    trace=()
    if [ "${HWTLB_ENGAGED:-0}" = 1 ]; then
        rm -f "$logdir/test-$1.trace"
        trace=(-trace hwtlb_map -trace hwtlb_fault_map
               -D "$logdir/test-$1.trace")
        for e in "${@:2}"; do
            trace+=(-trace "$e")
        done
        if [ "${HWTLB_CYCLED:-0}" = 1 ]; then
            trace+=(-trace hwtlb_serve)
        fi
    fi
}

not_engaged() {
    [ "${#trace[@]}" -gt 0 ] &&
        ! grep -q hwtlb_map "$logdir/test-$1.trace" 2>/dev/null
}
# no_fault_map TAG: with HWTLB_ENGAGED, no page was mapped at the return
# from a guest fault.
no_fault_map() {
    [ "${#trace[@]}" -gt 0 ] &&
        ! grep -q hwtlb_fault_map "$logdir/test-$1.trace" 2>/dev/null
}
# no_kept TAG: with HWTLB_ENGAGED, no switch installed a kept softmmu TLB.
no_kept() {
    [ "${#trace[@]}" -gt 0 ] &&
        ! grep -q 'hwtlb_kept .* use 0' "$logdir/test-$1.trace" 2>/dev/null
}
# not_cycled TAG: with HWTLB_CYCLED, no window was taken out of use.
not_cycled() {
    [ "${HWTLB_CYCLED:-0}" = 1 ] &&
        ! grep -q 'hwtlb_serve .* in use 0' "$logdir/test-$1.trace" 2>/dev/null
}

for c in $configs; do
    # Generous limits: a hung guest is killed, a slow CI machine is not.
    case $c in
    raspi3b*) t=420 ;;
    *) t=240 ;;
    esac
    # The expected output: EXPECTED, else selftest-CONFIG.out (for what
    # differs by CPU: virtmax has LSE atomics), else selftest.out.
    expected=${EXPECTED:-$expdir/selftest-$c.out}
    [ -n "${EXPECTED:-}" ] || [ -f "$expected" ] || expected=$expdir/selftest.out
    tag=$c${TEST_TAG:-}
    log=$logdir/test-$tag.log
    out=$logdir/test-$tag.out
    # hwtlb_kept: not for the stress test, where it makes 70 MB of trace.
    trace_args "$tag" hwtlb_kept
    start=$SECONDS
    st=0
    "$top/scripts/guest-run.sh" -t "$t" -l "$log" "$c" "$@" "${trace[@]}" \
        -- selftest > "$out" 2> "$logdir/test-$tag.err" || st=$?
    secs=$((SECONDS - start))
    why=
    if [ "$st" -ne 0 ]; then
        why="guest-run exited with status $st: $(tail -n 1 "$logdir/test-$tag.err")"
    elif [ ! -f "$expected" ]; then
        why="no expected output $expected"
    elif ! diff -u "$expected" "$out" > "$logdir/test-$tag.diff"; then
        why="selftest output differs from ${expected#"$top"/}"
    elif not_engaged "$tag"; then
        why="hwtlb mapped no page: it was not engaged"
    elif no_fault_map "$tag"; then
        why="hwtlb mapped no page at the return from a guest fault"
    elif no_kept "$tag"; then
        why="no address space switch got back its kept softmmu TLB"
    elif not_cycled "$tag"; then
        why="no hwtlb window was taken out of use"
    fi
    report "$tag" "$why" "$secs" "$log" "$logdir/test-$tag.diff"
done

# stress_status N: what stress-ng's exit status N means (stress-ng(1)).
stress_status() {
    case $1 in
    1) echo "error" ;;
    2) echo "a stressor failed" ;;
    3) echo "a stressor lacked resources" ;;
    4) echo "a stressor is not implemented" ;;
    5) echo "a stressor was killed by a signal" ;;
    6) echo "a stressor exited unexpectedly" ;;
    7) echo "metrics untrustworthy" ;;
    124) echo "guest-run: the time ran out" ;;
    125) echo "guest-run: the guest did not finish" ;;
    *) echo "not stress-ng's" ;;
    esac
}

for c in $stress_configs; do
    tag=$c-stress${TEST_TAG:-}
    log=$logdir/test-$tag.log
    out=$logdir/test-$tag.out
    trace_args "$tag"
    start=$SECONDS
    st=0
    "$top/scripts/guest-run.sh" -t 300 -l "$log" "$c" "$@" "${trace[@]}" \
        -- stresstest > "$out" 2> "$logdir/test-$tag.err" || st=$?
    secs=$((SECONDS - start))
    why=
    # stress-ng logs failures at its "fail" level and counts them.
    failures=$(grep -E ' fail: |failed: [1-9]' "$out" | head -n 3 | tr '\n' ' ' ||
               true)
    # and what else it says of stressors that did not run to the end
    notes=$(grep -E ' warn: |skipped: [1-9]|untrustworthy: [1-9]' "$out" |
            head -n 3 | tr '\n' ' ' || true)
    if [ "$st" -ne 0 ]; then
        why="exit status $st ($(stress_status "$st")): $failures$notes"
    elif [ -n "$failures" ]; then
        why="stress-ng reported failures: $failures"
    elif not_engaged "$tag"; then
        why="hwtlb mapped no page: it was not engaged"
    elif no_fault_map "$tag"; then
        why="hwtlb mapped no page at the return from a guest fault"
    elif not_cycled "$tag"; then
        why="no hwtlb window was taken out of use"
    fi
    report "$tag" "$why" "$secs" "$log"
done
echo "guest-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
