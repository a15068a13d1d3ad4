/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IDEA cipher: encrypt and decrypt a buffer (ECB, 8-byte blocks) with the
 * International Data Encryption Algorithm, as in nbench.  16-bit
 * additions, XORs and multiplications modulo 65537.
 *
 * Check: the published test vector (key 0001 0002 ... 0008, plaintext
 * 0000 0001 0002 0003 -> ciphertext 11fb ed2b 0198 6de5) encrypts
 * correctly, and decrypting the encrypted buffer gives back the original.
 */
#include "common.h"
#include "nbench.h"

#include <string.h>

#define NKEYS 52
#define BUF_BYTES (64 * 1024)
#define ROUNDS_PER_SCALE 110

/* Multiplication modulo 2^16 + 1, where the value 0 stands for 2^16. */
static uint16_t idea_mul(uint16_t a, uint16_t b)
{
    uint32_t p, lo, hi;

    if (a == 0) {
        return (uint16_t)(1 - b);
    }
    if (b == 0) {
        return (uint16_t)(1 - a);
    }
    p = (uint32_t)a * b;
    lo = p & 0xffff;
    hi = p >> 16;
    return (uint16_t)(lo - hi + (lo < hi));
}

/* Multiplicative inverse modulo 65537 (prime): x^(65537-2). */
static uint16_t idea_inv(uint16_t x)
{
    uint16_t result = 1, base = x;

    for (uint32_t e = 65535; e; e >>= 1) {
        if (e & 1) {
            result = idea_mul(result, base);
        }
        base = idea_mul(base, base);
    }
    return result;
}

/*
 * Encryption subkeys: the 128-bit key cut into eight 16-bit words,
 * rotated left by 25 bits, cut again, and so on.
 */
static void expand_key(const uint16_t key[8], uint16_t ek[NKEYS])
{
    uint64_t hi = 0, lo = 0;

    for (int i = 0; i < 4; i++) {
        hi = hi << 16 | key[i];
        lo = lo << 16 | key[i + 4];
    }
    for (int i = 0; i < NKEYS; i++) {
        int w = i % 8;

        if (i > 0 && w == 0) {
            uint64_t nhi = hi << 25 | lo >> 39;

            lo = lo << 25 | hi >> 39;
            hi = nhi;
        }
        ek[i] = (uint16_t)((w < 4 ? hi : lo) >> (48 - 16 * (w % 4)));
    }
}

/* Decryption subkeys: inverses of the encryption ones, in reverse. */
static void invert_key(const uint16_t ek[NKEYS], uint16_t dk[NKEYS])
{
    for (int r = 0; r <= 8; r++) {
        const uint16_t *e = ek + 48 - 6 * r;
        uint16_t *d = dk + 6 * r;
        /* The middle rounds swap the two additive keys. */
        int swap = r != 0 && r != 8;

        d[0] = idea_inv(e[0]);
        d[1] = (uint16_t)-e[swap ? 2 : 1];
        d[2] = (uint16_t)-e[swap ? 1 : 2];
        d[3] = idea_inv(e[3]);
        if (r < 8) {
            d[4] = ek[46 - 6 * r];
            d[5] = ek[47 - 6 * r];
        }
    }
}

static void idea_block(const uint16_t k[NKEYS], const uint16_t in[4],
                       uint16_t out[4])
{
    uint16_t x1 = in[0], x2 = in[1], x3 = in[2], x4 = in[3];

    for (int r = 0; r < 8; r++, k += 6) {
        uint16_t t0, t1, t2;

        x1 = idea_mul(x1, k[0]);
        x2 = (uint16_t)(x2 + k[1]);
        x3 = (uint16_t)(x3 + k[2]);
        x4 = idea_mul(x4, k[3]);
        t0 = idea_mul(k[4], x1 ^ x3);
        t1 = idea_mul(k[5], (uint16_t)(t0 + (x2 ^ x4)));
        t0 = (uint16_t)(t0 + t1);
        x1 ^= t1;
        x4 ^= t0;
        t2 = x2 ^ t0;
        x2 = x3 ^ t1;
        x3 = t2;
    }
    /* Output transformation; it undoes the last round's swap. */
    out[0] = idea_mul(x1, k[0]);
    out[1] = (uint16_t)(x3 + k[1]);
    out[2] = (uint16_t)(x2 + k[2]);
    out[3] = idea_mul(x4, k[3]);
}

static void idea_buffer(const uint16_t k[NKEYS], const uint16_t *in,
                        uint16_t *out, size_t nwords)
{
    for (size_t i = 0; i < nwords; i += 4) {
        idea_block(k, in + i, out + i);
    }
}

static int known_answer_ok(void)
{
    static const uint16_t key[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    static const uint16_t plain[4] = { 0, 1, 2, 3 };
    static const uint16_t cipher[4] = { 0x11fb, 0xed2b, 0x0198, 0x6de5 };
    uint16_t ek[NKEYS], out[4];

    expand_key(key, ek);
    idea_block(ek, plain, out);
    return memcmp(out, cipher, sizeof(out)) == 0;
}

struct nb_outcome nb_idea(unsigned long scale)
{
    struct nb_outcome out = { known_answer_ok(), 0 };
    size_t nwords = BUF_BYTES / 2;
    uint16_t *plain = xmalloc(BUF_BYTES);
    uint16_t *crypt = xmalloc(BUF_BYTES);
    uint16_t *back = xmalloc(BUF_BYTES);
    uint16_t key[8], ek[NKEYS], dk[NKEYS];

    for (unsigned long n = 0; n < scale * ROUNDS_PER_SCALE; n++) {
        fill_random(key, sizeof(key), 0x5eed0007 + n);
        fill_random(plain, BUF_BYTES, 0x5eed1007 + n);
        expand_key(key, ek);
        invert_key(ek, dk);
        idea_buffer(ek, plain, crypt, nwords);
        idea_buffer(dk, crypt, back, nwords);
        if (memcmp(plain, back, BUF_BYTES) != 0 ||
            memcmp(plain, crypt, BUF_BYTES) == 0) {
            out.ok = 0;
        }
        out.ops += BUF_BYTES;
    }
    free(back);
    free(crypt);
    free(plain);
    return out;
}
