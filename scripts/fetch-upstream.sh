#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch the pinned upstream QEMU tarball (Debian source package) into the cache
# and verify its checksum.  A cached, verified tarball needs no network.  If the
# pinned version has left the archive, fall back to the newest qemu 10.0.x
# source there, loudly.  Writes build/upstream.used with what was used.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
load_lock

mkdir -p "$cache" "$top/build"

record() { # version tarball sha256
    printf 'DEB_VERSION=%s\nTARBALL=%s\nSHA256=%s\n' "$1" "$2" "$3" > "$used"
}

if verify "$cache/$TARBALL" "$SHA256"; then
    record "$DEB_VERSION" "$TARBALL" "$SHA256"
    exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: run on Debian"
dl=$(mktemp -d)
trap 'rm -rf "$dl"' EXIT

versions=$(apt-cache showsrc qemu 2>/dev/null | sed -n 's/^Version: //p')
version=$DEB_VERSION
if ! grep -qxF "$DEB_VERSION" <<< "$versions"; then
    version=$(grep '^1:10\.0\.' <<< "$versions" | sort -V | tail -n 1 || true)
    [ -n "$version" ] ||
        die "no qemu 10.0.x source in the apt lists: run 'make deps' (it adds trixie deb-src)"
    echo "WARNING: pinned qemu $DEB_VERSION is no longer in the archive;" >&2
    echo "WARNING: falling back to qemu $version (recorded in $used)." >&2
    # A fallback fetched before, and still intact, needs no download.
    if [ -f "$used" ] && grep -qxF "DEB_VERSION=$version" "$used"; then
        tarball=$(sed -n 's/^TARBALL=//p' "$used")
        sum=$(sed -n 's/^SHA256=//p' "$used")
        if verify "$cache/$tarball" "$sum"; then
            exit 0
        fi
    fi
fi

echo "fetch-upstream: downloading qemu $version source"
(cd "$dl" && apt-get source -q --download-only -o APT::Sandbox::User=root "qemu=$version" >/dev/null)
tarball=$(cd "$dl" && ls qemu_*.orig.tar.xz)
sum=$(sha256sum "$dl/$tarball" | cut -d' ' -f1)

if [ "$version" = "$DEB_VERSION" ]; then
    [ "$tarball" = "$TARBALL" ] || die "expected $TARBALL, archive gave $tarball"
    [ "$sum" = "$SHA256" ] ||
        die "checksum mismatch for $TARBALL: got $sum, upstream.lock says $SHA256"
fi
mv "$dl/$tarball" "$cache/$tarball"
record "$version" "$tarball" "$sum"
echo "fetch-upstream: $cache/$tarball ($sum)"
