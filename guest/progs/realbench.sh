#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# realbench NAME...: time real programs from Debian's packages in the guest,
# check their result, and print one RESULT line each (see README.rst):
#
#   xz        xz -T4 compress and decompress, in 1 MiB blocks so 4 threads work
#   7zz       7zz a -mmt4 (LZMA2, 4 threads) and 7zz x
#   gzip      gzip -6 and gzip -d (one thread)
#   stress-vm stress-ng --vm with --verify, a fixed number of bogo operations
#
# The input is the first 4 MiB of the guest's own libraries and programs,
# in sorted order: the same bytes on every boot of the same image, and as
# compressible as real binaries are.  Times come from /proc/uptime (10 ms
# steps; every workload runs for seconds).  Runs under busybox sh.

data=/tmp/realbench.data

now() {
    read -r up _ < /proc/uptime
    echo "$up"
}

# result NAME OK START OPS: print the RESULT line of a workload.
result() {
    end=$(now)
    awk -v n="$1" -v ok="$2" -v s="$3" -v e="$end" -v ops="$4" 'BEGIN {
        printf "RESULT name=%s ok=%d seconds=%.6f ops=%d\n", n, ok, e - s, ops }'
}

make_data() {
    [ -f "$data" ] && return 0
    find /usr/lib /usr/bin /opt/hwtlb -type f | sort | xargs cat 2>/dev/null |
        head -c $((4 * 1024 * 1024)) > "$data"
}

# roundtrip NAME COMPRESS DECOMPRESS: COMPRESS reads $data and writes $data.c,
# DECOMPRESS writes $data.d; ok when $data.d equals $data.
roundtrip() {
    rm -f "$data.c" "$data.d"
    start=$(now)
    ok=0
    sh -c "$2" && sh -c "$3" && cmp -s "$data" "$data.d" && ok=1
    result "$1" "$ok" "$start" "$(wc -c < "$data")"
    rm -f "$data.c" "$data.d"
}

for w in "$@"; do
    make_data
    case $w in
    xz)
        roundtrip xz-t4 \
            "/usr/bin/xz -T4 --block-size=1MiB -6 -c $data > $data.c" \
            "/usr/bin/xz -T4 -d -c $data.c > $data.d"
        ;;
    7zz)
        roundtrip 7zz-mmt4 \
            "7zz a -bd -bso0 -mmt4 -m0=lzma2 -mx5 $data.c.7z $data && mv $data.c.7z $data.c" \
            "7zz e -bd -bso0 -so $data.c > $data.d"
        ;;
    gzip)
        roundtrip gzip \
            "/bin/gzip -6 -c $data > $data.c" \
            "/bin/gzip -d -c $data.c > $data.d"
        ;;
    stress-vm)
        start=$(now)
        ok=0
        stress-ng --vm 2 --vm-bytes 32M --vm-ops 400 --verify -q && ok=1
        result stress-vm "$ok" "$start" 400
        ;;
    *)
        echo "realbench: unknown workload '$w' (xz 7zz gzip stress-vm)" >&2
        exit 2
        ;;
    esac
done
rm -f "$data"
