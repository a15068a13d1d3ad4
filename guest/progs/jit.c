/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JIT-style code rewriting: generate a small aarch64 function into an
 * executable buffer, call it, rewrite it with new constants, call it
 * again, and so on.  Each rewrite invalidates whatever the emulator
 * translated from that page, so this measures self-modifying-code
 * detection and retranslation, the way a JIT in the guest exercises it.
 *
 * Two variants (-m):
 *   rwx  one RWX mapping, rewritten in place (the common JIT pattern);
 *   wx   W^X: mprotect RW to write, RX to run, every rewrite.
 *
 * Usage: jit [-s SCALE] [-m rwx|wx]     RESULT name: jit-rwx or jit-wx
 * Check: every call returns x * mul + add for the constants just written.
 */
#include "common.h"
#include "jitcode.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define REWRITES_PER_SCALE 40000

static void set_prot(void *page, size_t len, int prot)
{
    if (mprotect(page, len, prot) != 0) {
        die("mprotect failed");
    }
}

int main(int argc, char **argv)
{
    unsigned long scale = 1, rewrites;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    int opt, wx = 0, ok = 1;
    struct prng r;
    double t0, t1;
    uint32_t *code;

    while ((opt = getopt(argc, argv, "s:m:")) != -1) {
        if (opt == 's') {
            scale = parse_positive(optarg, "scale");
        } else if (opt == 'm' && strcmp(optarg, "rwx") == 0) {
            wx = 0;
        } else if (opt == 'm' && strcmp(optarg, "wx") == 0) {
            wx = 1;
        } else {
            die("usage: %s [-s SCALE] [-m rwx|wx]", argv[0]);
        }
    }
    rewrites = REWRITES_PER_SCALE * scale;
    code = mmap(NULL, page, PROT_READ | PROT_WRITE | (wx ? 0 : PROT_EXEC),
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        die("mmap of the code buffer failed");
    }
    prng_seed(&r, 0x5eed0501);

    t0 = now_seconds();
    for (unsigned long i = 0; i < rewrites; i++) {
        uint64_t mul = prng_next(&r), add = prng_next(&r), x = prng_next(&r);

        if (wx) {
            set_prot(code, page, PROT_READ | PROT_WRITE);
        }
        jit_emit_muladd(code, mul, add);
        if (wx) {
            set_prot(code, page, PROT_READ | PROT_EXEC);
        }
        ok &= ((jit_fn)(uintptr_t)code)(x) == x * mul + add;
    }
    t1 = now_seconds();

    print_result(wx ? "jit-wx" : "jit-rwx", ok, t1 - t0, rewrites, NULL);
    munmap(code, page);
    return exit_status(ok);
}
