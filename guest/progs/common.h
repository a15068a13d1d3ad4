/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code shared by the guest benchmark programs: wall-clock timing, the one
 * RESULT line every benchmark prints, a deterministic PRNG and a checksum.
 *
 * Every benchmark runs a fixed amount of work, checks its own result and
 * ends with exactly one line of the form
 *
 *   RESULT name=<name> ok=<1|0> seconds=<%.6f> ops=<n>[ extra=k:v,k:v]
 *
 * so that a harness running them inside the guest can parse the console
 * output without knowing anything about the individual programs.
 */
#ifndef GUEST_PROGS_COMMON_H
#define GUEST_PROGS_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Monotonic wall-clock time in seconds (CLOCK_MONOTONIC). */
double now_seconds(void);

/*
 * Print the RESULT line.  extra_fmt may be NULL; otherwise it is a printf
 * format producing comma-separated key:val pairs, e.g. "mib:%u,stride:%u".
 */
void print_result(const char *name, int ok, double seconds,
                  unsigned long long ops, const char *extra_fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Exit status convention of the benchmarks: 0 if ok, 1 otherwise. */
static inline int exit_status(int ok)
{
    return ok ? 0 : 1;
}

/* Print a message to stderr and exit with status 2 (usage/setup error). */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Like malloc/calloc, but die() on failure so callers need no checks. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);

/*
 * Parse a positive decimal integer argument (e.g. the -s SCALE multiplier);
 * die() with the option name on garbage or zero.
 */
unsigned long parse_positive(const char *arg, const char *what);

/*
 * Common command line: "-s SCALE" or a bare number as first argument
 * multiplies the work.  Programs with more options parse them themselves
 * and use parse_positive().
 */
unsigned long parse_scale_only(int argc, char **argv);

/*
 * Command line "[-s SCALE] [-m MIB]" of the programs that also take the
 * size of their buffer; *scale and *mib hold the defaults on entry.
 */
void parse_scale_mib(int argc, char **argv, unsigned long *scale,
                     unsigned long *mib);

/*
 * splitmix64: tiny, fast and fully deterministic, so that every run (and
 * every machine) does exactly the same work and checks the same values.
 */
struct prng {
    uint64_t state;
};

static inline void prng_seed(struct prng *r, uint64_t seed)
{
    r->state = seed;
}

static inline uint64_t prng_next(struct prng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform value in [0, bound), bound > 0 (the bias is irrelevant here). */
static inline uint64_t prng_below(struct prng *r, uint64_t bound)
{
    return prng_next(r) % bound;
}

/* Uniform double in [0, 1). */
static inline double prng_double(struct prng *r)
{
    return (double)(prng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* FNV-1a 64-bit over a byte buffer; pass the previous value to chain. */
#define FNV1A_INIT 0xcbf29ce484222325ULL
uint64_t fnv1a(uint64_t hash, const void *data, size_t len);

/* Fill a buffer with deterministic pseudo-random bytes. */
void fill_random(void *buf, size_t len, uint64_t seed);

#endif
