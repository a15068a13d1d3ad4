#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# stresstest [SECONDS]: stress-ng's vm, mmap, mprotect, fork and exec
# stressors at once, with their own verification on, for SECONDS (default
# 20) each.  Runs as the unprivileged user nobody, since stress-ng refuses
# to run its exec stressor as root.  Exits with stress-ng's status: 0 when
# no stressor failed.  Runs under busybox sh.

secs=${1:-20}
cd /tmp || exit 1
exec su -s /bin/sh nobody -c "stress-ng --vm 2 --vm-bytes 8M \
    --mmap 2 --mmap-bytes 4M --mprotect 2 --fork 2 --exec 2 \
    --verify --timeout ${secs}s --metrics-brief"
