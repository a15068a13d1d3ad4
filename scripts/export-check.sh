#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Exit non-zero, naming what differs, when build/qemu holds commits or edits
# that patches/ and local-patches/ do not.
#
#   export-check.sh            the tree must match patches/ exactly
#   export-check.sh --subset   every commit of the tree must be in patches/
#                              (patches/ may hold more): nothing would be lost
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

subset=false
[ "${1:-}" = --subset ] && subset=true
[ -d "$tree/.git" ] || exit 0      # no tree, nothing to lose
status=0

dirty=$(git -C "$tree" status --porcelain --untracked-files=normal)
if [ -n "$dirty" ]; then
    echo "uncommitted changes in build/qemu:"
    head -n 20 <<< "$dirty" | sed 's/^/  /'
    status=1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# compare DIR RANGE NAME: the commits in RANGE against the patches in DIR.
compare() {
    local want=$top/$1 have=$tmp/$1 f changes
    mkdir -p "$want"
    "$top/scripts/export.sh" "$have" "$2" || exit 1
    if $subset; then
        for f in "$have"/*.patch; do
            [ -e "$f" ] || continue
            if ! any_identical "$f" "$want"; then
                echo "build/qemu commit not in $1/: $(basename "$f")"
                status=1
            fi
        done
    elif ! changes=$(diff -rq "$want" "$have" 2>&1); then
        echo "commits in build/qemu differ from $1/:"
        sed -e "s|$have|build/qemu|g" -e "s|$top/||g" -e 's/^/  /' <<< "$changes"
        status=1
    fi
}

# any_identical FILE DIR: is a byte-identical copy of FILE in DIR?
any_identical() {
    local g
    for g in "$2"/*.patch; do
        cmp -s "$1" "$g" && return 0
    done
    return 1
}

compare local-patches upstream..series-base
compare patches series-base..HEAD

if [ "$status" -ne 0 ]; then
    echo "export it with 'make export', or discard it with 'rm -rf build/qemu'"
fi
exit "$status"
