/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Huffman compression: count byte frequencies, build the Huffman tree,
 * encode a buffer into a bit stream and decode it again by walking the
 * tree, as in nbench.  Bit-level loads and stores and a pointer-chasing
 * decoder.
 *
 * Check: the decoded buffer equals the original, byte for byte, and the
 * skewed input really got smaller.
 */
#include "common.h"
#include "nbench.h"

#include <string.h>

#define TEXT_LEN (64 * 1024)
#define ROUNDS_PER_SCALE 40
#define NSYMS 256
#define NNODES (2 * NSYMS - 1)

struct huff_node {
    uint64_t weight;
    int parent, left, right;   /* -1: none; leaves are nodes 0..255 */
};

struct huff_code {
    uint64_t bits;             /* code, most significant bit first */
    int len;
};

struct huffman {
    struct huff_node node[NNODES];
    int root;
    struct huff_code code[NSYMS];
};

/* Index of the lightest parentless node with weight > 0, except skip. */
static int lightest_orphan(const struct huffman *h, int nnodes, int skip)
{
    int best = -1;

    for (int i = 0; i < nnodes; i++) {
        if (i == skip || h->node[i].parent != -1 || h->node[i].weight == 0) {
            continue;
        }
        if (best == -1 || h->node[i].weight < h->node[best].weight) {
            best = i;
        }
    }
    return best;
}

/* Build the tree by repeatedly joining the two lightest subtrees. */
static void build_tree(struct huffman *h, const uint64_t *freq)
{
    int nnodes = NSYMS;

    for (int i = 0; i < NNODES; i++) {
        h->node[i].weight = i < NSYMS ? freq[i] : 0;
        h->node[i].parent = h->node[i].left = h->node[i].right = -1;
    }
    for (;;) {
        int a = lightest_orphan(h, nnodes, -1);
        int b = lightest_orphan(h, nnodes, a);

        if (b == -1) {
            h->root = a;
            break;
        }
        h->node[nnodes].weight = h->node[a].weight + h->node[b].weight;
        h->node[nnodes].left = a;
        h->node[nnodes].right = b;
        h->node[a].parent = h->node[b].parent = nnodes;
        nnodes++;
    }
}

/* A leaf's code is the path from the root: 0 for left, 1 for right. */
static void assign_codes(struct huffman *h)
{
    for (int s = 0; s < NSYMS; s++) {
        struct huff_code c = { 0, 0 };

        if (h->node[s].weight != 0) {
            for (int n = s; h->node[n].parent != -1; n = h->node[n].parent) {
                int p = h->node[n].parent;

                c.bits |= (uint64_t)(h->node[p].right == n) << c.len;
                c.len++;
            }
        }
        h->code[s] = c;
    }
}

static size_t encode(const struct huffman *h, const unsigned char *in,
                     size_t len, unsigned char *out)
{
    size_t bitpos = 0;

    for (size_t i = 0; i < len; i++) {
        const struct huff_code *c = &h->code[in[i]];

        for (int b = c->len - 1; b >= 0; b--, bitpos++) {
            if ((c->bits >> b) & 1) {
                out[bitpos / 8] |= (unsigned char)(0x80 >> (bitpos % 8));
            }
        }
    }
    return bitpos;
}

static void decode(const struct huffman *h, const unsigned char *in,
                   unsigned char *out, size_t len)
{
    size_t bitpos = 0;

    for (size_t i = 0; i < len; i++) {
        int n = h->root;

        while (h->node[n].left != -1) {
            int bit = (in[bitpos / 8] >> (7 - bitpos % 8)) & 1;

            n = bit ? h->node[n].right : h->node[n].left;
            bitpos++;
        }
        out[i] = (unsigned char)n;
    }
}

/* Skewed text: small symbols are far more frequent, like real data. */
static void make_text(unsigned char *text, size_t len, struct prng *r)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t v = prng_next(r);

        text[i] = (unsigned char)((v & 0xff) & (v >> 8) & (v >> 16));
        text[i] = (unsigned char)(text[i] + (unsigned char)(v >> 24) % 8);
    }
}

struct nb_outcome nb_huffman(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    unsigned char *text = xmalloc(TEXT_LEN);
    unsigned char *packed = xmalloc(TEXT_LEN * 8);  /* worst case: 64-bit codes */
    unsigned char *unpacked = xmalloc(TEXT_LEN);
    struct huffman *h = xmalloc(sizeof(*h));
    struct prng r;

    prng_seed(&r, 0x5eed0006);
    for (unsigned long n = 0; n < scale * ROUNDS_PER_SCALE; n++) {
        uint64_t freq[NSYMS] = { 0 };
        size_t bits;

        make_text(text, TEXT_LEN, &r);
        for (size_t i = 0; i < TEXT_LEN; i++) {
            freq[text[i]]++;
        }
        build_tree(h, freq);
        assign_codes(h);
        memset(packed, 0, TEXT_LEN * 8);
        bits = encode(h, text, TEXT_LEN, packed);
        decode(h, packed, unpacked, TEXT_LEN);
        if (memcmp(text, unpacked, TEXT_LEN) != 0 || bits >= TEXT_LEN * 8) {
            out.ok = 0;
        }
        out.ops += TEXT_LEN;
    }
    free(h);
    free(unpacked);
    free(packed);
    free(text);
    return out;
}
