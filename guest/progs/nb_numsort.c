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

#define ARRAY_LEN 8192
#define ARRAYS_PER_SCALE 240

/* Move a[root] down until the subtree rooted there is a max-heap. */
static void sift_down(int32_t *a, size_t root, size_t end)
{
    int32_t v = a[root];

    for (;;) {
        size_t child = 2 * root + 1;

        if (child >= end) {
            break;
        }
        if (child + 1 < end && a[child + 1] > a[child]) {
            child++;
        }
        if (a[child] <= v) {
            break;
        }
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort_i32(int32_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) {
        sift_down(a, i, n);
    }
    for (size_t end = n; end-- > 1;) {
        int32_t t = a[0];

        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

/* Order-independent hash: equal for any permutation of the same values. */
static uint64_t multiset_hash(const int32_t *a, size_t n)
{
    uint64_t h = 0;

    for (size_t i = 0; i < n; i++) {
        struct prng r = { (uint32_t)a[i] };

        h += prng_next(&r);
    }
    return h;
}

static int is_sorted_i32(const int32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (a[i - 1] > a[i]) {
            return 0;
        }
    }
    return 1;
}

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
        before = multiset_hash(a, ARRAY_LEN);
        heapsort_i32(a, ARRAY_LEN);
        if (!is_sorted_i32(a, ARRAY_LEN) ||
            multiset_hash(a, ARRAY_LEN) != before) {
            out.ok = 0;
        }
        out.ops++;
    }
    free(a);
    return out;
}
