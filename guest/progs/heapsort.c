/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Large-array heapsort: nbench's numeric sort on one array of 16 MiB of
 * random 32-bit integers (-m MIB) instead of 32 KiB ones.  Sifting down a
 * heap that large jumps from a node to a child twice as far along the
 * array, so the deeper levels land on a different page at almost every
 * step: integer compare-and-branch code that misses the TLB, where the
 * small arrays of numeric sort fit in a few pages.
 *
 * Usage: heapsort [-s SCALE] [-m MIB]
 * RESULT name: heapsort-<MIB>m; ops: elements sorted.
 *
 * Check: each sorted array is in non-decreasing order and a permutation
 * of its input (same order-independent hash of the elements).
 */
#include "common.h"
#include "sort_i32.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    unsigned long scale = 1, mib = 16;
    size_t n;
    int32_t *a;
    struct prng r;
    double seconds = 0;
    char name[32];
    int ok = 1;

    parse_scale_mib(argc, argv, &scale, &mib);
    n = (mib << 20) / sizeof(*a);
    a = xmalloc(n * sizeof(*a));
    prng_seed(&r, 0x5eed0301);
    for (unsigned long i = 0; i < scale; i++) {
        uint64_t before;
        double t0;

        /* Only the sort is timed: filling and checking are linear. */
        for (size_t j = 0; j < n; j++) {
            a[j] = (int32_t)prng_next(&r);
        }
        before = multiset_hash_i32(a, n);
        t0 = now_seconds();
        heapsort_i32(a, n);
        seconds += now_seconds() - t0;
        if (!is_sorted_i32(a, n) || multiset_hash_i32(a, n) != before) {
            ok = 0;
        }
    }
    free(a);
    snprintf(name, sizeof(name), "heapsort-%lum", mib);
    print_result(name, ok, seconds, (unsigned long long)n * scale,
                 "mib:%lu", mib);
    return exit_status(ok);
}
