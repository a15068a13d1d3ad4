#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the aarch64 guest of the qemu-hwtlb lab into build/guest/:
#
#   Image                  Debian's arm64 kernel (an uncompressed arm64 Image)
#   bcm2837-rpi-3-b.dtb    its device tree for -M raspi3b
#   initramfs.cpio.gz      busybox + Debian userland + guest programs + /init
#   initramfs-sd.cpio.gz   busybox + the SD card and ext4 modules + /init: mounts
#                          root= and switch_root's to it
#   raspi3b-sd.img         ext4 root file system (no partition table) holding
#                          the same userland as initramfs.cpio.gz
#   packages.used          the packages actually used (the lock, or fallbacks)
#
# The .debs of guest/packages.lock are downloaded into the cache
# ($QEMU_HWTLB_CACHE/guest) and checked against the lock's SHA256.  A pinned
# version that has left the archive is replaced, with a warning, by the one apt
# offers now (for the kernel: the newest linux-image-6.1.0-N-arm64).
#
# The guest programs are built with 'make -C guest/progs O=build/guest/progs';
# every file of that directory goes into /opt/hwtlb (PROGS_DIR=DIR takes them
# from DIR instead).
#
# Reproducible: the outputs depend only on the inputs (same bytes on every
# rebuild; SOURCE_DATE_EPOCH sets all time stamps).  Nothing is redone when
# no input changed and the outputs are intact.  Needs no root.
set -euo pipefail
# shellcheck source=scripts/guest-common.sh
. "$(dirname "$0")/guest-common.sh"

umask 022
export LC_ALL=C
epoch=${SOURCE_DATE_EPOCH:-1735689600}      # 2025-01-01 00:00:00 UTC
export SOURCE_DATE_EPOCH=$epoch
# Fixed ext4 identity, so that the image does not change from build to build.
sd_uuid=6f8c2a4e-1d3b-4c5a-9e7f-0a1b2c3d4e5f
sd_hash_seed=1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5

for tool in dpkg-deb cpio gzip mke2fs debugfs readelf sha256sum; do
    command -v "$tool" >/dev/null ||
        die "$tool not found: run guest/deps.sh as root (make deps)"
done
[ -f "$lock" ] || die "$lock not found"
mkdir -p "$guest_out" "$guest_cache"

say() { echo "guest-build: $*"; }
warn() { echo "guest-build: WARNING: $*" >&2; }

# ---------------------------------------------------------------------------
# 1. The packages: from the cache, else from the archive.

# debfile NAME ARCH VERSION: where the cache keeps that .deb.
debfile() {
    echo "$guest_cache/${1}_${3//:/%3a}_$2.deb"
}

# download NAME ARCH VERSION SHA256: into the cache, checked.
download() {
    local dl f
    f=$(debfile "$1" "$2" "$3")
    dl=$(mktemp -d "$guest_cache/dl.XXXXXX")
    say "downloading $1:$2=$3" >&2
    if ! (cd "$dl" && apt-get download -q "${apt_opts[@]}" "$1:$2=$3" >/dev/null); then
        rm -rf "$dl"
        die "apt-get download $1:$2=$3 failed"
    fi
    if ! verify "$dl"/*.deb "$4"; then
        rm -rf "$dl"
        die "checksum mismatch for $1:$2=$3 (expected $4)"
    fi
    mv "$dl"/*.deb "$f"
    rmdir "$dl"
}

used_new=$guest_out/packages.used.new
: > "$used_new"
grep -v '^#' "$lock" | while read -r name arch version sum; do
    [ -n "$name" ] || continue
    if ! verify "$(debfile "$name" "$arch" "$version")" "$sum"; then
        need_arm64_lists
        if [ -z "$(deb_sha256 "$name" "$arch" "$version")" ]; then
            # The pinned version has left the archive.
            old="$name=$version"
            [[ $name != linux-image-* ]] || name=$(newest_kernel)
            [ -n "$name" ] || die "no linux-image-6.1.0-N-arm64 in the apt lists"
            version=$(candidate "$name" "$arch")
            [ -n "$version" ] || die "$old is not in the archive and apt offers no $name:$arch"
            sum=$(deb_sha256 "$name" "$arch" "$version")
            warn "pinned $old:$arch is no longer in the archive;"
            warn "using $name=$version instead (recorded in build/guest/packages.used;"
            warn "scripts/guest-lock.sh updates the lock)"
        fi
        verify "$(debfile "$name" "$arch" "$version")" "$sum" ||
            download "$name" "$arch" "$version" "$sum"
    fi
    echo "$name $arch $version $sum"
done >> "$used_new"
mv "$used_new" "$guest_out/packages.used"

# ---------------------------------------------------------------------------
# 2. The guest programs.

progs=
if [ -n "${PROGS_DIR:-}" ]; then
    [ -d "$PROGS_DIR" ] || die "PROGS_DIR=$PROGS_DIR is not a directory"
    progs=$(cd "$PROGS_DIR" && pwd)
elif [ -f "$guest_src/progs/Makefile" ]; then
    say "make -C guest/progs O=build/guest/progs"
    make -s -C "$guest_src/progs" O="$guest_out/progs" ||
        die "building the guest programs failed"
    progs=$guest_out/progs
else
    warn "guest/progs/Makefile not found: the guest has no test programs"
fi

# progs_files: the files that go into /opt/hwtlb (not objects or dep files).
progs_files() {
    [ -n "$progs" ] || return 0
    find "$progs" -maxdepth 1 -type f ! -name '*.o' ! -name '*.d' ! -name '*.a' \
        ! -name '.*' -printf '%f\n' | sort
}

# ---------------------------------------------------------------------------
# 3. Up to date?  The stamp holds a hash of every input.

outputs=(Image bcm2837-rpi-3-b.dtb initramfs.cpio.gz initramfs-sd.cpio.gz raspi3b-sd.img)
key=$( {
    echo "epoch $epoch"
    cat "$guest_out/packages.used"
    sha256sum "$0" "$top/scripts/guest-common.sh" "$guest_src/init"
    progs_files | while read -r f; do
        sha256sum "$progs/$f" | sed "s|  .*|  $f|"
    done
} | sha256sum | cut -d' ' -f1)
stamp=$guest_out/.stamp
sums=$guest_out/SHA256SUMS
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] &&
    (cd "$guest_out" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1); then
    say "build/guest is up to date"
    exit 0
fi
rm -f "$stamp"

# ---------------------------------------------------------------------------
# 4. Unpack.

work=$guest_out/work
rm -rf "$work"
root=$work/rootfs       # the userland of initramfs.cpio.gz and the SD card
kdir=$work/kernel       # the kernel package
mkdir -p "$root" "$kdir"
while read -r name arch version sum; do
    f=$(debfile "$name" "$arch" "$version")
    if [[ $name == linux-image-* ]]; then
        dpkg-deb -x "$f" "$kdir"
    else
        dpkg-deb -x "$f" "$root"
    fi
done < "$guest_out/packages.used"

kver=$(find "$kdir/boot" -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//')
if [ -z "$kver" ] || [ "$(echo "$kver" | wc -l)" -ne 1 ]; then
    die "cannot tell the kernel version from the kernel package"
fi
say "kernel $kver"
moddir=$kdir/lib/modules/$kver
dtb=$kdir/usr/lib/linux-image-$kver/broadcom/bcm2837-rpi-3-b.dtb
[ -f "$dtb" ] || die "no broadcom/bcm2837-rpi-3-b.dtb in the kernel package"
# Debian's arm64 vmlinuz is a plain (uncompressed) arm64 Image.
head -c 64 "$kdir/boot/vmlinuz-$kver" | tail -c 8 | grep -q 'ARMd' ||
    die "vmlinuz-$kver is not an arm64 Image"

# Only what runs: no documentation, locales or gconv modules (20 MB).
rm -rf "${root:?}/usr/share" "$root"/usr/lib/*/gconv
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,mnt,root,opt/hwtlb,etc/hwtlb}
install -m 755 "$guest_src/init" "$root/init"
# nobody: stress-ng runs its exec stressor only as an unprivileged user.
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/tmp:/bin/sh
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
chmod 1777 "$root/tmp"
cat > "$root/etc/profile" <<'EOF'
export PATH=/opt/hwtlb:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
PS1='hwtlb:\w# '
EOF
cp "$guest_out/packages.used" "$root/etc/hwtlb/packages"
echo "$kver" > "$root/etc/hwtlb/kernel"

# Guest programs.
progs_files | while read -r f; do
    if [ -x "$progs/$f" ]; then mode=755; else mode=644; fi
    install -m "$mode" "$progs/$f" "$root/opt/hwtlb/$f"
done
say "guest programs: $(progs_files | tr '\n' ' ')"

# Kernel modules, with what they depend on (the package has no modules.dep:
# depmod makes it at install time; read each module's depends= instead).
declare -A modpath=() modseen=()
while read -r p; do
    n=$(basename "$p" .ko)
    modpath[${n//-/_}]=${p#"$moddir"/}
done < <(find "$moddir" -name '*.ko')
builtin=$(sed 's|.*/||; s|\.ko$||; s|-|_|g' "$moddir/modules.builtin")
modlist=()
addmod() { # NAME: append NAME, after its dependencies, to modlist
    local n=${1//-/_} d deps
    [ -z "${modseen[$n]:-}" ] || return 0
    modseen[$n]=1
    if [ -z "${modpath[$n]:-}" ]; then
        grep -qx "$n" <<< "$builtin" && return 0
        die "kernel $kver has no module $1"
    fi
    deps=$(readelf -p .modinfo "$moddir/${modpath[$n]}" | sed -n 's/^.*[] ]depends=//p')
    for d in ${deps//,/ }; do
        addmod "$d"
    done
    modlist+=("${modpath[$n]}")
}
# writemods LIST MODULE...: /etc/hwtlb/modules-LIST for /init's 'load LIST'.
writemods() {
    local list=$1 m
    shift
    modlist=()
    modseen=()
    for m in "$@"; do
        addmod "$m"
    done
    for m in "${modlist[@]}"; do
        mkdir -p "$(dirname "$root/lib/modules/$kver/$m")"
        cp "$moddir/$m" "$root/lib/modules/$kver/$m"
        echo "$m"
    done > "$root/etc/hwtlb/modules-$list"
}
# raspi: the watchdog, through which a Raspberry Pi powers off (no PSCI).
writemods raspi bcm2835_wdt
# sd: both SD host controllers of the BCM2837 (QEMU wires the card to either,
# as the GPIOs say), and ext4 with the crc32c its metadata checksums need
# (a softdep, which busybox insmod does not follow).
writemods sd sdhci_iproc bcm2835 crc32c_generic ext4
cp "$moddir/modules.builtin" "$moddir/modules.order" "$root/lib/modules/$kver/"

# Every shared library a binary needs must be there.
missing=$(find "$root" -path "$root/lib/modules" -prune -o -type f -print |
    while read -r f; do
        readelf -d "$f" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'  || true
    done | sort -u | while read -r lib; do
        for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
            [ -e "$root/$d/$lib" ] && continue 2
        done
        echo "$lib"
    done)
[ -z "$missing" ] ||
    die "shared libraries missing from the guest (add their packages to the lock): $missing"

# ---------------------------------------------------------------------------
# 5. The outputs.

tmp=$work/out
mkdir -p "$tmp"
cp "$kdir/boot/vmlinuz-$kver" "$tmp/Image"
cp "$dtb" "$tmp/bcm2837-rpi-3-b.dtb"

# mkcpio DIR OUT: a reproducible gzip'd newc cpio of DIR.
mkcpio() {
    find "$1" -exec touch -h -d "@$epoch" {} +
    (cd "$1" && find . | sort |
        cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -9 > "$2"
}
say "initramfs.cpio.gz"
mkcpio "$root" "$tmp/initramfs.cpio.gz"

# The SD card boot's initramfs: busybox, /init and the modules.
sdinit=$work/sdinit
mkdir -p "$sdinit"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,newroot,etc/hwtlb}
cp -a "$root/bin/busybox" "$sdinit/bin/"
cp -a "$root/init" "$sdinit/"
cp -a "$root/etc/hwtlb/." "$sdinit/etc/hwtlb/"
mkdir -p "$sdinit/lib/modules"
cp -a "$root/lib/modules/$kver" "$sdinit/lib/modules/"
say "initramfs-sd.cpio.gz"
mkcpio "$sdinit" "$tmp/initramfs-sd.cpio.gz"

# The SD card: ext4 of the whole card (QEMU wants a power-of-two size), made
# by mke2fs -d (no mount, no root).  mke2fs copies owners and the change times
# of the files: set them all with debugfs afterwards.
kib=$(du -sk --apparent-size "$root" | cut -f1)
size=$((128 * 1024))
while [ "$size" -lt $((kib * 2)) ]; do
    size=$((size * 2))
done
say "raspi3b-sd.img ($((size / 1024)) MiB, $((kib / 1024)) MiB used)"
find "$root" -exec touch -h -d "@$epoch" {} +
img=$tmp/raspi3b-sd.img
rm -f "$img"
truncate -s "${size}K" "$img"
export E2FSPROGS_FAKE_TIME=$epoch
mke2fs -q -F -t ext4 -b 4096 -L hwtlb-root -U "$sd_uuid" -m 0 \
    -E "hash_seed=$sd_hash_seed,root_owner=0:0,lazy_itable_init=0,nodiscard" \
    -d "$root" "$img"
(cd "$root" && find . -mindepth 1 | sort) | sed 's|^\.||' | while read -r p; do
    for field in uid gid; do
        echo "sif \"$p\" $field 0"
    done
    for field in atime ctime mtime crtime; do
        echo "sif \"$p\" $field @$epoch"
    done
done > "$work/debugfs.cmd"
for field in atime ctime mtime crtime; do
    echo "sif / $field @$epoch"
done >> "$work/debugfs.cmd"
debugfs -w -f "$work/debugfs.cmd" "$img" > "$work/debugfs.log" 2>&1
if grep -v '^debugfs' "$work/debugfs.log" | grep -q .; then
    head "$work/debugfs.log" >&2
    die "debugfs could not set the owners and times in the SD image"
fi
unset E2FSPROGS_FAKE_TIME

for f in "${outputs[@]}"; do
    mv "$tmp/$f" "$guest_out/$f"
done
(cd "$guest_out" && sha256sum "${outputs[@]}") > "$sums"
rm -rf "$work"
echo "$key" > "$stamp"
sed 's/^/guest-build: /' "$sums"
