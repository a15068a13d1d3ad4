#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Out-of-tree, incremental build of build/qemu into build/obj: aarch64-softmmu
# and aarch64-linux-user (the performance ceiling).  configure runs again only
# when its options change.  build/bin/ links the binaries scripts look for.
#
# SRC and OBJ override the source and build directories (check-series uses
# them to build each patch of the series apart); build/bin/ is then left alone.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

link_bin=true
[ -n "${SRC:-}${OBJ:-}" ] && link_bin=false
tree=${SRC:-$tree}
obj=${OBJ:-$top/build/obj}
[ -x "$tree/configure" ] || die "no work tree at $tree: run 'make tree' first"

cc=cc
if command -v ccache >/dev/null; then
    cc="ccache cc"
    # Share the cache between clones at different paths (CI builds a fresh
    # clone): hash paths relative to build/ and not the working directory.
    # The cost: debug info may name the directory of the clone that filled
    # the cache.
    export CCACHE_BASEDIR=$top/build CCACHE_NOHASHDIR=true
fi
firmware=(/usr/lib/ipxe/qemu /usr/share/seabios)
# shellcheck disable=SC2054 # the commas belong to the option values
opts=(
    --target-list=aarch64-softmmu,aarch64-linux-user
    "--cc=$cc"
    # Debian's meson and pycotap are seen only by Debian's own python.
    --python=/usr/bin/python3
    --disable-docs
    # The +ds tarball has few firmware blobs (local-patches/ installs only
    # those); take the NIC option ROMs and VGA BIOSes boards look for from
    # Debian's ipxe-qemu and seabios.
    "--firmwarepath=$(IFS=:; echo "${firmware[*]}")"
    # For make check-tcg: the cross compiler and a gdb that knows aarch64.
    --cross-cc-aarch64=aarch64-linux-gnu-gcc
    --gdb=/usr/bin/gdb-multiarch
)

stamp=$obj/.qemu-hwtlb-configure
if [ ! -f "$obj/build.ninja" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${opts[*]}" ]; then
    rm -rf "$obj"
    mkdir -p "$obj"
    (cd "$obj" && "$tree/configure" "${opts[@]}") > "$obj.configure.log" 2>&1 || {
        tail -n 30 "$obj.configure.log" >&2
        die "configure failed; the whole log is $obj.configure.log"
    }
    echo "${opts[*]}" > "$stamp"
fi

# A binary run from the build tree finds its data under qemu-bundle/
# (get_relocated_path), the firmware path too: point that at Debian's ROMs
# so that boards with a default NIC or display, the qtests and check-tcg
# find them.
for dir in "${firmware[@]}"; do
    mkdir -p "$(dirname "$obj/qemu-bundle$dir")"
    ln -sfn "$dir" "$obj/qemu-bundle$dir"
done

ninja -C "$obj" qemu-system-aarch64 qemu-aarch64 "$@"

$link_bin || exit 0
mkdir -p "$top/build/bin"
ln -sfn ../obj/qemu-system-aarch64 "$top/build/bin/qemu-system-aarch64"
ln -sfn ../obj/qemu-aarch64 "$top/build/bin/qemu-aarch64"
