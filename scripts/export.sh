#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Write commits of build/qemu as patches, in a stable form: no commit hashes,
# no signature, fixed abbreviation, so that the history of patches/ shows only
# real changes.
#
#   export.sh [DIR [RANGE]]   defaults: patches/ and series-base..HEAD
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

out=${1:-$top/patches}
range=${2:-series-base..HEAD}
[ -d "$tree/.git" ] || die "no work tree at $tree: run 'make tree' first"
git -C "$tree" rev-parse -q --verify series-base >/dev/null ||
    die "$tree has no series-base tag: recreate it with 'make tree'"
git -C "$tree" merge-base --is-ancestor series-base HEAD ||
    die "HEAD of $tree does not descend from series-base"

mkdir -p "$out"
rm -f "$out"/*.patch
git -C "$tree" -c format.useAutoBase=false -c diff.noprefix=false \
    format-patch -q --zero-commit --no-signature --no-numbered \
    --abbrev=12 --no-cover-letter -o "$out" "$range"
