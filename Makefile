# SPDX-License-Identifier: GPL-2.0-or-later
#
# qemu-hwtlb: the QEMU patch series and its tools.  'make help' lists the
# targets; README.rst says how they fit together.

S := scripts

.PHONY: help deps fetch tree export export-check build check-series check \
	guest check-guest run bench host-costs

help:
	@echo "make deps          install build and test dependencies (root)"
	@echo "make fetch         download and verify the pinned upstream tarball (cached)"
	@echo "make tree          create or update build/qemu from upstream + patches/"
	@echo "make build         build qemu-system-aarch64 and qemu-aarch64 into build/bin/"
	@echo "make export        write build/qemu's commits back to patches/"
	@echo "make export-check  fail if build/qemu holds work patches/ does not"
	@echo "make check-series  checkpatch, Signed-off-by and subject of each patch"
	@echo "                   (BISECT=1: also build after each patch)"
	@echo "make run           build, boot the default guest with hwtlb off and on, compare"
	@echo "make bench         every workload, hwtlb off/on in pairs, 3 boards (RUNS=5)"
	@echo "make host-costs    what a host page fault, mmap and unmap cost here"
	@echo "make guest         build the aarch64 test guest into build/guest/"
	@echo "make check-guest   boot tests (QEMU_ARGS='-accel tcg,hwtlb=on' to pass on)"
	@echo "make check         the whole test run: deps, tree, build, series, tests"

deps:
	$(S)/deps.sh

fetch:
	$(S)/fetch-upstream.sh

tree:
	$(S)/mktree.sh

export:
	$(S)/export.sh "$(CURDIR)/local-patches" upstream..series-base
	$(S)/export.sh

export-check:
	$(S)/export-check.sh

build:
	$(S)/build.sh

check-series:
	$(S)/check-series.sh

check:
	$(S)/check.sh

guest:
	$(S)/guest-build.sh

check-guest: guest
	$(S)/guest-test.sh $(QEMU_ARGS)

run:
	$(S)/run.sh

bench:
	$(S)/bench.sh

host-costs:
	mkdir -p build
	cc -O2 -Wall -pthread -o build/host-costs $(S)/host-costs.c
	build/host-costs
