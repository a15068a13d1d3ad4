#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Create or update build/qemu: a git repository whose first commit is the
# pristine upstream import (tag "upstream"), then the local build fixes from
# local-patches/ (tag "series-base"), then the series from patches/, one
# commit per patch.  Never clobbers work that patches/ does not hold.  A tree
# that already matches patches/ is left alone, and an update rewrites only the
# files the patches touch, so incremental builds stay incremental.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

"$top/scripts/fetch-upstream.sh"
# shellcheck source=/dev/null # DEB_VERSION, TARBALL, SHA256 actually used
. "$used"

git_tree() {
    git -C "$tree" "$@"
}

apply() { # dir
    local p=("$1"/*.patch)
    [ -e "${p[0]}" ] || return 0
    git_tree am -q --whitespace=nowarn "${p[@]}" || {
        git_tree am --abort || true
        die "a patch from $1 does not apply; build/qemu is left at the last good commit"
    }
}

import_upstream() {
    local stage=$top/build/qemu.new
    echo "mktree: importing $TARBALL into build/qemu"
    rm -rf "$stage"
    mkdir -p "$stage"
    tar -xJf "$cache/$TARBALL" -C "$stage" --strip-components=1
    git -C "$stage" init -q -b master
    # Commits made here are the developer's; only the import has a fixed
    # identity and date, so that its hash is the same on every machine.
    if [ -z "$(git -C "$stage" config user.email || true)" ]; then
        git -C "$stage" config user.name "qemu-hwtlb developer"
        git -C "$stage" config user.email "qemu-hwtlb@localhost"
    fi
    git -C "$stage" config gc.auto 0
    git -C "$stage" add -A -f .
    GIT_AUTHOR_NAME="QEMU upstream" GIT_AUTHOR_EMAIL="qemu-devel@nongnu.org" \
    GIT_COMMITTER_NAME="QEMU upstream" GIT_COMMITTER_EMAIL="qemu-devel@nongnu.org" \
    GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
        git -C "$stage" commit -q -m "Import QEMU upstream $DEB_VERSION" \
            -m "From Debian's source package qemu, $TARBALL, sha256 $SHA256."
    git -C "$stage" tag upstream
    echo "$SHA256" > "$stage/.git/qemu-hwtlb-upstream"
    rm -rf "$tree"
    mv "$stage" "$tree"
}

if [ -e "$tree" ] && [ ! -d "$tree/.git" ]; then
    die "$tree exists but is not a git repository; move it away or remove it"
fi

same_upstream=false
if [ -d "$tree/.git" ] &&
   [ "$(cat "$tree/.git/qemu-hwtlb-upstream" 2>/dev/null)" = "$SHA256" ]; then
    same_upstream=true
    if "$top/scripts/export-check.sh" >/dev/null 2>&1; then
        echo "mktree: build/qemu is up to date with patches/"
        exit 0
    fi
fi
if ! out=$("$top/scripts/export-check.sh" --subset 2>&1); then
    echo "$out" >&2
    die "refusing to overwrite build/qemu: it holds work that patches/ does not"
fi

if $same_upstream; then
    echo "mktree: updating build/qemu to patches/"
    git_tree checkout -q -f master
    git_tree reset -q --hard upstream
else
    import_upstream
fi

apply "$top/local-patches"
git_tree tag -f series-base >/dev/null
apply "$top/patches"
echo "mktree: build/qemu has $(git_tree rev-list --count series-base..HEAD) series patches"
