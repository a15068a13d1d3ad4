#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot the guest (scripts/guest-build.sh) in one configuration and run a
# command in it:
#
#   guest-run.sh [-t SECS] [-l LOG] [-i INPUT] [-v] CONFIG [QEMU-ARG...] [-- COMMAND...]
#
#   CONFIG   virt1       -M virt, cortex-a72, 1 CPU, initramfs
#            virt4       -M virt, cortex-a72, 4 CPUs, initramfs
#            virtmax     -M virt, -cpu max (LSE, LSE2, ...), 2 CPUs, initramfs
#            raspi3b     -M raspi3b (4 cortex-a53), initramfs
#            raspi3b-sd  -M raspi3b, root file system on the SD card
#   QEMU-ARG extra QEMU arguments, e.g. -accel tcg,hwtlb=on
#   COMMAND  what the guest runs (kernel command line hwtlb.run=...): a program
#            of /opt/hwtlb with its arguments, e.g. 'selftest' or
#            'bench memcpy heapsort'.  Without it, QEMU starts interactively
#            with a shell on the console (Ctrl-A x quits).
#   -t SECS  kill QEMU after SECS seconds (default 300; raspi3b*: 600)
#   -l LOG   the serial log (default build/guest/log/CONFIG.log)
#   -i INPUT what the guest's console reads (default /dev/null), e.g. a FIFO
#            through which scripts/bench.sh releases the guest's next step
#   -v       show the serial console while it runs
#   -n       only print the QEMU command line (on standard output)
#
# Prints the QEMU command line, then the guest command's output (the lines
# between "=== HWTLB-BEGIN" and "=== HWTLB-END rc=N").  Exits with the guest
# command's status, or non-zero when the markers are missing or the time ran
# out.  QEMU=... picks the QEMU binary (default build/bin/qemu-system-aarch64);
# KERNEL_ARGS=... adds to the kernel command line.
set -euo pipefail
# shellcheck source=scripts/guest-common.sh
. "$(dirname "$0")/guest-common.sh"

usage() {
    sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 2
}

timeout_s=
log=
input=/dev/null
verbose=
dry_run=
while getopts t:l:i:vnh opt; do
    case $opt in
    t) timeout_s=$OPTARG ;;
    l) log=$OPTARG ;;
    i) input=$OPTARG ;;
    v) verbose=1 ;;
    n) dry_run=1 ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
config=$1
shift
qemu_args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    qemu_args+=("$1")
    shift
done
[ $# -eq 0 ] || shift
cmd="$*"

[ -x "$QEMU" ] || die "$QEMU not found: run 'make build' first, or set QEMU=/path/to/qemu-system-aarch64"
g=$guest_out
for f in Image initramfs.cpio.gz; do
    [ -f "$g/$f" ] || die "build/guest/$f not found: run scripts/guest-build.sh (make guest) first"
done

# panic=-1 reboots at once on a panic, and -no-reboot turns that (and
# poweroff on raspi3b, a watchdog reset) into QEMU exiting.
append="panic=-1 quiet"
case $config in
virt1 | virt4)
    machine=(-M virt -cpu cortex-a72 -smp "${config#virt}" -m 1G
             -kernel "$g/Image" -initrd "$g/initramfs.cpio.gz")
    append="console=ttyAMA0 $append"
    : "${timeout_s:=300}"
    ;;
virtmax)
    # Every feature QEMU emulates, for the atomics (FEAT_LSE, FEAT_LSE2)
    # and alignment rules cortex-a72 lacks; pauth-impdef keeps pointer
    # authentication cheap to emulate.
    # shellcheck disable=SC2054 # the commas belong to -cpu
    machine=(-M virt -cpu max,pauth-impdef=on -smp 2 -m 1G
             -kernel "$g/Image" -initrd "$g/initramfs.cpio.gz")
    append="console=ttyAMA0 $append"
    : "${timeout_s:=300}"
    ;;
raspi3b | raspi3b-sd)
    # As on a real Raspberry Pi 3 B, the console is the mini UART (ttyS1,
    # QEMU's second serial port): the device tree gives the PL011 to the
    # Bluetooth chip (serdev), so ttyAMA0 would be output-only.
    machine=(-M raspi3b -m 1G -kernel "$g/Image" -dtb "$g/bcm2837-rpi-3-b.dtb"
             -serial null -serial mon:stdio)
    append="console=ttyS1,115200 earlycon=uart8250,mmio32,0x3f215040 $append"
    if [ "$config" = raspi3b ]; then
        machine+=(-initrd "$g/initramfs.cpio.gz")
    else
        # The SD card modules are not built into Debian's kernel: a small
        # initramfs loads them and switch_root's to the card.  snapshot=on
        # keeps the image file unchanged although the root is mounted rw.
        [ -f "$g/raspi3b-sd.img" ] || die "build/guest/raspi3b-sd.img not found: run scripts/guest-build.sh"
        machine+=(-initrd "$g/initramfs-sd.cpio.gz"
                  -drive "if=sd,format=raw,snapshot=on,file=$g/raspi3b-sd.img")
        append="$append root=/dev/mmcblk0 rootwait rw"
    fi
    : "${timeout_s:=600}"
    ;;
*)
    die "unknown configuration '$config' (virt1, virt4, virtmax, raspi3b, raspi3b-sd)"
    ;;
esac
[[ $cmd != *\"* ]] || die "the guest command cannot hold a double quote"
[ -z "$cmd" ] || append="$append hwtlb.run=\"$cmd\""
[ -z "${KERNEL_ARGS:-}" ] || append="$append $KERNEL_ARGS"

qemu=("$QEMU" "${machine[@]}" -nographic -no-reboot -nic none
      -append "$append" "${qemu_args[@]}")

# The command line, quoted so that it can be pasted into a shell.
line=
for a in "${qemu[@]}"; do
    if [[ $a =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then
        line+=" $a"
    else
        line+=" '${a//\'/\'\\\'\'}'"
    fi
done
if [ -n "$dry_run" ]; then
    echo "${line# }"
    exit 0
fi
echo "guest-run:$line" >&2

if [ -z "$cmd" ]; then
    exec "${qemu[@]}"
fi

: "${log:=$g/log/$config.log}"
mkdir -p "$(dirname "$log")"
start=$EPOCHREALTIME
set +e
if [ -n "$verbose" ]; then
    timeout -k 10 "$timeout_s" "${qemu[@]}" < "$input" 2>&1 | tee "$log" >&2
    st=${PIPESTATUS[0]}
else
    timeout -k 10 "$timeout_s" "${qemu[@]}" < "$input" > "$log" 2>&1
    st=$?
fi
set -e
wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
sed -i 's/\r$//' "$log"

# The guest's output, between the markers (a UART may put a stray byte
# before a marker: do not anchor them).
sed -n '/=== HWTLB-BEGIN/,/=== HWTLB-END/{/=== HWTLB-/d;p}' "$log"

init=$(sed -n 's/.*=== HWTLB-INIT uptime=\([0-9.]*\).*/\1/p' "$log" | tail -n 1)
end=$(grep -a '=== HWTLB-END rc=' "$log" | tail -n 1 || true)
rc=$(echo "$end" | sed -n 's/.*=== HWTLB-END rc=\([0-9]*\).*/\1/p')
printf 'guest-run: %s: init at %s s (guest uptime), %.1f s wall in all\n' \
    "$config" "${init:-?}" "$wall" >&2
if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
    echo "guest-run: $config: timed out after $timeout_s s (log: $log)" >&2
    exit 124
fi
if [ -z "$rc" ]; then
    echo "guest-run: $config: no '=== HWTLB-END' marker: the guest did not finish (QEMU exit $st, log: $log)" >&2
    exit 125
fi
if [ "$st" -ne 0 ]; then
    echo "guest-run: $config: QEMU exited with status $st (log: $log)" >&2
    exit "$st"
fi
[ "$rc" -eq 0 ] || echo "guest-run: $config: guest command exited with status $rc (log: $log)" >&2
exit "$rc"
