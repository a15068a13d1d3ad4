#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# realbench-user.sh QEMU_AARCH64 ROOT DIR NAME...: the real programs of
# guest/progs/realbench.sh (xz, 7zz, gzip) under linux-user, the ceiling
# for their guest runs.  ROOT is the guest's root file system, unpacked
# from its initramfs: the same dynamic binaries and libraries, found with
# qemu-aarch64 -L, and the same input, the first 4 MiB of ROOT's
# /opt/hwtlb, /usr/bin and /usr/lib in sorted order.  DIR holds the input
# and the outputs.  Prints one RESULT line per workload, as the guest
# does; stress-vm measures the guest kernel and has no counterpart here.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 QEMU_AARCH64 ROOT DIR NAME..." >&2; exit 2; }
qemu=$1 root=$2 dir=$3
shift 3
data=$dir/realbench.data
size=$((4 * 1024 * 1024))

mkdir -p "$dir"
# head closes the pipe early, which fails cat: check the size instead.
(cd "$root" && find ./opt/hwtlb ./usr/bin ./usr/lib -type f | LC_ALL=C sort |
    xargs cat 2>/dev/null) | head -c "$size" > "$data" || true
if [ "$(stat -c %s "$data")" -ne "$size" ]; then
    echo "realbench-user: cannot make $size bytes of input from $root" >&2
    exit 1
fi

# roundtrip NAME COMPRESS DECOMPRESS: as in realbench.sh, timed here.  The
# check is part of the guest's time, so it runs here as in the guest: the
# guest's busybox cmp, under linux-user too (it takes about 0.2 s, a fifth
# of gzip's time).
roundtrip() {
    local start end ok=0

    rm -f "$data.c" "$data.d"
    start=$(date +%s.%N)
    if bash -c "$2" && bash -c "$3" &&
        "$qemu" -L "$root" "$root/bin/busybox" cmp -s "$data" "$data.d"; then
        ok=1
    fi
    end=$(date +%s.%N)
    awk -v n="$1" -v ok="$ok" -v s="$start" -v e="$end" -v ops="$size" \
        'BEGIN { printf "RESULT name=%s ok=%d seconds=%.6f ops=%d\n",
                 n, ok, e - s, ops }'
    rm -f "$data.c" "$data.d"
}

# The commands are strings for bash -c: quote the paths they hold.
printf -v u '%q -L %q' "$qemu" "$root"
printf -v r '%q' "$root"
printf -v d '%q' "$data"
for w in "$@"; do
    case $w in
    xz)
        roundtrip xz-t4 \
            "$u $r/usr/bin/xz -T4 --block-size=1MiB -6 -c $d > $d.c" \
            "$u $r/usr/bin/xz -T4 -d -c $d.c > $d.d"
        ;;
    7zz)
        roundtrip 7zz-mmt4 \
            "$u $r/usr/bin/7zz a -bd -bso0 -mmt4 -m0=lzma2 -mx5 $d.c.7z $d && mv $d.c.7z $d.c" \
            "$u $r/usr/bin/7zz e -bd -bso0 -so $d.c > $d.d"
        ;;
    gzip)
        roundtrip gzip \
            "$u $r/bin/gzip -6 -c $d > $d.c" \
            "$u $r/bin/gzip -d -c $d.c > $d.d"
        ;;
    *)
        echo "realbench-user: unknown workload '$w' (xz 7zz gzip)" >&2
        exit 2
        ;;
    esac
done
rm -f "$data"
