/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal aarch64 code generator; see jitcode.h.  The encodings are from
 * the Arm ARM (A64 "Move wide (immediate)", "Data-processing (3 source)"
 * and "Unconditional branch (register)").
 */
#include "jitcode.h"

enum {
    REG_X0 = 0,
    REG_X9 = 9,    /* scratch: caller-saved, free to clobber */
    REG_X10 = 10,
};

/* MOVZ Xd, #imm16, LSL #(hw * 16) */
static uint32_t enc_movz(unsigned rd, unsigned hw, uint16_t imm16)
{
    return 0xd2800000u | (hw << 21) | ((uint32_t)imm16 << 5) | rd;
}

/* MOVK Xd, #imm16, LSL #(hw * 16) */
static uint32_t enc_movk(unsigned rd, unsigned hw, uint16_t imm16)
{
    return 0xf2800000u | (hw << 21) | ((uint32_t)imm16 << 5) | rd;
}

/* MADD Xd, Xn, Xm, Xa: Xd = Xa + Xn * Xm */
static uint32_t enc_madd(unsigned rd, unsigned rn, unsigned rm, unsigned ra)
{
    return 0x9b000000u | (rm << 16) | (ra << 10) | (rn << 5) | rd;
}

/* RET (to X30) */
static uint32_t enc_ret(void)
{
    return 0xd65f03c0u;
}

/* Load a full 64-bit constant: always 4 instructions, for a fixed layout. */
static uint32_t *emit_mov64(uint32_t *p, unsigned rd, uint64_t value)
{
    *p++ = enc_movz(rd, 0, (uint16_t)value);
    for (unsigned hw = 1; hw < 4; hw++) {
        *p++ = enc_movk(rd, hw, (uint16_t)(value >> (16 * hw)));
    }
    return p;
}

void jit_emit_muladd(uint32_t *code, uint64_t mul, uint64_t add)
{
    uint32_t *p = code;

    p = emit_mov64(p, REG_X9, mul);
    p = emit_mov64(p, REG_X10, add);
    *p++ = enc_madd(REG_X0, REG_X0, REG_X9, REG_X10);
    *p++ = enc_ret();
    __builtin___clear_cache((char *)code, (char *)p);
}
