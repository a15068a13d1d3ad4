/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bit field operations: set, clear and complement runs of bits at random
 * positions in a bitmap, as in nbench.  Shifts, masks and
 * read-modify-write of 64-bit words.
 *
 * Check: the same operations applied to a plain one-byte-per-bit array
 * (memset and a byte loop: an independent, obviously correct model) give
 * the same bits.
 */
#include "common.h"
#include "nbench.h"

#include <string.h>

#define NBITS (1u << 18)
#define NWORDS (NBITS / 64)
#define MAX_RUN 4096
#define OPS_PER_SCALE 200000

enum bit_op { OP_SET, OP_CLEAR, OP_FLIP };

struct bit_run {
    enum bit_op op;
    uint32_t start, len;
};

/* Mask of bits [lo, hi) within one word, 0 <= lo < hi <= 64. */
static uint64_t word_mask(unsigned lo, unsigned hi)
{
    uint64_t upto_hi = hi == 64 ? ~0ULL : (1ULL << hi) - 1;

    return upto_hi & ~((1ULL << lo) - 1);
}

static void apply_word(uint64_t *w, enum bit_op op, uint64_t mask)
{
    switch (op) {
    case OP_SET:
        *w |= mask;
        break;
    case OP_CLEAR:
        *w &= ~mask;
        break;
    case OP_FLIP:
        *w ^= mask;
        break;
    }
}

/* Apply a run to the packed bitmap, a word (or part of one) at a time. */
static void bitmap_apply(uint64_t *map, const struct bit_run *run)
{
    uint32_t pos = run->start, end = run->start + run->len;

    while (pos < end) {
        unsigned lo = pos % 64;
        uint32_t word_end = pos - lo + 64;
        unsigned hi = end < word_end ? end - (pos - lo) : 64;

        apply_word(&map[pos / 64], run->op, word_mask(lo, hi));
        pos = pos - lo + hi;
    }
}

static void model_apply(unsigned char *bits, const struct bit_run *run)
{
    unsigned char *p = bits + run->start;

    switch (run->op) {
    case OP_SET:
        memset(p, 1, run->len);
        break;
    case OP_CLEAR:
        memset(p, 0, run->len);
        break;
    case OP_FLIP:
        for (uint32_t i = 0; i < run->len; i++) {
            p[i] ^= 1;
        }
        break;
    }
}

static struct bit_run random_run(struct prng *r)
{
    struct bit_run run;

    run.op = (enum bit_op)prng_below(r, 3);
    run.len = 1 + (uint32_t)prng_below(r, MAX_RUN);
    run.start = (uint32_t)prng_below(r, NBITS - run.len + 1);
    return run;
}

static int bitmap_matches_model(const uint64_t *map, const unsigned char *bits)
{
    for (uint32_t i = 0; i < NBITS; i++) {
        if (((map[i / 64] >> (i % 64)) & 1) != bits[i]) {
            return 0;
        }
    }
    return 1;
}

struct nb_outcome nb_bitfield(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    uint64_t *map = xcalloc(NWORDS, sizeof(*map));
    unsigned char *bits = xcalloc(NBITS, 1);
    struct prng r;

    prng_seed(&r, 0x5eed0003);
    for (unsigned long n = 0; n < scale * OPS_PER_SCALE; n++) {
        struct bit_run run = random_run(&r);

        bitmap_apply(map, &run);
        model_apply(bits, &run);
        out.ops++;
    }
    out.ok = bitmap_matches_model(map, bits);
    free(bits);
    free(map);
    return out;
}
