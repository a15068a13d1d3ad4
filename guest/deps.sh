#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install what the guest lab (scripts/guest-*.sh) needs on a Debian 12 x86-64
# host: the arm64 dpkg architecture with its apt lists (the guest's packages
# are downloaded with 'apt-get download NAME:arm64'), e2fsprogs (mke2fs -d,
# debugfs), cpio, binutils (readelf) and make.  Idempotent: nothing is done
# when all is there.  Run as root; as another user it only checks.
set -euo pipefail

packages=(e2fsprogs cpio binutils gzip make)

have_arch() { dpkg --print-foreign-architectures | grep -qx arm64; }
have_lists() { apt-cache show busybox-static:arm64 >/dev/null 2>&1; }
installed=$(dpkg-query -W -f '${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null |
    grep -c '^ii' || true)

if [ "$(id -u)" -ne 0 ]; then
    if have_arch && have_lists && [ "$installed" -eq ${#packages[@]} ]; then
        echo "guest/deps: the guest lab's dependencies are installed"
        exit 0
    fi
    echo "guest/deps: the arm64 architecture or some packages are missing;" >&2
    echo "guest/deps: installing them needs root: try sudo guest/deps.sh" >&2
    exit 1
fi

if ! have_arch; then
    dpkg --add-architecture arm64
fi
if ! have_lists; then
    apt-get update -q
    have_lists || {
        echo "guest/deps: apt still has no arm64 lists after apt-get update" >&2
        exit 1
    }
fi
if [ "$installed" -ne ${#packages[@]} ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
        --no-install-recommends "${packages[@]}"
fi
echo "guest/deps: the guest lab's dependencies are installed"
