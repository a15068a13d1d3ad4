/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Try a single load or store that may fault, and survive it: a SIGSEGV or
 * SIGBUS handler jumps back out with siglongjmp() and reports what the
 * kernel said (signal, si_code, si_addr).  Used by the selftest and by the
 * mmap churn benchmark to check that protections really are enforced.
 *
 * The access itself is one inline-assembly instruction, so the compiler
 * cannot drop, merge or "optimise" an access it can prove is invalid
 * (GCC turns a plain NULL dereference into a trap instruction).
 * Single-threaded use only: the jump buffer is global.
 */
#ifndef GUEST_PROGS_FAULTPROBE_H
#define GUEST_PROGS_FAULTPROBE_H

#include <stdint.h>

enum probe_op {
    PROBE_LOAD8,      /* LDRB */
    PROBE_STORE8,     /* STRB */
    PROBE_LOAD64,     /* LDR Xt */
    PROBE_STORE64,    /* STR Xt */
};

struct fault_info {
    int signo;        /* 0 if the access completed */
    int code;         /* si_code */
    uintptr_t addr;   /* si_addr */
};

/*
 * Perform op at addr.  For loads *value receives the data, for stores
 * *value is written.  Returns 1 if the access faulted (details in *fi,
 * which may be NULL), 0 if it completed.
 */
int probe_access(enum probe_op op, uintptr_t addr, uint64_t *value,
                 struct fault_info *fi);

/* Convenience wrappers: return 1 if the access faulted. */
int probe_read_faults(uintptr_t addr);
int probe_write_faults(uintptr_t addr);

#endif
