# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034  # (the variables are for the scripts)
# Shared settings of the guest lab scripts (scripts/guest-*.sh); sourced, never
# run.  guest/README.rst describes the lab.
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

guest_src=$top/guest                    # init, packages.lock, README
guest_out=$top/build/guest              # everything generated
guest_cache=$cache/guest                # downloaded .debs
lock=${GUEST_LOCK:-$guest_src/packages.lock}  # GUEST_LOCK: another lock (tests)
QEMU=${QEMU:-$top/build/bin/qemu-system-aarch64}

# apt-get as root warns that it cannot drop to the _apt user for a download
# into a directory _apt cannot write: it need not.
apt_opts=()
[ "$(id -u)" -ne 0 ] || apt_opts=(-o APT::Sandbox::User=root)

# need_arm64_lists: die unless apt knows arm64 packages (guest/deps.sh).
need_arm64_lists() {
    if ! dpkg --print-foreign-architectures | grep -qx arm64 ||
        ! apt-cache show busybox-static:arm64 >/dev/null 2>&1; then
        die "apt has no arm64 package lists: run guest/deps.sh as root (make deps)"
    fi
}

# newest_kernel: the newest linux-image-6.1.0-N-arm64 package in the apt
# lists, for when the pinned one has been replaced by a security update.
newest_kernel() {
    apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
        grep -E '^linux-image-6\.1\.0-[0-9]+-arm64$' | sort -V |
        while read -r p; do
            apt-cache show "$p:arm64" >/dev/null 2>&1 && echo "$p"
        done | tail -n 1
}

# deb_sha256 NAME ARCH VERSION: the SHA256 apt's (signed) lists give the .deb.
deb_sha256() {
    apt-cache show "$1:$2=$3" 2>/dev/null | sed -n 's/^SHA256: //p' | head -n 1
}

# candidate NAME ARCH: the version apt would install now.
candidate() {
    apt-cache policy "$1:$2" 2>/dev/null | sed -n 's/^ *Candidate: //p' |
        grep -vx '(none)' || true
}
