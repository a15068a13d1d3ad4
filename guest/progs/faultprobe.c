/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault-tolerant single memory accesses; see faultprobe.h.
 */
#include "faultprobe.h"
#include "common.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>

static sigjmp_buf probe_env;
static volatile sig_atomic_t probe_armed;
static struct fault_info probe_fault;

/*
 * A fault outside a probe is a real bug: put the default action back and
 * return, so the faulting instruction re-executes and kills us visibly.
 */
static void probe_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (!probe_armed) {
        signal(sig, SIG_DFL);
        return;
    }
    probe_armed = 0;
    probe_fault.signo = sig;
    probe_fault.code = si->si_code;
    probe_fault.addr = (uintptr_t)si->si_addr;
    siglongjmp(probe_env, 1);
}

static void install_handlers(void)
{
    static int installed;
    struct sigaction sa;

    if (installed) {
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = probe_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0 ||
        sigaction(SIGBUS, &sa, NULL) != 0) {
        die("sigaction failed");
    }
    installed = 1;
}

/* The access, as exactly one instruction of the intended kind. */
static void do_access(enum probe_op op, uintptr_t addr, uint64_t *value)
{
    uint64_t v = *value;

    switch (op) {
    case PROBE_LOAD8:
        __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
        break;
    case PROBE_STORE8:
        __asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
        break;
    case PROBE_LOAD64:
        __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
        break;
    case PROBE_STORE64:
        __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
        break;
    }
    *value = v;
}

int probe_access(enum probe_op op, uintptr_t addr, uint64_t *value,
                 struct fault_info *fi)
{
    int faulted = 0;

    install_handlers();
    memset(&probe_fault, 0, sizeof(probe_fault));
    /* savemask=1: leaving the handler by longjmp must unblock SIGSEGV. */
    if (sigsetjmp(probe_env, 1) == 0) {
        probe_armed = 1;
        do_access(op, addr, value);
        probe_armed = 0;
    } else {
        faulted = 1;
    }
    if (fi) {
        *fi = probe_fault;
    }
    return faulted;
}

int probe_read_faults(uintptr_t addr)
{
    uint64_t v = 0;

    return probe_access(PROBE_LOAD8, addr, &v, NULL);
}

int probe_write_faults(uintptr_t addr)
{
    uint64_t v = 0x5a;

    return probe_access(PROBE_STORE8, addr, &v, NULL);
}
