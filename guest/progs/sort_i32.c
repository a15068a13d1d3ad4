/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Heapsort of 32-bit integers and its checks; see sort_i32.h.
 */
#include "common.h"
#include "sort_i32.h"

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

void heapsort_i32(int32_t *a, size_t n)
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

uint64_t multiset_hash_i32(const int32_t *a, size_t n)
{
    uint64_t h = 0;

    for (size_t i = 0; i < n; i++) {
        struct prng r = { (uint32_t)a[i] };

        h += prng_next(&r);
    }
    return h;
}

int is_sorted_i32(const int32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (a[i - 1] > a[i]) {
            return 0;
        }
    }
    return 1;
}
