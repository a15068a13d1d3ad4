/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * selftest: a correctness test of the memory system as a guest program
 * sees it, for emulators that change how guest addresses are translated.
 * It is not a benchmark.  Each check prints "PASS <name>", "FAIL <name>:
 * <reason>" or "SKIP <name>: <reason>", then a last line
 *
 *   SELFTEST DONE passed=N failed=M
 *
 * The output never contains addresses or timings, so it is the same on
 * every run and can be compared with expected/selftest.out.  The exit
 * status is 0 only if nothing failed.
 *
 * Covered: demand paging, mprotect transitions, a SIGSEGV handler that
 * fixes the fault and resumes, fork and copy-on-write, mmap/munmap churn
 * and MAP_FIXED replacement, self-modifying (JIT) code, unaligned
 * accesses across page boundaries, exclusive (LDXR/STXR) and LSE atomics,
 * threads, si_addr/si_code of faults, tagged pointers (TBI), hostile
 * addresses that must fault, and mappings at high virtual addresses.
 */
#include "common.h"
#include "faultprobe.h"
#include "jitcode.h"

#include <arm_neon.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef HWCAP_ATOMICS
#define HWCAP_ATOMICS (1 << 8)
#endif

enum outcome { PASS, FAIL, SKIP };

static size_t page_size;

/* ---- helpers ----------------------------------------------------------- */

static char *map_pages(size_t npages, int prot)
{
    char *p = mmap(NULL, npages * page_size, prot,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED) {
        die("mmap of %zu pages failed: %s", npages, strerror(errno));
    }
    return p;
}

static void unmap_pages(void *p, size_t npages)
{
    if (munmap(p, npages * page_size) != 0) {
        die("munmap failed: %s", strerror(errno));
    }
}

static void set_prot(void *p, size_t npages, int prot)
{
    if (mprotect(p, npages * page_size, prot) != 0) {
        die("mprotect failed: %s", strerror(errno));
    }
}

/* The expected content of byte i of a page filled by fill_page(seed). */
static unsigned char pattern_byte(uint64_t seed, size_t i)
{
    return (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

static void fill_page(char *page, uint64_t seed)
{
    for (size_t i = 0; i < page_size; i++) {
        page[i] = (char)pattern_byte(seed, i);
    }
}

static int page_matches(const char *page, uint64_t seed)
{
    for (size_t i = 0; i < page_size; i++) {
        if ((unsigned char)page[i] != pattern_byte(seed, i)) {
            return 0;
        }
    }
    return 1;
}

/* A fault of the expected kind, reported at exactly the expected address. */
static int faulted_as(const struct fault_info *fi, int code, uintptr_t addr)
{
    return fi->signo == SIGSEGV && fi->code == code && fi->addr == addr;
}

/* ---- paging and protection ------------------------------------------- */

/* Fresh anonymous pages must read as zero and keep what is written. */
static enum outcome check_demand_paging(const char **why)
{
    const size_t npages = 4096;
    char *base = map_pages(npages, PROT_READ | PROT_WRITE);
    enum outcome res = PASS;

    for (size_t i = 0; i < npages * page_size; i += sizeof(uint64_t)) {
        if (*(volatile uint64_t *)(base + i) != 0) {
            *why = "fresh page not zero-filled";
            res = FAIL;
            break;
        }
    }
    for (size_t p = 0; p < npages; p++) {
        *(volatile uint64_t *)(base + p * page_size + p % 512 * 8) = p + 1;
    }
    for (size_t p = 0; p < npages && res == PASS; p++) {
        if (*(volatile uint64_t *)(base + p * page_size + p % 512 * 8) != p + 1) {
            *why = "written value lost";
            res = FAIL;
        }
    }
    unmap_pages(base, npages);
    return res;
}

/* RW -> RO: reads still see the data, a write faults and changes nothing. */
static enum outcome check_mprotect_ro(const char **why)
{
    char *page = map_pages(1, PROT_READ | PROT_WRITE);
    uintptr_t target = (uintptr_t)page + 100;
    struct fault_info fi;
    uint64_t v = 0xee;
    enum outcome res = PASS;

    fill_page(page, 1);
    set_prot(page, 1, PROT_READ);
    if (!page_matches(page, 1)) {
        *why = "data changed by mprotect";
        res = FAIL;
    } else if (!probe_access(PROBE_STORE8, target, &v, &fi)) {
        *why = "write to read-only page did not fault";
        res = FAIL;
    } else if (!faulted_as(&fi, SEGV_ACCERR, target)) {
        *why = "wrong signal, si_code or si_addr";
        res = FAIL;
    } else if (!page_matches(page, 1)) {
        *why = "faulting write changed memory";
        res = FAIL;
    }
    unmap_pages(page, 1);
    return res;
}

/* RO -> RW: writes work again (no stale read-only translation). */
static enum outcome check_mprotect_rw(const char **why)
{
    char *page = map_pages(1, PROT_READ);
    uint64_t v = 0x1234;
    enum outcome res = PASS;

    /* Read first, so a read-only translation exists before the change. */
    if (*(volatile char *)page != 0 || !probe_write_faults((uintptr_t)page)) {
        *why = "read-only page not read-only";
        res = FAIL;
    } else {
        set_prot(page, 1, PROT_READ | PROT_WRITE);
        if (probe_access(PROBE_STORE64, (uintptr_t)page + 8, &v, NULL) ||
            *(volatile uint64_t *)(page + 8) != 0x1234) {
            *why = "write after RO->RW failed";
            res = FAIL;
        }
    }
    unmap_pages(page, 1);
    return res;
}

/* PROT_NONE: no access at all; back to RW: the data is still there. */
static enum outcome check_mprotect_none(const char **why)
{
    char *page = map_pages(1, PROT_READ | PROT_WRITE);
    uintptr_t target = (uintptr_t)page + 7;
    struct fault_info fi;
    uint64_t v;
    enum outcome res = PASS;

    fill_page(page, 2);
    set_prot(page, 1, PROT_NONE);
    if (!probe_access(PROBE_LOAD8, target, &v, &fi) ||
        !faulted_as(&fi, SEGV_ACCERR, target)) {
        *why = "read of PROT_NONE page did not fault correctly";
        res = FAIL;
    } else if (!probe_write_faults(target)) {
        *why = "write to PROT_NONE page did not fault";
        res = FAIL;
    } else {
        set_prot(page, 1, PROT_READ | PROT_WRITE);
        if (!page_matches(page, 2)) {
            *why = "data lost across PROT_NONE";
            res = FAIL;
        }
    }
    unmap_pages(page, 1);
    return res;
}

/* ---- a handler that fixes the fault and returns -------------------------- */

static char *fixup_page;
static volatile int fixup_count;

static void fixup_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fixup_count++;
    if ((char *)si->si_addr < fixup_page ||
        (char *)si->si_addr >= fixup_page + page_size || fixup_count > 1) {
        signal(SIGSEGV, SIG_DFL);           /* not ours: crash visibly */
        return;
    }
    mprotect(fixup_page, page_size, PROT_READ | PROT_WRITE);
}

/*
 * The pattern of garbage collectors and user-space paging: write to a
 * read-only page, the handler makes it writable and returns, and the
 * store must then be retried and succeed.
 */
static enum outcome check_signal_fixup(const char **why)
{
    struct sigaction sa, old;
    enum outcome res = PASS;

    fixup_page = map_pages(1, PROT_READ);
    fixup_count = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fixup_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old);
    *(volatile uint64_t *)(fixup_page + 64) = 0xfeedf00d;
    sigaction(SIGSEGV, &old, NULL);
    if (fixup_count != 1) {
        *why = "expected exactly one fault";
        res = FAIL;
    } else if (*(volatile uint64_t *)(fixup_page + 64) != 0xfeedf00d) {
        *why = "retried store lost";
        res = FAIL;
    }
    unmap_pages(fixup_page, 1);
    return res;
}

/* ---- fork and copy-on-write ------------------------------------------ */

#define COW_PAGES 64

static void fill_pages(char *base, size_t npages, uint64_t seed)
{
    /* Leave every 4th page untouched: COW of never-written zero pages. */
    for (size_t p = 0; p < npages; p++) {
        if (p % 4 != 3) {
            fill_page(base + p * page_size, seed + p);
        }
    }
}

static int pages_match(const char *base, size_t npages, uint64_t seed)
{
    for (size_t p = 0; p < npages; p++) {
        const char *page = base + p * page_size;

        if (p % 4 == 3 ? page[0] != 0 || page[page_size - 1] != 0
                       : !page_matches(page, seed + p)) {
            return 0;
        }
    }
    return 1;
}

static void pipe_signal(int fd)
{
    if (write(fd, "x", 1) != 1) {
        die("pipe write failed");
    }
}

static void pipe_wait(int fd)
{
    char c;

    if (read(fd, &c, 1) != 1) {
        die("pipe read failed");
    }
}

/* Child: overwrite, tell the parent, wait for its write, check ours. */
static int cow_child(char *buf, int to_parent, int from_parent)
{
    if (!pages_match(buf, COW_PAGES, 100)) {
        return 1;
    }
    fill_pages(buf, COW_PAGES, 200);
    pipe_signal(to_parent);
    pipe_wait(from_parent);
    return pages_match(buf, COW_PAGES, 200) ? 0 : 2;
}

/*
 * Parent and child write the same private pages after fork; neither may
 * see the other's data.  Pipes order the writes so both directions are
 * really tested.
 */
static enum outcome check_fork_cow(const char **why)
{
    char *buf = map_pages(COW_PAGES, PROT_READ | PROT_WRITE);
    int to_parent[2], to_child[2], status;
    enum outcome res = PASS;
    pid_t pid;

    fill_pages(buf, COW_PAGES, 100);
    if (pipe(to_parent) != 0 || pipe(to_child) != 0) {
        die("pipe failed");
    }
    fflush(stdout);                         /* no duplicated output */
    pid = fork();
    if (pid < 0) {
        die("fork failed");
    }
    if (pid == 0) {
        _exit(cow_child(buf, to_parent[1], to_child[0]));
    }
    pipe_wait(to_parent[0]);
    if (!pages_match(buf, COW_PAGES, 100)) {
        *why = "child's writes visible in parent";
        res = FAIL;
    }
    fill_pages(buf, COW_PAGES, 300);
    pipe_signal(to_child[1]);
    waitpid(pid, &status, 0);
    if (res == PASS && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        *why = WIFEXITED(status) && WEXITSTATUS(status) == 1
                   ? "child did not see parent's data"
                   : "parent's writes visible in child";
        res = FAIL;
    } else if (res == PASS && !pages_match(buf, COW_PAGES, 300)) {
        *why = "parent lost its own writes";
        res = FAIL;
    }
    close(to_parent[0]);
    close(to_parent[1]);
    close(to_child[0]);
    close(to_child[1]);
    unmap_pages(buf, COW_PAGES);
    return res;
}

/* ---- many address spaces --------------------------------------------- */

/*
 * More processes than any pool of per-address-space translations holds,
 * all alive at once, each writing its own contents at the same virtual
 * addresses and checking them after giving the CPU away: every round
 * switches through all of them.
 */
#define MP_PROCS  24
#define MP_PAGES  4
#define MP_ROUNDS 40

static int many_processes_child(char *buf, unsigned id)
{
    for (unsigned r = 0; r < MP_ROUNDS; r++) {
        uint64_t seed = ((uint64_t)id << 32) | r;

        for (size_t p = 0; p < MP_PAGES; p++) {
            fill_page(buf + p * page_size, seed + p);
        }
        sched_yield();
        for (size_t p = 0; p < MP_PAGES; p++) {
            if (!page_matches(buf + p * page_size, seed + p)) {
                return 1;
            }
        }
    }
    return 0;
}

static enum outcome check_many_processes(const char **why)
{
    char *buf = map_pages(MP_PAGES, PROT_READ | PROT_WRITE);
    pid_t pids[MP_PROCS];
    unsigned bad = 0;

    for (size_t p = 0; p < MP_PAGES; p++) {
        fill_page(buf + p * page_size, 0xfeed + p);
    }
    for (unsigned i = 0; i < MP_PROCS; i++) {
        pids[i] = fork();
        if (pids[i] < 0) {
            die("fork failed: %s", strerror(errno));
        }
        if (pids[i] == 0) {
            _exit(many_processes_child(buf, i + 1));
        }
    }
    for (unsigned i = 0; i < MP_PROCS; i++) {
        int st;

        if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) ||
            WEXITSTATUS(st) != 0) {
            bad++;
        }
    }
    for (size_t p = 0; p < MP_PAGES && !bad; p++) {
        if (!page_matches(buf + p * page_size, 0xfeed + p)) {
            *why = "the parent's pages changed while its children ran";
        }
    }
    if (bad) {
        *why = "a process saw contents it had not written";
    }
    unmap_pages(buf, MP_PAGES);
    return *why ? FAIL : PASS;
}

/* ---- mmap / munmap churn ------------------------------------------------ */

/*
 * One round: map, fill, punch a hole (which must then fault), replace a
 * page with MAP_FIXED (which must read as zero: no stale translation of
 * the old page), check the rest, unmap.
 */
static const char *mmap_round(unsigned round, struct prng *r)
{
    size_t npages = 3 + prng_below(r, 14), hole = 1 + prng_below(r, npages - 2);
    char *base = map_pages(npages, PROT_READ | PROT_WRITE);
    const char *err = NULL;
    char *fixed;

    for (size_t p = 0; p < npages; p++) {
        fill_page(base + p * page_size, round * 100 + p);
    }
    unmap_pages(base + hole * page_size, 1);
    fixed = mmap(base, page_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (fixed != base) {
        die("MAP_FIXED mmap failed");
    }
    if (!probe_read_faults((uintptr_t)base + hole * page_size + 5)) {
        err = "unmapped hole still readable";
    } else if (base[0] != 0 || base[page_size - 1] != 0) {
        err = "MAP_FIXED page shows old data";
    }
    for (size_t p = 1; p < npages && !err; p++) {
        if (p != hole && !page_matches(base + p * page_size, round * 100 + p)) {
            err = "page content changed";
        }
    }
    unmap_pages(base, hole);
    unmap_pages(base + (hole + 1) * page_size, npages - hole - 1);
    return err;
}

static enum outcome check_mmap_churn(const char **why)
{
    struct prng r;

    prng_seed(&r, 0x5e1f0001);
    for (unsigned round = 0; round < 200; round++) {
        if ((*why = mmap_round(round, &r)) != NULL) {
            return FAIL;
        }
    }
    return PASS;
}

/* ---- self-modifying code ------------------------------------------------ */

/*
 * Rewrite the same code many times and run it each time: a stale
 * translation shows up as the result of an older version.
 */
static int run_jit_rounds(uint32_t *code, int wx, const char **why)
{
    struct prng r;

    prng_seed(&r, 0x5e1f0002);
    for (int i = 0; i < 200; i++) {
        uint64_t mul = prng_next(&r), add = prng_next(&r), x = prng_next(&r);

        if (wx) {
            set_prot(code, 1, PROT_READ | PROT_WRITE);
        }
        jit_emit_muladd(code, mul, add);
        if (wx) {
            set_prot(code, 1, PROT_READ | PROT_EXEC);
            if (!probe_write_faults((uintptr_t)code)) {
                *why = "write to RX code page did not fault";
                return 0;
            }
        }
        if (((jit_fn)(uintptr_t)code)(x) != x * mul + add) {
            *why = "generated code gave a stale or wrong result";
            return 0;
        }
    }
    return 1;
}

static enum outcome check_jit_rwx(const char **why)
{
    uint32_t *code = (uint32_t *)map_pages(1, PROT_READ | PROT_WRITE | PROT_EXEC);
    int ok = run_jit_rounds(code, 0, why);

    unmap_pages(code, 1);
    return ok ? PASS : FAIL;
}

static enum outcome check_jit_wx(const char **why)
{
    uint32_t *code = (uint32_t *)map_pages(1, PROT_READ | PROT_WRITE);
    int ok = run_jit_rounds(code, 1, why);

    unmap_pages(code, 1);
    return ok ? PASS : FAIL;
}

/* ---- unaligned accesses across a page boundary ------------------------- */

/*
 * One load and one store instruction of each kind; n is the access size.
 * "16p" is an LDP/STP of two X registers, "16" one LDR/STR of a Q register.
 */
enum access_kind { ACC_H, ACC_W, ACC_X, ACC_Q, ACC_PAIR };

static const struct {
    const char *name;
    size_t n;
} access_kinds[] = {
    [ACC_H] = { "unaligned-2", 2 },
    [ACC_W] = { "unaligned-4", 4 },
    [ACC_X] = { "unaligned-8", 8 },
    [ACC_Q] = { "unaligned-16", 16 },
    [ACC_PAIR] = { "unaligned-16-pair", 16 },
};

static void load_insn(enum access_kind k, const char *p, unsigned char *out)
{
    uint64_t a = 0, b = 0;
    uint8x16_t q;

    switch (k) {
    case ACC_H:
        __asm__ volatile("ldrh %w0, [%1]" : "=r"(a) : "r"(p) : "memory");
        break;
    case ACC_W:
        __asm__ volatile("ldr %w0, [%1]" : "=r"(a) : "r"(p) : "memory");
        break;
    case ACC_X:
        __asm__ volatile("ldr %0, [%1]" : "=r"(a) : "r"(p) : "memory");
        break;
    case ACC_Q:
        __asm__ volatile("ldr %q0, [%1]" : "=w"(q) : "r"(p) : "memory");
        vst1q_u8(out, q);
        return;
    case ACC_PAIR:
        __asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(p)
                         : "memory");
        break;
    }
    /* Little-endian: the register's low byte came from the lowest address. */
    memcpy(out, &a, 8);
    memcpy(out + 8, &b, 8);
}

static void store_insn(enum access_kind k, char *p, const unsigned char *in)
{
    uint64_t a, b;
    uint8x16_t q = vld1q_u8(in);

    memcpy(&a, in, 8);
    memcpy(&b, in + 8, 8);
    switch (k) {
    case ACC_H:
        __asm__ volatile("strh %w0, [%1]" : : "r"(a), "r"(p) : "memory");
        break;
    case ACC_W:
        __asm__ volatile("str %w0, [%1]" : : "r"(a), "r"(p) : "memory");
        break;
    case ACC_X:
        __asm__ volatile("str %0, [%1]" : : "r"(a), "r"(p) : "memory");
        break;
    case ACC_Q:
        __asm__ volatile("str %q0, [%1]" : : "w"(q), "r"(p) : "memory");
        break;
    case ACC_PAIR:
        __asm__ volatile("stp %0, %1, [%2]" : : "r"(a), "r"(b), "r"(p)
                         : "memory");
        break;
    }
}

#define WINDOW 40    /* bytes checked on each side of the boundary */

static unsigned char background(size_t i)
{
    return (unsigned char)(0xa5 ^ (i * 29));
}

/* Store at boundary + off, then check every byte of the window and load. */
static const char *unaligned_at(enum access_kind k, char *boundary, int off,
                                struct prng *r)
{
    size_t n = access_kinds[k].n;
    char *win = boundary - WINDOW, *p = boundary + off;
    unsigned char data[16] = { 0 }, got[16] = { 0 };

    for (size_t i = 0; i < 2 * WINDOW; i++) {
        win[i] = (char)background(i);
    }
    load_insn(k, p, got);
    for (size_t i = 0; i < n; i++) {
        if (got[i] != background((size_t)(p - win) + i)) {
            return "load returned wrong bytes";
        }
    }
    fill_random(data, n, prng_next(r));
    store_insn(k, p, data);
    for (size_t i = 0; i < 2 * WINDOW; i++) {
        size_t rel = i - (size_t)(p - win);
        unsigned char want = rel < n ? data[rel] : background(i);

        if ((unsigned char)((volatile char *)win)[i] != want) {
            return rel < n ? "store wrote wrong bytes" : "store hit neighbours";
        }
    }
    memset(got, 0, sizeof(got));
    load_insn(k, p, got);
    return memcmp(got, data, n) == 0 ? NULL : "load after store mismatch";
}

/* Every start offset from fully before to fully after the boundary. */
static enum outcome check_unaligned(enum access_kind k, const char **why)
{
    char *base = map_pages(2, PROT_READ | PROT_WRITE);
    int n = (int)access_kinds[k].n;
    struct prng r;

    prng_seed(&r, 0x5e1f0003 + k);
    for (int off = -n - 1; off <= 1 && !*why; off++) {
        *why = unaligned_at(k, base + page_size, off, &r);
    }
    unmap_pages(base, 2);
    return *why ? FAIL : PASS;
}

static enum outcome check_unaligned_2(const char **why)
{
    return check_unaligned(ACC_H, why);
}

static enum outcome check_unaligned_4(const char **why)
{
    return check_unaligned(ACC_W, why);
}

static enum outcome check_unaligned_8(const char **why)
{
    return check_unaligned(ACC_X, why);
}

static enum outcome check_unaligned_16(const char **why)
{
    return check_unaligned(ACC_Q, why);
}

static enum outcome check_unaligned_16_pair(const char **why)
{
    return check_unaligned(ACC_PAIR, why);
}

/* An access that straddles into an inaccessible page must fault. */
static enum outcome check_unaligned_fault(const char **why)
{
    char *base = map_pages(2, PROT_READ | PROT_WRITE);
    uintptr_t p = (uintptr_t)base + page_size - 4;
    uint64_t v = 0;
    struct fault_info fi;
    enum outcome res = PASS;

    set_prot(base + page_size, 1, PROT_NONE);
    if (!probe_access(PROBE_LOAD64, p, &v, &fi) || fi.signo != SIGSEGV) {
        *why = "load crossing into PROT_NONE did not fault";
        res = FAIL;
    } else if (!probe_access(PROBE_STORE64, p, &v, &fi) ||
               fi.signo != SIGSEGV) {
        *why = "store crossing into PROT_NONE did not fault";
        res = FAIL;
    }
    unmap_pages(base, 2);
    return res;
}

/* ---- atomics ---------------------------------------------------------- */

/*
 * The same sequence of C11 atomic operations on 8-, 32- and 64-bit
 * objects; returns 1 if every result was right.  Compiled twice: for
 * base ARMv8.0 (LDXR/STXR loops, as the Makefile disables outline
 * atomics) and for ARMv8.1 (LSE: LDADD, CAS, SWP).
 */
#define ATOMIC_SEQUENCE_BODY                                                  \
    {                                                                         \
        static _Atomic uint8_t b;                                             \
        static _Atomic uint32_t w;                                            \
        static _Atomic uint64_t x;                                            \
        uint32_t expect_w;                                                    \
        uint64_t expect_x;                                                    \
        int ok = 1;                                                           \
                                                                              \
        atomic_store(&b, 250);                                                \
        atomic_store(&w, 0xfffffff0u);                                        \
        atomic_store(&x, 1);                                                  \
        for (int i = 0; i < 1000; i++) {                                      \
            atomic_fetch_add(&b, 1);                                          \
            atomic_fetch_add(&w, 3);                                          \
            atomic_fetch_xor(&x, (uint64_t)i << 20);                          \
        }                                                                     \
        ok &= atomic_load(&b) == (uint8_t)(250 + 1000);                       \
        ok &= atomic_load(&w) == (uint32_t)(0xfffffff0u + 3000);              \
        expect_x = 1;                                                         \
        for (int i = 0; i < 1000; i++) {                                      \
            expect_x ^= (uint64_t)i << 20;                                    \
        }                                                                     \
        ok &= atomic_load(&x) == expect_x;                                    \
        expect_w = 5;                                                         \
        ok &= !atomic_compare_exchange_strong(&w, &expect_w, 7);              \
        ok &= expect_w == (uint32_t)(0xfffffff0u + 3000);                     \
        ok &= atomic_compare_exchange_strong(&w, &expect_w, 7);               \
        ok &= atomic_exchange(&w, 9) == 7 && atomic_load(&w) == 9;            \
        ok &= atomic_fetch_or(&x, 1ULL << 63) == expect_x;                    \
        ok &= atomic_fetch_and(&x, ~1ULL) == (expect_x | 1ULL << 63);         \
        return ok;                                                            \
    }

static int atomic_sequence_llsc(void) ATOMIC_SEQUENCE_BODY

__attribute__((target("arch=armv8.1-a")))
static int atomic_sequence_lse(void) ATOMIC_SEQUENCE_BODY

static enum outcome check_atomics_llsc(const char **why)
{
    if (!atomic_sequence_llsc()) {
        *why = "wrong result from an LDXR/STXR atomic";
        return FAIL;
    }
    return PASS;
}

static enum outcome check_atomics_lse(const char **why)
{
    if (!(getauxval(AT_HWCAP) & HWCAP_ATOMICS)) {
        *why = "CPU has no LSE atomics (HWCAP_ATOMICS)";
        return SKIP;
    }
    if (!atomic_sequence_lse()) {
        *why = "wrong result from an LSE atomic";
        return FAIL;
    }
    return PASS;
}

/* ---- threads ---------------------------------------------------------- */

#define COUNTER_THREADS 4
#define COUNTER_STEPS 100000

struct counters {
    _Atomic uint64_t atomic_count;
    _Atomic uint64_t cas_count;
    pthread_mutex_t lock;
    uint64_t locked_count;
};

static void *counter_thread(void *arg)
{
    struct counters *c = arg;

    for (int i = 0; i < COUNTER_STEPS; i++) {
        uint64_t old = atomic_load_explicit(&c->cas_count,
                                            memory_order_relaxed);

        atomic_fetch_add(&c->atomic_count, 1);
        /* A hand-written CAS loop, as lock-free code does. */
        while (!atomic_compare_exchange_weak(&c->cas_count, &old, old + 2)) {
        }
        if (i % 16 == 0) {
            pthread_mutex_lock(&c->lock);
            c->locked_count++;
            pthread_mutex_unlock(&c->lock);
        }
    }
    return NULL;
}

static enum outcome check_threads_counter(const char **why)
{
    static struct counters c = { .lock = PTHREAD_MUTEX_INITIALIZER };
    pthread_t t[COUNTER_THREADS];
    const uint64_t total = (uint64_t)COUNTER_THREADS * COUNTER_STEPS;

    for (int i = 0; i < COUNTER_THREADS; i++) {
        if (pthread_create(&t[i], NULL, counter_thread, &c) != 0) {
            die("pthread_create failed");
        }
    }
    for (int i = 0; i < COUNTER_THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    if (atomic_load(&c.atomic_count) != total ||
        atomic_load(&c.cas_count) != 2 * total ||
        c.locked_count != COUNTER_THREADS * ((COUNTER_STEPS + 15) / 16)) {
        *why = "lost updates";
        return FAIL;
    }
    return PASS;
}

/* ---- signals and addresses ------------------------------------------- */

/* A bad pointer: SIGSEGV, the right si_code and si_addr exactly it. */
static enum outcome check_signal_si_addr(const char **why)
{
    char *base = map_pages(2, PROT_READ | PROT_WRITE);
    uintptr_t unmapped = (uintptr_t)base + page_size + 123;
    uintptr_t none = (uintptr_t)base + 45;
    struct fault_info fi;
    uint64_t v = 0;

    unmap_pages(base + page_size, 1);
    set_prot(base, 1, PROT_NONE);
    if (!probe_access(PROBE_LOAD8, unmapped, &v, &fi) ||
        !faulted_as(&fi, SEGV_MAPERR, unmapped)) {
        *why = "read of unmapped page: wrong signal, si_code or si_addr";
    } else if (!probe_access(PROBE_STORE64, unmapped, &v, &fi) ||
               !faulted_as(&fi, SEGV_MAPERR, unmapped)) {
        *why = "write to unmapped page: wrong signal, si_code or si_addr";
    } else if (!probe_access(PROBE_LOAD64, none, &v, &fi) ||
               !faulted_as(&fi, SEGV_ACCERR, none)) {
        *why = "read of PROT_NONE page: wrong signal, si_code or si_addr";
    }
    unmap_pages(base, 1);
    return *why ? FAIL : PASS;
}

static uintptr_t with_tag(uintptr_t p, unsigned tag)
{
    return (p & ~(0xffULL << 56)) | (uintptr_t)tag << 56;
}

/*
 * Top-byte-ignore: Linux arm64 user space may keep a tag in bits 63:56 of
 * a pointer, and loads and stores through it reach the untagged address.
 */
static enum outcome check_tagged_pointers(const char **why)
{
    static const unsigned tags[] = { 0x01, 0x5a, 0x80, 0xf0, 0xff };
    uint64_t *heap = xmalloc(64 * sizeof(*heap));

    for (int i = 0; i < 64; i++) {
        heap[i] = 0x0101010101010101ULL * (uint64_t)i;
    }
    for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]) && !*why; t++) {
        for (int i = 0; i < 64 && !*why; i++) {
            uintptr_t p = with_tag((uintptr_t)&heap[i], tags[t]);
            uint64_t v = 0, w = ~heap[i];

            if (probe_access(PROBE_LOAD64, p, &v, NULL) ||
                v != 0x0101010101010101ULL * (uint64_t)i) {
                *why = "load through tagged pointer failed";
            } else if (probe_access(PROBE_STORE64, p, &w, NULL) ||
                       *(volatile uint64_t *)&heap[i] != w) {
                *why = "store through tagged pointer failed";
            }
            heap[i] = 0x0101010101010101ULL * (uint64_t)i;
        }
    }
    free(heap);
    return *why ? FAIL : PASS;
}

/* Is the page holding addr (tag ignored) mapped?  mincore() needs no /proc. */
static int page_is_mapped(uintptr_t addr)
{
    unsigned char vec;
    uintptr_t page = with_tag(addr, 0) & ~(uintptr_t)(page_size - 1);

    return mincore((void *)page, page_size, &vec) == 0;
}

#define NRANDOM_HOSTILE 16

static size_t hostile_addresses(uintptr_t *out)
{
    static const uintptr_t fixed[] = {
        0, 1, 0xfff, 0x1000,
        0x0001000000000000ULL, 0x8000000000000000ULL, 0x00ff000000000000ULL,
        0xffff000000000000ULL, 0xffff800000000000ULL, 0xffffffffffffffffULL,
        0x7fffffffffffffffULL, 0x0000800000000000ULL, 0x00007fffffffffffULL,
    };
    static const unsigned bits[] = { 39, 40, 46, 47, 48 };
    static const int64_t deltas[] = { -4096, -1, 0, 1, 4096 };
    size_t n = 0;
    struct prng r;

    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        out[n++] = fixed[i];
    }
    for (size_t b = 0; b < sizeof(bits) / sizeof(bits[0]); b++) {
        for (size_t d = 0; d < sizeof(deltas) / sizeof(deltas[0]); d++) {
            out[n++] = (uintptr_t)((1ULL << bits[b]) + (uint64_t)deltas[d]);
        }
    }
    prng_seed(&r, 0x5e1f0004);
    for (int i = 0; i < NRANDOM_HOSTILE; i++) {
        out[n++] = prng_next(&r);
    }
    return n;
}

/* All four kinds of access must fault with SIGSEGV, and we must survive. */
static int access_faults_everywhere(uintptr_t a)
{
    static const enum probe_op ops[] = {
        PROBE_LOAD8, PROBE_STORE8, PROBE_LOAD64, PROBE_STORE64,
    };

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        struct fault_info fi;
        uint64_t v = 0x5a5a5a5a5a5a5a5aULL;

        if (!probe_access(ops[i], a, &v, &fi) || fi.signo != SIGSEGV) {
            return 0;
        }
    }
    return 1;
}

/*
 * Null, non-canonical, kernel, random and near-2^N addresses.  Addresses
 * that happen to be mapped here (say the stack just below 2^48) are not
 * hostile and are left out; which ones those are is not printed, to keep
 * the output identical everywhere.
 */
static enum outcome check_hostile_addresses(const char **why)
{
    uintptr_t addrs[64];
    size_t n = hostile_addresses(addrs);

    for (size_t i = 0; i < n; i++) {
        if (page_is_mapped(addrs[i]) || page_is_mapped(addrs[i] + 7)) {
            continue;
        }
        if (!access_faults_everywhere(addrs[i])) {
            *why = "an access to an unmapped address did not raise SIGSEGV";
            return FAIL;
        }
    }
    return PASS;
}

/*
 * Map two pages straddling 2^39, 2^40, 2^46 and 2^47 where the kernel
 * allows it (MAP_FIXED_NOREPLACE; no error if it does not), use them
 * across the boundary, unmap, and check they fault again.  High guest
 * addresses are where a host-side translation window may run out.
 */
static const char *high_mapping(uintptr_t boundary)
{
    char *want = (char *)(boundary - page_size), *p;
    uint64_t v = 0x1122334455667788ULL, got = 0;

    p = mmap(want, 2 * page_size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;                 /* not available here: nothing to test */
    }
    if (p != want) {                 /* kernel without MAP_FIXED_NOREPLACE */
        munmap(p, 2 * page_size);
        return NULL;
    }
    if (probe_access(PROBE_STORE64, boundary - 3, &v, NULL) ||
        probe_access(PROBE_LOAD64, boundary - 3, &got, NULL) || got != v ||
        (unsigned char)p[page_size] != 0x55) {
        munmap(p, 2 * page_size);
        return "access to high mapping failed";
    }
    munmap(p, 2 * page_size);
    if (!probe_read_faults(boundary) || !probe_write_faults(boundary - 1)) {
        return "high mapping still accessible after munmap";
    }
    return NULL;
}

static enum outcome check_high_mappings(const char **why)
{
    static const unsigned bits[] = { 39, 40, 46, 47 };

    for (size_t b = 0; b < sizeof(bits) / sizeof(bits[0]) && !*why; b++) {
        uintptr_t boundary = (uintptr_t)1 << bits[b];

        if (!page_is_mapped(boundary - page_size) &&
            !page_is_mapped(boundary)) {
            *why = high_mapping(boundary);
        }
    }
    return *why ? FAIL : PASS;
}

/* ---- driver ------------------------------------------------------------- */

static const struct {
    const char *name;
    enum outcome (*run)(const char **why);
} checks[] = {
    { "demand-paging", check_demand_paging },
    { "mprotect-ro", check_mprotect_ro },
    { "mprotect-rw", check_mprotect_rw },
    { "mprotect-none", check_mprotect_none },
    { "signal-fixup", check_signal_fixup },
    { "fork-cow", check_fork_cow },
    { "many-processes", check_many_processes },
    { "mmap-churn", check_mmap_churn },
    { "jit-rwx", check_jit_rwx },
    { "jit-wx", check_jit_wx },
    { "unaligned-2", check_unaligned_2 },
    { "unaligned-4", check_unaligned_4 },
    { "unaligned-8", check_unaligned_8 },
    { "unaligned-16", check_unaligned_16 },
    { "unaligned-16-pair", check_unaligned_16_pair },
    { "unaligned-fault", check_unaligned_fault },
    { "atomics-llsc", check_atomics_llsc },
    { "atomics-lse", check_atomics_lse },
    { "threads-counter", check_threads_counter },
    { "signal-si-addr", check_signal_si_addr },
    { "tagged-pointers", check_tagged_pointers },
    { "hostile-addresses", check_hostile_addresses },
    { "high-mappings", check_high_mappings },
};

int main(void)
{
    unsigned passed = 0, failed = 0;

    page_size = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        const char *why = NULL;
        enum outcome res = checks[i].run(&why);

        if (res == PASS) {
            printf("PASS %s\n", checks[i].name);
            passed++;
        } else if (res == SKIP) {
            printf("SKIP %s: %s\n", checks[i].name, why);
        } else {
            printf("FAIL %s: %s\n", checks[i].name, why ? why : "failed");
            failed++;
        }
        fflush(stdout);
    }
    printf("SELFTEST DONE passed=%u failed=%u\n", passed, failed);
    return failed ? 1 : 0;
}
