/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * String sort: heapsort of variable-length random strings, comparing
 * them with a byte loop, as in nbench.  Adds byte loads and short,
 * unpredictable loops to the numeric sort's pattern.
 *
 * Check: the strings end up in non-decreasing order and are the same
 * multiset of strings as before (order-independent hash).
 */
#include "common.h"
#include "nbench.h"

#include <string.h>

#define NSTRINGS 2000
#define MIN_LEN 4
#define MAX_LEN 60
#define SORTS_PER_SCALE 150

/*
 * Byte-wise comparison written out rather than strcmp(), so that the
 * work is generated code rather than whatever the C library optimised.
 */
static int compare_str(const unsigned char *a, const unsigned char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)*a - (int)*b;
}

static void sift_down(unsigned char **s, size_t root, size_t end)
{
    unsigned char *v = s[root];

    for (;;) {
        size_t child = 2 * root + 1;

        if (child >= end) {
            break;
        }
        if (child + 1 < end && compare_str(s[child + 1], s[child]) > 0) {
            child++;
        }
        if (compare_str(s[child], v) <= 0) {
            break;
        }
        s[root] = s[child];
        root = child;
    }
    s[root] = v;
}

static void heapsort_str(unsigned char **s, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) {
        sift_down(s, i, n);
    }
    for (size_t end = n; end-- > 1;) {
        unsigned char *t = s[0];

        s[0] = s[end];
        s[end] = t;
        sift_down(s, 0, end);
    }
}

/* Fill the pool with NSTRINGS random strings over a small alphabet. */
static void make_strings(unsigned char *pool, unsigned char **s,
                         struct prng *r)
{
    unsigned char *p = pool;

    for (size_t i = 0; i < NSTRINGS; i++) {
        size_t len = MIN_LEN + prng_below(r, MAX_LEN - MIN_LEN + 1);

        s[i] = p;
        for (size_t j = 0; j < len; j++) {
            /* A small alphabet makes long common prefixes likely. */
            *p++ = (unsigned char)('a' + prng_below(r, 4));
        }
        *p++ = '\0';
    }
}

static uint64_t multiset_hash(unsigned char **s, size_t n)
{
    uint64_t h = 0;

    for (size_t i = 0; i < n; i++) {
        h += fnv1a(FNV1A_INIT, s[i], strlen((const char *)s[i]));
    }
    return h;
}

static int is_sorted_str(unsigned char **s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (strcmp((const char *)s[i - 1], (const char *)s[i]) > 0) {
            return 0;
        }
    }
    return 1;
}

struct nb_outcome nb_strsort(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    unsigned char *pool = xmalloc(NSTRINGS * (MAX_LEN + 1));
    unsigned char **s = xmalloc(NSTRINGS * sizeof(*s));
    struct prng r;

    prng_seed(&r, 0x5eed0002);
    for (unsigned long n = 0; n < scale * SORTS_PER_SCALE; n++) {
        uint64_t before;

        make_strings(pool, s, &r);
        before = multiset_hash(s, NSTRINGS);
        heapsort_str(s, NSTRINGS);
        if (!is_sorted_str(s, NSTRINGS) ||
            multiset_hash(s, NSTRINGS) != before) {
            out.ok = 0;
        }
        out.ops++;
    }
    free(s);
    free(pool);
    return out;
}
