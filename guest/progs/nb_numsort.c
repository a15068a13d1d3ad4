/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Numeric sort: heapsort of arrays of random 32-bit integers, as in
 * nbench.  Data-dependent branches and scattered loads within a 32 KiB
 * array: a test of translated integer code.
 *
 * Check: the array ends up in non-decreasing order and is a permutation
 * of the input (same order-independent hash of the elements).
 */
#include "common.h"
#include "nbench.h"
#include "sort_i32.h"

#define ARRAY_LEN 8192
#define ARRAYS_PER_SCALE 240

struct nb_outcome nb_numsort(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    int32_t *a = xmalloc(ARRAY_LEN * sizeof(*a));
    struct prng r;

    prng_seed(&r, 0x5eed0001);
    for (unsigned long n = 0; n < scale * ARRAYS_PER_SCALE; n++) {
        uint64_t before;

        for (size_t i = 0; i < ARRAY_LEN; i++) {
            a[i] = (int32_t)prng_next(&r);
        }
        before = multiset_hash_i32(a, ARRAY_LEN);
        heapsort_i32(a, ARRAY_LEN);
        if (!is_sorted_i32(a, ARRAY_LEN) ||
            multiset_hash_i32(a, ARRAY_LEN) != before) {
            out.ok = 0;
        }
        out.ops++;
    }
    free(a);
    return out;
}
