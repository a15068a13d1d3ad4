/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal aarch64 code generator shared by the jit benchmark and the
 * selftest.  It emits one fixed-length function
 *
 *   uint64_t f(uint64_t x) { return x * mul + add; }
 *
 * so that rewriting it with new constants changes instruction bits in place
 * (exactly what a JIT does) without moving anything around.
 */
#ifndef GUEST_PROGS_JITCODE_H
#define GUEST_PROGS_JITCODE_H

#include <stddef.h>
#include <stdint.h>

/* Number of 32-bit instructions jit_emit_muladd() writes. */
#define JIT_MULADD_INSNS 10

typedef uint64_t (*jit_fn)(uint64_t);

/*
 * Write the function into code[0..JIT_MULADD_INSNS-1] and make it visible
 * to instruction fetch (__builtin___clear_cache: aarch64 has no coherent
 * I-cache, so without it the CPU, or an emulator, may run stale code).
 */
void jit_emit_muladd(uint32_t *code, uint64_t mul, uint64_t add);

#endif
