/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Floating-point emulation: IEEE 754 single-precision add, subtract,
 * multiply and divide done in software with integer operations, as in
 * nbench's FP emulation test.  Lots of shifts, count-leading-zeros, 64-bit
 * multiplies and divides, and branches on the data.
 *
 * Operands are kept to normal numbers whose results are normal too, so
 * the emulation needs no NaN, infinity or subnormal handling; rounding is
 * to nearest, ties to even, the IEEE default.
 *
 * Check: every result is bit-identical to what the FPU computes.
 */
#include "common.h"
#include "nbench.h"

#include <string.h>

#define OPS_PER_SCALE 8000000

struct unpacked {
    int sign;
    int exp;          /* value = mant * 2^exp, exactly */
    uint64_t mant;
};

static uint32_t float_bits(float f)
{
    uint32_t u;

    memcpy(&u, &f, sizeof(u));
    return u;
}

static float bits_float(uint32_t u)
{
    float f;

    memcpy(&f, &u, sizeof(f));
    return f;
}

/* Normal numbers only: the hidden bit is always set. */
static struct unpacked unpack(uint32_t u)
{
    struct unpacked x;

    x.sign = (int)(u >> 31);
    x.exp = (int)((u >> 23) & 0xff) - 127 - 23;
    x.mant = (u & 0x7fffff) | 0x800000;
    return x;
}

/*
 * Round sign * mant * 2^exp to single precision (nearest, ties to even).
 * Any bits the caller already lost must be ORed into mant's low bit
 * ("sticky"), well below the rounding position.
 */
static uint32_t round_pack(int sign, int exp, uint64_t mant)
{
    int shift;
    uint64_t keep, rest, half = 1ULL << 39;

    if (mant == 0) {
        return 0;                      /* exact cancellation gives +0 */
    }
    shift = __builtin_clzll(mant);     /* put the leading 1 at bit 63 */
    mant <<= shift;
    exp -= shift;
    keep = mant >> 40;                 /* 24 significant bits */
    rest = mant & ((1ULL << 40) - 1);
    if (rest > half || (rest == half && (keep & 1))) {
        keep++;
        if (keep == 1ULL << 24) {      /* rounding carried out */
            keep >>= 1;
            exp++;
        }
    }
    /* value = keep * 2^(exp + 40); biased exponent of 1.f is that + 23. */
    return ((uint32_t)sign << 31) |
           ((uint32_t)(exp + 40 + 23 + 127) << 23) |
           (uint32_t)(keep & 0x7fffff);
}

/* Shift right, folding every lost bit into the lowest bit (sticky). */
static uint64_t shift_right_sticky(uint64_t v, int n)
{
    if (n >= 64) {
        return v != 0;
    }
    if (n == 0) {
        return v;
    }
    return (v >> n) | ((v & ((1ULL << n) - 1)) != 0);
}

static uint32_t soft_add(uint32_t ua, uint32_t ub)
{
    struct unpacked a = unpack(ua), b = unpack(ub);
    uint64_t ma, mb;

    if (a.exp < b.exp) {
        struct unpacked t = a;

        a = b;
        b = t;
    }
    /* 24-bit mantissas moved up to bit 62: room for the carry and sticky. */
    ma = a.mant << 39;
    mb = shift_right_sticky(b.mant << 39, a.exp - b.exp);
    if (a.sign == b.sign) {
        return round_pack(a.sign, a.exp - 39, ma + mb);
    }
    if (ma >= mb) {
        return round_pack(a.sign, a.exp - 39, ma - mb);
    }
    return round_pack(b.sign, a.exp - 39, mb - ma);
}

static uint32_t soft_sub(uint32_t ua, uint32_t ub)
{
    return soft_add(ua, ub ^ 0x80000000u);
}

static uint32_t soft_mul(uint32_t ua, uint32_t ub)
{
    struct unpacked a = unpack(ua), b = unpack(ub);

    /* 24 x 24 bits fits in 64: the product is exact, no sticky needed. */
    return round_pack(a.sign ^ b.sign, a.exp + b.exp, a.mant * b.mant);
}

static uint32_t soft_div(uint32_t ua, uint32_t ub)
{
    struct unpacked a = unpack(ua), b = unpack(ub);
    uint64_t num = a.mant << 40;
    uint64_t q = num / b.mant;

    /* 40+ quotient bits are plenty; a non-zero remainder is sticky. */
    q |= (num % b.mant) != 0;
    return round_pack(a.sign ^ b.sign, a.exp - b.exp - 40, q);
}

/*
 * A random normal float with biased exponent in [100, 154]: products and
 * quotients of two of them stay far from overflow and subnormals.
 */
static uint32_t random_operand(struct prng *r)
{
    uint64_t v = prng_next(r);
    uint32_t exp = 100 + (uint32_t)(v % 55);

    return ((uint32_t)(v >> 32) & 0x807fffffu) | (exp << 23);
}

/*
 * The FPU's answer.  volatile keeps the compiler from folding or fusing
 * the operation: we want exactly one rounded IEEE operation.
 */
static uint32_t hard_op(int op, uint32_t ua, uint32_t ub)
{
    volatile float a = bits_float(ua), b = bits_float(ub);
    volatile float c;

    switch (op) {
    case 0:
        c = a + b;
        break;
    case 1:
        c = a - b;
        break;
    case 2:
        c = a * b;
        break;
    default:
        c = a / b;
        break;
    }
    return float_bits(c);
}

static uint32_t soft_op(int op, uint32_t ua, uint32_t ub)
{
    switch (op) {
    case 0:
        return soft_add(ua, ub);
    case 1:
        return soft_sub(ua, ub);
    case 2:
        return soft_mul(ua, ub);
    default:
        return soft_div(ua, ub);
    }
}

struct nb_outcome nb_fpemu(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    struct prng r;

    prng_seed(&r, 0x5eed0004);
    for (unsigned long n = 0; n < scale * OPS_PER_SCALE; n++) {
        int op = (int)(n % 4);
        uint32_t a = random_operand(&r), b = random_operand(&r);

        if (soft_op(op, a, b) != hard_op(op, a, b)) {
            out.ok = 0;
        }
        out.ops++;
    }
    return out;
}
