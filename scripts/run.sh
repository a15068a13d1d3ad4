#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make run: the main job for a new user.  Build what is missing, boot the
# default guest (virt, one cortex-a72) with hwtlb off and then on, run a
# short representative workload in each, and print the comparison; end with
# the command line that boots the same guest by hand.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

config=virt1
workload="nbench numsort; memcpy_bw; ptrchase"
out=$top/build/run
mkdir -p "$out"

echo "== building what is missing (QEMU, then the guest)"
"$top/scripts/build.sh" > "$out/build.log" ||
    die "the QEMU build failed; see build/run/build.log"
"$top/scripts/guest-build.sh" > "$out/guest-build.log" ||
    die "the guest build failed; see build/run/guest-build.log"
echo "   build/bin/ and build/guest/ are up to date"

for mode in off on; do
    echo "== booting $config with -accel tcg,hwtlb=$mode: $workload"
    "$top/scripts/guest-run.sh" -l "$out/$mode.log" "$config" \
        -accel "tcg,hwtlb=$mode" -- "$workload" > "$out/$mode.out" 2> "$out/$mode.err" || {
        cat "$out/$mode.err" >&2
        die "the guest run failed; serial log: build/run/$mode.log"
    }
    grep '^RESULT' "$out/$mode.out"
    grep -o 'init at .*' "$out/$mode.err" || true
done

echo
echo "== seconds (less is better); speedup = off/on, from one run each: a"
echo "   busy machine moves it; 'make bench' takes medians of several runs"
awk '
    /^RESULT/ {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        if (FILENAME ~ /off.out$/) off[f["name"]] = f["seconds"]
        else on[f["name"]] = f["seconds"]
        if (!(f["name"] in seen)) { seen[f["name"]] = 1; order[++n] = f["name"] }
    }
    END {
        printf "%-18s %10s %10s %9s\n", "workload", "hwtlb=off", "hwtlb=on", "speedup"
        for (i = 1; i <= n; i++) {
            w = order[i]
            printf "%-18s %10.3f %10.3f %8.2fx\n", w, off[w], on[w], off[w] / on[w]
        }
    }' "$out/off.out" "$out/on.out"

echo
echo "== boot the same guest by hand (a shell on the console; Ctrl-A x quits):"
"$top/scripts/guest-run.sh" -n "$config" -accel tcg,hwtlb=on
