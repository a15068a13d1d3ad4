#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Compare two QEMU builds or settings on guest workloads, in pinned pairs:
#
#   ab.sh [-n PAIRS] [-c CONFIG] A B WORKLOAD...
#
#   A, B      LABEL=QEMU,ACCEL: a name, the qemu-system-aarch64 binary
#             (empty: build/bin's) and the -accel options, e.g.
#             p53=/tmp/q53/qemu-system-aarch64,tcg,hwtlb=on  or  off=,tcg
#   WORKLOAD  a program of /opt/hwtlb with its arguments, e.g. heapsort,
#             'jit -m wx', 'realbench xz', 'nbench lu'
#   -n PAIRS  how many pairs of boots (default 3)
#   -c CONFIG the guest configuration of scripts/guest-run.sh (default virt1)
#
# Each pair boots A and B at the same time, each pinned to its own host
# CPU (swapped from pair to pair), and runs the workloads in lockstep
# (scripts/lockstep.sh).  Prints, for each workload and the boot, the
# median seconds of A and B and the median (min-max) of the pairs' B/A
# time ratios: below 1, B is faster.  Raw output goes to build/ab/.
# Copy a binary that you compare out of build/ first: a build during the
# run would change it.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=scripts/lockstep.sh
. "$(dirname "$0")/lockstep.sh"

usage() {
    sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 2
}

pairs=3
config=virt1
while getopts n:c:h opt; do
    case $opt in
    n) pairs=$OPTARG ;;
    c) config=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || usage
[ "$(nproc)" -ge 2 ] ||
    die "the two sides of a pair each need a host CPU of their own: this host has $(nproc)"
side_a=$1 side_b=$2
shift 2
for s in "$side_a" "$side_b"; do
    case $s in
    *=*,*) ;;
    *) die "'$s': a side is LABEL=QEMU,ACCEL" ;;
    esac
    q=${s#*=}
    q=${q%%,*}
    [ -z "$q" ] || [ -x "$q" ] || die "'$q' is not an executable"
done
label_a=${side_a%%=*} label_b=${side_b%%=*}
[ "$label_a" != "$label_b" ] || die "the two sides need different labels"

out=$top/build/ab/$config-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$out"
workloads=$(lockstep_command "$@")

# side SPEC RUN CPU: one boot of SPEC pinned to host CPU CPU; its RESULT
# lines and boot time to $out/LABEL.RUN.out.
side() {
    local label=${1%%=*} spec=${1#*=} name qemu accel
    qemu=${spec%%,*}
    accel=${spec#*,}
    name=$out/$label.$2
    if ! QEMU=${qemu:-$top/build/bin/qemu-system-aarch64} taskset -c "$3" \
            "$top/scripts/guest-run.sh" -l "$name.log" -i "$name.in" \
            "$config" -accel "$accel" -- "$workloads" \
            > "$name.out" 2> "$name.err"; then
        echo "  $label: the guest run failed: $(tail -n 1 "$name.err")"
    fi
    boot_result "$name" "$label"
}

echo "ab: $config, $pairs pairs, raw output in $out"
for r in $(seq 1 "$pairs"); do
    echo "[$r/$pairs] $label_a on CPU $((r % 2)), $label_b on CPU $(((r + 1) % 2))"
    lockstep $# "$out/$label_a.$r" "side $side_a $r $((r % 2))" \
        "$out/$label_b.$r" "side $side_b $r $(((r + 1) % 2))"
done

/usr/bin/python3 - "$out" "$label_a" "$label_b" "$pairs" <<'PY'
import re, statistics, sys
out, a, b, pairs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
result = re.compile(r'^RESULT name=(\S+) ok=1 seconds=([0-9.]+)')

def seconds(label, run):
    """{workload: seconds} of one boot."""
    times = {}
    try:
        with open(f'{out}/{label}.{run}.out') as f:
            for line in f:
                m = result.match(line.strip())
                if m:
                    times[m.group(1)] = float(m.group(2))
    except FileNotFoundError:
        pass
    return times

runs = [(seconds(a, r), seconds(b, r)) for r in range(1, pairs + 1)]
names = []
for ta, tb in runs:
    names += [n for n in ta if n not in names]
print(f'{"workload":<16} {a:>10} {b:>10}   {b}/{a} median (min-max), pairs')
for n in names:
    both = [(ta[n], tb[n]) for ta, tb in runs if n in ta and n in tb]
    if not both:
        print(f'{n:<16} (no pair has both sides)')
        continue
    ratios = [y / x for x, y in both if x > 0]
    print(f'{n:<16} {statistics.median(x for x, _ in both):10.3f} '
          f'{statistics.median(y for _, y in both):10.3f}   '
          f'{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}), {len(both)}')
PY
