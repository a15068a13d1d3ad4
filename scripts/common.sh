# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034  # (the variables are for the scripts)
# Shared settings for the qemu-hwtlb scripts; sourced, never run.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${QEMU_HWTLB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qemu-hwtlb}
tree=$top/build/qemu
# What fetch-upstream.sh actually used: the lock, or a fallback version.
used=$top/build/upstream.used

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

# verify FILE SHA256: does FILE exist with that checksum?
verify() {
    [ -f "$1" ] && echo "$2  $1" | sha256sum --quiet -c - >/dev/null 2>&1
}

# Read upstream.lock into DEB_VERSION, TARBALL and SHA256.
load_lock() {
    # shellcheck source=upstream.lock
    . "$top/upstream.lock"
}
