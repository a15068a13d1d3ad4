#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run QEMU's check-tcg for aarch64 (system and linux-user tests, built with
# Debian's aarch64-linux-gnu-gcc) and report it for check.sh: "TESTS: N",
# the number of test steps run, and one "FAIL: target" per failing test.
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

obj=$top/build/obj
out=$(make -C "$obj" -k check-tcg 2>&1)
st=$?
printf '%s\n' "$out"

echo "TESTS: $(grep -cE '^ +TEST ' <<< "$out")"
# Leaf failures only: the enclosing run-tcg-tests-* and check-tcg targets
# fail whenever one of their tests does.
grep -E '\*\*\* \[' <<< "$out" | grep -vE '\[[^]]*: (run-tcg-tests-|check-tcg|build-tcg)' |
    sed -E 's/.*\[[^]]*: ([^]]*)\].*/FAIL: \1/'
[ "$st" -eq 0 ] || grep -qE '\*\*\* \[' <<< "$out" || echo "FAIL: check-tcg (exit $st)"
exit "$st"
