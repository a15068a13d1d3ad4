#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install every build, test and benchmark dependency of qemu-hwtlb on Debian
# 12 (bookworm) x86-64, and the guest lab's (guest/deps.sh).  Idempotent: the
# apt sources are written only when they differ, and only packages that are
# not installed at all are given to apt-get, so that a package already there
# is never upgraded as a side effect (an upgrade runs dpkg, which stops on any
# unrelated damage in the host's dpkg state).  As another user than root it
# only checks that everything is there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

packages=(
    build-essential git ca-certificates dpkg-dev xz-utils bzip2
    ninja-build pkg-config flex bison ccache
    python3 python3-venv python3-setuptools
    libglib2.0-dev libpixman-1-dev libfdt-dev libslirp-dev zlib1g-dev
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross gdb-multiarch ipxe-qemu
    seabios gnuplot-nox
)
# meson >= 1.5 and pycotap: the +ds tarball ships no python wheels.
backports=(meson python3-pycotap)

# missing NAME...: print those of the NAMEs that are not installed.
missing() {
    local name
    for name in "$@"; do
        dpkg-query -W -f '${db:Status-Abbrev}\n' "$name" 2>/dev/null |
            grep -q '^ii' || echo "$name"
    done
}
mapfile -t missing_packages < <(missing "${packages[@]}")
mapfile -t missing_backports < <(missing "${backports[@]}")

if [ "$(id -u)" -ne 0 ]; then
    if [ ${#missing_packages[@]} -ne 0 ] || [ ${#missing_backports[@]} -ne 0 ]; then
        echo "deps: some packages are missing, and installing them needs root;" >&2
        echo "deps: try: sudo make deps" >&2
        exit 1
    fi
    "$top/guest/deps.sh"
    echo "deps: all build and test dependencies are installed"
    exit 0
fi

# bookworm-backports: meson and pycotap (above).
# trixie deb-src: the pinned upstream source package qemu 10.0.x.
sources=/etc/apt/sources.list.d/qemu-hwtlb.sources
want=$(cat <<'SRC'
# Written by qemu-hwtlb scripts/deps.sh
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
)
stamp=/var/lib/apt/lists/qemu-hwtlb.updated
if [ ! -f "$sources" ] || [ "$(cat "$sources")" != "$want" ] || [ ! -f "$stamp" ]; then
    printf '%s\n' "$want" > "$sources"
    apt-get update -q
    touch "$stamp"
fi

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing_packages[@]} -ne 0 ]; then
    apt-get install -y -q --no-install-recommends "${missing_packages[@]}"
fi
if [ ${#missing_backports[@]} -ne 0 ]; then
    apt-get install -y -q --no-install-recommends -t bookworm-backports \
        "${missing_backports[@]}"
fi
"$top/guest/deps.sh"
echo "deps: all build and test dependencies are installed"
