/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * malloc/free churn: a pool of slots, each either empty or holding a
 * block of random size; every step frees or allocates one random slot.
 * Mostly small blocks (allocator fast paths, reused memory), plus a few
 * large ones above glibc's mmap threshold, which come and go as fresh
 * mmap/munmap mappings.  Measures allocator code plus first-touch page
 * faults and unmaps.
 *
 * Usage: malloc_churn [-s SCALE | SCALE]
 * Check: every block still holds its own fill pattern when it is freed
 * (no overlap, no lost writes), and the number of allocations equals the
 * number of frees at the end.
 */
#include "common.h"

#include <string.h>

#define NSLOTS 4096
#define STEPS_PER_SCALE 1200000
#define SMALL_MAX 2048
#define LARGE_SIZE (256 * 1024)    /* above the default mmap threshold */

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char fill;
};

static size_t random_size(struct prng *r)
{
    /* One block in 512 is large. */
    if (prng_below(r, 512) == 0) {
        return LARGE_SIZE + prng_below(r, LARGE_SIZE);
    }
    return 1 + prng_below(r, SMALL_MAX);
}

/* Fill only the first and last 64 bytes of large blocks: touch, not stream. */
static void fill_block(struct slot *s)
{
    if (s->size <= 128) {
        memset(s->p, s->fill, s->size);
    } else {
        memset(s->p, s->fill, 64);
        memset(s->p + s->size - 64, s->fill, 64);
    }
}

static int block_intact(const struct slot *s)
{
    size_t n = s->size <= 128 ? s->size : 64;

    for (size_t i = 0; i < n; i++) {
        if (s->p[i] != s->fill || s->p[s->size - 1 - i] != s->fill) {
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    unsigned long scale = parse_scale_only(argc, argv);
    struct slot *slots = xcalloc(NSLOTS, sizeof(*slots));
    unsigned long long allocs = 0, frees = 0;
    struct prng r;
    double t0, t1;
    int ok = 1;

    prng_seed(&r, 0x5eed0301);
    t0 = now_seconds();
    for (unsigned long step = 0; step < STEPS_PER_SCALE * scale; step++) {
        struct slot *s = &slots[prng_below(&r, NSLOTS)];

        if (s->p) {
            ok &= block_intact(s);
            free(s->p);
            s->p = NULL;
            frees++;
        } else {
            s->size = random_size(&r);
            s->p = xmalloc(s->size);
            s->fill = (unsigned char)step;
            fill_block(s);
            allocs++;
        }
    }
    for (size_t i = 0; i < NSLOTS; i++) {
        if (slots[i].p) {
            ok &= block_intact(&slots[i]);
            free(slots[i].p);
            frees++;
        }
    }
    t1 = now_seconds();

    ok &= allocs == frees;
    print_result("malloc-churn", ok, t1 - t0, allocs + frees,
                 "allocs:%llu", allocs);
    free(slots);
    return exit_status(ok);
}
