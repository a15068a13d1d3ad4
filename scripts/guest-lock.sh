#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Rewrite guest/packages.lock with the versions (and SHA256 sums) apt offers
# now for the packages it names; the kernel becomes the newest
# linux-image-6.1.0-N-arm64.  Run it by hand when a pinned package has left
# the archive (guest-build.sh then warns), then rebuild, test and commit the
# lock.  Needs the arm64 apt lists (guest/deps.sh) and an 'apt-get update'.
set -euo pipefail
# shellcheck source=scripts/guest-common.sh
. "$(dirname "$0")/guest-common.sh"

need_arm64_lists
[ -f "$lock" ] || die "$lock not found"

new=$(mktemp)
trap 'rm -f "$new"' EXIT
# Keep the comment header, replace the package lines.
grep '^#' "$lock" > "$new" || true
grep -v '^#' "$lock" | while read -r name arch version _; do
    [ -n "$name" ] || continue
    if [[ $name == linux-image-* ]]; then
        name=$(newest_kernel)
        [ -n "$name" ] || die "no linux-image-6.1.0-N-arm64 in the apt lists"
    fi
    v=$(candidate "$name" "$arch")
    [ -n "$v" ] || die "apt offers no $name:$arch"
    sum=$(deb_sha256 "$name" "$arch" "$v")
    [ -n "$sum" ] || die "no SHA256 for $name:$arch=$v in the apt lists"
    [ "$v" = "$version" ] || echo "guest-lock: $name:$arch $version -> $v" >&2
    echo "$name $arch $v $sum"
done | LC_ALL=C sort >> "$new"
cp "$new" "$lock"
echo "guest-lock: wrote $lock"
