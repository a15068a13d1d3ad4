/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmap / mprotect / munmap churn: map a small region, touch its pages,
 * change its protection back and forth, unmap it; again and again.  Every
 * one of these calls must invalidate translations the CPU (or emulator)
 * may have cached, so this is the flush-heavy counterpart of ptrchase:
 * the cost of keeping a faster translation scheme coherent.
 *
 * Usage: mmap_churn [-s SCALE | SCALE]
 * Check: pages read back what was written across protection changes,
 * and (every FAULT_EVERY iterations) a write to a read-only page and a
 * read of a PROT_NONE page really raise SIGSEGV, while reads of the
 * read-only page still work.
 */
#include "common.h"
#include "faultprobe.h"

#include <sys/mman.h>
#include <unistd.h>

#define ITERATIONS_PER_SCALE 12000
#define MAX_PAGES 32
#define FAULT_EVERY 8

static size_t page_size;

static uint64_t stamp(unsigned long iter, size_t page)
{
    return (uint64_t)iter << 16 | page;
}

static void write_stamps(char *base, size_t npages, unsigned long iter)
{
    for (size_t i = 0; i < npages; i++) {
        *(volatile uint64_t *)(base + i * page_size) = stamp(iter, i);
    }
}

static int stamps_ok(char *base, size_t npages, unsigned long iter)
{
    for (size_t i = 0; i < npages; i++) {
        if (*(volatile uint64_t *)(base + i * page_size) != stamp(iter, i)) {
            return 0;
        }
    }
    return 1;
}

/* Read-only must mean read-only; PROT_NONE must mean no access at all. */
static int protections_enforced(char *base, size_t npages, size_t none_page)
{
    uintptr_t ro = (uintptr_t)base + (none_page + 1) % npages * page_size;
    uintptr_t none = (uintptr_t)base + none_page * page_size;

    if (npages > 1 &&
        (!probe_write_faults(ro) || probe_read_faults(ro))) {
        return 0;
    }
    return probe_read_faults(none) && probe_write_faults(none);
}

/* One full cycle on a fresh region; returns 1 if everything checked out. */
static int churn_once(unsigned long iter, struct prng *r)
{
    size_t npages = 1 + prng_below(r, MAX_PAGES);
    size_t none_page = prng_below(r, npages);
    size_t len = npages * page_size;
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int ok = 1;

    if (base == MAP_FAILED) {
        die("mmap failed");
    }
    write_stamps(base, npages, iter);
    if (mprotect(base, len, PROT_READ) != 0 ||
        mprotect(base + none_page * page_size, page_size, PROT_NONE) != 0) {
        die("mprotect failed");
    }
    if (iter % FAULT_EVERY == 0) {
        ok &= protections_enforced(base, npages, none_page);
    }
    if (mprotect(base, len, PROT_READ | PROT_WRITE) != 0) {
        die("mprotect failed");
    }
    ok &= stamps_ok(base, npages, iter);
    write_stamps(base, npages, iter + 1);
    ok &= stamps_ok(base, npages, iter + 1);
    munmap(base, len);
    return ok;
}

int main(int argc, char **argv)
{
    unsigned long scale = parse_scale_only(argc, argv);
    unsigned long iterations = ITERATIONS_PER_SCALE * scale;
    struct prng r;
    double t0, t1;
    int ok = 1;

    page_size = (size_t)sysconf(_SC_PAGESIZE);
    prng_seed(&r, 0x5eed0401);
    t0 = now_seconds();
    for (unsigned long i = 0; i < iterations; i++) {
        ok &= churn_once(i, &r);
    }
    t1 = now_seconds();

    print_result("mmap-churn", ok, t1 - t0, iterations, NULL);
    return exit_status(ok);
}
