#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make bench: every workload in the guest with hwtlb=off and hwtlb=on, on
# virt smp 1, virt smp 4 and raspi3b, RUNS times (default 5); and the same
# static binaries under build/bin/qemu-aarch64 (linux-user, no softmmu: the
# ceiling).  hwtlb=on makes raspi3b use 4 KiB target pages instead of
# 1 KiB, so raspi3b also runs with hwtlb=off at 4 KiB (host-page-size=on,
# mode "off4k"): the speedup due to the page size alone.
#
# The modes run in pairs: one boot with hwtlb=on and one with hwtlb=off
# (or off4k) at the same time, each pinned to its own host CPU, the two
# CPUs swapped from run to run, and in lockstep (scripts/lockstep.sh), so
# that each pair gives one off/on ratio per workload.  Each guest has one host CPU, so on smp 4 its four vCPUs
# share it.  linux-user runs alone, on one host CPU too.
# Raw RESULT lines go to build/bench/, the report (JSON, Markdown table,
# PNG chart) to bench/results/ (scripts/bench-report.py).
#
#   RUNS=N  BENCH_CONFIGS="virt1 virt4 raspi3b"  SHMEM_THP=MODE  scripts/bench.sh
#
# SHMEM_THP sets the host's transparent huge page mode for shared memory
# (/sys/kernel/mm/transparent_hugepage/shmem_enabled, which needs root)
# for the bench and puts it back afterwards.  hwtlb=on guest RAM is a
# memfd, so this decides whether it gets huge pages; hwtlb=off RAM is
# private and does not depend on it.  The report names the mode used.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=scripts/lockstep.sh
. "$(dirname "$0")/lockstep.sh"

runs=${RUNS:-5}
[ "$(nproc)" -ge 2 ] ||
    die "make bench runs hwtlb=on and hwtlb=off at the same time, each on a host CPU of its own: this host has $(nproc)"
shmem_thp_file=/sys/kernel/mm/transparent_hugepage/shmem_enabled
if [ -n "${SHMEM_THP:-}" ]; then
    [ -r "$shmem_thp_file" ] ||
        die "SHMEM_THP: this host has no $shmem_thp_file"
    old_thp=$(grep -o '\[[a-z_]*\]' "$shmem_thp_file" | tr -d '[]') || true
    echo "$SHMEM_THP" 2>/dev/null > "$shmem_thp_file" ||
        die "cannot set $shmem_thp_file to '$SHMEM_THP' (root needed; modes: $(cat "$shmem_thp_file"))"
    # Put the old mode back however the bench ends, ^C included.
    trap 'echo "$old_thp" > "$shmem_thp_file"' EXIT
    trap 'exit 130' INT TERM
fi
configs=${BENCH_CONFIGS:-virt1 virt4 raspi3b}
raw=$top/build/bench
mkdir -p "$raw"
rm -f "$raw"/*.out "$raw"/*.err "$raw"/*.log

"$top/scripts/build.sh" >/dev/null
"$top/scripts/guest-build.sh" >/dev/null
progs=$top/build/guest/progs

# The guest workloads, run one after the other in one boot, in lockstep
# (scripts/lockstep.sh).  Each program prints its own RESULT line(s);
# init's uptime gives the boot time.
steps=("nbench numsort" "nbench strsort" "nbench bitfield" "nbench fpemu"
       "nbench assign" "nbench huffman" "nbench idea" "nbench neural"
       "nbench lu" memcpy_bw ptrchase "ptrchase -m 512" heapsort malloc_churn
       fork_exec mmap_churn jit "jit -m wx" threads "realbench xz"
       "realbench 7zz" "realbench gzip" "realbench stress-vm")
workloads=$(lockstep_command "${steps[@]}")

# The ceiling: the same binaries under linux-user.  fork_exec is left out
# (it execs itself, which linux-user can do only with binfmt_misc).  The
# realbench compressors run from the guest's root file system, unpacked
# from its initramfs (scripts/realbench-user.sh); stress-vm measures the
# guest kernel and has no counterpart.
user_workloads=("nbench all" memcpy_bw ptrchase "ptrchase -m 512" heapsort malloc_churn
                mmap_churn jit "jit -m wx" threads)
user_realbench="xz 7zz gzip"
user_root=$raw/root
rm -rf "$user_root"
mkdir -p "$user_root"
gzip -dc "$top/build/guest/initramfs.cpio.gz" |
    (cd "$user_root" && cpio -idm --quiet --no-absolute-filenames)

# The hwtlb=off modes that a configuration's hwtlb=on boots are paired
# with: off4k too where the machine's own target pages are smaller than the
# host's.
bases_of() {
    case $1 in
    raspi3b*) echo "off off4k" ;;
    *) echo "off" ;;
    esac
}

pairs=0
for c in $configs; do
    pairs=$((pairs + $(bases_of "$c" | wc -w)))
done
total=$((runs * (pairs + 1)))
n=0
progress() {
    n=$((n + 1))
    printf '[%d/%d] %s (%s elapsed)\n' "$n" "$total" "$1" \
        "$(date -u -d @$SECONDS +%H:%M:%S)"
}

# guest CONFIG BASE RUN MODE CPU: one boot pinned to host CPU CPU, the MODE
# side of the pair (CONFIG, BASE, RUN), its console reading $name.in; its
# RESULT lines and boot time to a file.
guest() {
    local name=$raw/$1.$2.$3.$4 accel
    case $4 in
    off4k) accel=tcg,hwtlb=off,host-page-size=on ;;
    *) accel=tcg,hwtlb=$4 ;;
    esac
    if taskset -c "$5" "$top/scripts/guest-run.sh" -l "$name.log" \
            -i "$name.in" "$1" -accel "$accel" -- "$workloads" \
            > "$name.out" 2> "$name.err"; then
        :
    else
        echo "  $4: the guest run failed: $(tail -n 1 "$name.err")"
    fi
    boot_result "$name" "$4"
}

# pair CONFIG BASE RUN: hwtlb=on and BASE at the same time, in lockstep.
pair() {
    local cpu_on=$(($3 % 2)) cpu_base=$((($3 + 1) % 2))
    progress "$1 on (CPU $cpu_on) and $2 (CPU $cpu_base), run $3"
    lockstep "${#steps[@]}" "$raw/$1.$2.$3.on" "guest $1 $2 $3 on $cpu_on" \
        "$raw/$1.$2.$3.$2" "guest $1 $2 $3 $2 $cpu_base"
}

# user RUN: the linux-user ceiling, pinned to one host CPU as each guest
# is, so that its threads get the CPU time a guest's vCPUs get, and with
# the guests' CPU model (QEMU_CPU; raspi3b's cortex-a53 has the same
# features): with qemu-aarch64's default, -cpu max, glibc picks other
# string functions, and memcpy_bw ran 1.7 times as fast, another program.
# The environment is PATH and QEMU_CPU only: with -cpu cortex-a72,
# memcpy_bw took 0.30 s or 0.52 s depending on the environment it got
# (LANG=C against LANG=C.UTF-8, for one), for a reason not found.
user_env=(env -i "PATH=$PATH" QEMU_CPU=cortex-a72)
user() {
    local out=$raw/linux-user.$1.out w cpu=$(($1 % 2))
    progress "linux-user run $1 (CPU $cpu)"
    : > "$out"
    for w in "${user_workloads[@]}"; do
        # shellcheck disable=SC2086 # $w is a command with its arguments
        (cd "$progs" && "${user_env[@]}" taskset -c "$cpu" \
                            "$top/build/bin/qemu-aarch64" ./$w) \
            >> "$out" 2>&1 || echo "  linux-user '$w' failed"
    done
    # shellcheck disable=SC2086 # a list of workloads
    "${user_env[@]}" taskset -c "$cpu" "$top/scripts/realbench-user.sh" \
        "$top/build/bin/qemu-aarch64" "$user_root" "$raw/user-data" \
        $user_realbench >> "$out" 2>&1 || echo "  linux-user realbench failed"
}

for r in $(seq 1 "$runs"); do
    for c in $configs; do
        for b in $(bases_of "$c"); do
            pair "$c" "$b" "$r"
        done
    done
    user "$r"
done

/usr/bin/python3 "$top/scripts/bench-report.py" "$raw" "$top/bench/results"
