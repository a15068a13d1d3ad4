/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Random pointer chase: follow a random cyclic permutation of nodes, one
 * node per cache line (or per STRIDE bytes), over a large region (64 MiB
 * by default; 512 MiB for the big variant).  Every load depends on the
 * previous one and almost every one lands on a different page, so this is
 * a pure memory-latency and TLB-miss benchmark: exactly the path where
 * letting the host MMU translate guest addresses should help most.
 *
 * Usage: ptrchase [-s SCALE] [-m MIB] [-S STRIDE]
 * RESULT name: ptrchase-<MIB>m.
 *
 * The permutation comes from Sattolo's algorithm, which yields a single
 * cycle through all nodes.  Check: the walk came back to the start node
 * exactly once per full lap, and ends on the node that the permutation
 * array (a separate copy of the cycle) says it must.
 */
#include "common.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define STEPS_PER_SCALE (4UL << 20)

/* Sattolo's shuffle: a uniformly random permutation with one cycle. */
static uint32_t *single_cycle(size_t n, struct prng *r)
{
    uint32_t *next = xmalloc(n * sizeof(*next));

    for (size_t i = 0; i < n; i++) {
        next[i] = (uint32_t)i;
    }
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = prng_below(r, i);      /* j < i, never i: one cycle */
        uint32_t t = next[i];

        next[i] = next[j];
        next[j] = t;
    }
    return next;
}

/* Store in node i a pointer to node next[i]. */
static void link_nodes(char *base, size_t n, size_t stride,
                       const uint32_t *next)
{
    for (size_t i = 0; i < n; i++) {
        *(void **)(base + i * stride) = base + (size_t)next[i] * stride;
    }
}

/* Node index reached after steps steps from node 0, from the array. */
static size_t walk_index(const uint32_t *next, unsigned long steps)
{
    size_t i = 0;

    while (steps--) {
        i = next[i];
    }
    return i;
}

/* Walk the pointers; count how often we come back to the start. */
static void *chase(void *start, unsigned long steps, unsigned long *returns)
{
    void *p = start;
    unsigned long back = 0;

    for (unsigned long i = 0; i < steps; i++) {
        p = *(void **)p;
        back += p == start;
    }
    *returns = back;
    return p;
}

int main(int argc, char **argv)
{
    unsigned long scale = 1, mib = 64, stride = 64, steps, returns;
    size_t len, n, end_index;
    uint32_t *next;
    char *base, name[32];
    struct prng r;
    double t0, t1;
    void *end;
    int opt, ok;

    while ((opt = getopt(argc, argv, "s:m:S:")) != -1) {
        if (opt == 's') {
            scale = parse_positive(optarg, "scale");
        } else if (opt == 'm') {
            mib = parse_positive(optarg, "size in MiB");
        } else if (opt == 'S') {
            stride = parse_positive(optarg, "stride");
        } else {
            die("usage: %s [-s SCALE] [-m MIB] [-S STRIDE]", argv[0]);
        }
    }
    len = mib << 20;
    if (stride < sizeof(void *) || stride % sizeof(void *) || stride > len) {
        die("stride must be a multiple of %zu and at most the size",
            sizeof(void *));
    }
    n = len / stride;
    if (n < 2 || n > UINT32_MAX) {
        die("need between 2 and 2^32 nodes");
    }
    steps = STEPS_PER_SCALE * scale;

    base = mmap(NULL, len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        die("mmap %lu MiB failed", mib);
    }
    prng_seed(&r, 0x5eed0201);
    next = single_cycle(n, &r);
    link_nodes(base, n, stride, next);
    /* A single cycle of length n: full laps bring us back to node 0. */
    end_index = walk_index(next, steps % n);
    free(next);

    t0 = now_seconds();
    end = chase(base, steps, &returns);
    t1 = now_seconds();

    ok = end == base + end_index * stride && returns == steps / n;
    snprintf(name, sizeof(name), "ptrchase-%lum", mib);
    print_result(name, ok, t1 - t0, steps,
                 "mib:%lu,stride:%lu,ns_per_step:%.2f", mib, stride,
                 (t1 - t0) * 1e9 / (double)steps);
    munmap(base, len);
    return exit_status(ok);
}
