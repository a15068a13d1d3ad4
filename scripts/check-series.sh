#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Check every patch of the series (build/qemu: series-base..HEAD):
# scripts/checkpatch.pl without errors, a Signed-off-by, and a
# "subsystem: summary" subject.  With BISECT=1, also build the tree after
# each patch, in a worktree of its own so build/obj is left alone.
# Prints one "PASS"/"FAIL" line per patch and check.
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/scripts/export.sh" "$tmp" || exit 1
failed=0

result() { # status what
    if [ "$1" -eq 0 ]; then
        echo "PASS: $2"
    else
        echo "FAIL: $2"
        failed=1
    fi
}

for p in "$tmp"/*.patch; do
    [ -e "$p" ] || { echo "check-series: the series is empty"; exit 0; }
    name=$(basename "$p")
    subject=$(sed -n 's/^Subject: \[PATCH\] //p' "$p")

    out=$(cd "$tree" && ./scripts/checkpatch.pl --no-color "$p" 2>&1)
    st=$?
    # shellcheck disable=SC2001 # indent every line of the report
    [ $st -eq 0 ] || sed 's/^/    /' <<< "$out"
    result $st "checkpatch $name"

    grep -q '^Signed-off-by: .\+ <.\+@.\+>$' "$p"
    st=$?
    [ $st -eq 0 ] || echo "    no Signed-off-by: Name <email> line"
    result $st "signed-off $name"

    grep -qE '^[A-Za-z0-9_./,{}*+-]+: [^ ].*[^.]$' <<< "$subject"
    st=$?
    [ $st -eq 0 ] || echo "    subject '$subject' is not 'subsystem: summary'"
    result $st "subject $name"
done

if [ "${BISECT:-0}" = 1 ]; then
    # build/bisect/{qemu,obj} as build/{qemu,obj}: the same relative
    # paths, so ccache finds what the main build compiled.
    wt=$top/build/bisect
    git -C "$tree" worktree remove --force "$wt/qemu" 2>/dev/null
    rm -rf "$wt/qemu"
    git -C "$tree" worktree prune
    git -C "$tree" worktree add -q --detach "$wt/qemu" series-base || exit 1
    for c in $(git -C "$tree" rev-list --reverse series-base..HEAD); do
        git -C "$wt/qemu" checkout -q "$c"
        what="build after $(git -C "$tree" log -1 --format='%h %s' "$c")"
        SRC=$wt/qemu OBJ=$wt/obj "$top/scripts/build.sh" > "$wt/build.log" 2>&1
        st=$?
        [ $st -eq 0 ] || tail -n 20 "$wt/build.log" | sed 's/^/    /'
        result $st "$what"
    done
fi
exit $failed
