/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code shared by the guest benchmark programs; see common.h.
 */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double now_seconds(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        die("clock_gettime: %s", strerror(errno));
    }
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void print_result(const char *name, int ok, double seconds,
                  unsigned long long ops, const char *extra_fmt, ...)
{
    printf("RESULT name=%s ok=%d seconds=%.6f ops=%llu",
           name, ok ? 1 : 0, seconds, ops);
    if (extra_fmt) {
        va_list ap;

        printf(" extra=");
        va_start(ap, extra_fmt);
        vprintf(extra_fmt, ap);
        va_end(ap);
    }
    printf("\n");
    /* The harness reads a console: make sure the line is out before exit. */
    fflush(stdout);
}

void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size);

    if (!p) {
        die("out of memory allocating %zu bytes", size);
    }
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb, size);

    if (!p) {
        die("out of memory allocating %zu x %zu bytes", nmemb, size);
    }
    return p;
}

unsigned long parse_positive(const char *arg, const char *what)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end != '\0' || v == 0) {
        die("invalid %s '%s': expected a positive integer", what, arg);
    }
    return v;
}

unsigned long parse_scale_only(int argc, char **argv)
{
    int opt;
    unsigned long scale = 1;

    /* Accept a bare number as first argument, as nbench-style tools do. */
    if (argc > 1 && argv[1][0] >= '0' && argv[1][0] <= '9') {
        if (argc > 2) {
            die("usage: %s [-s SCALE | SCALE]", argv[0]);
        }
        return parse_positive(argv[1], "scale");
    }
    while ((opt = getopt(argc, argv, "s:")) != -1) {
        if (opt == 's') {
            scale = parse_positive(optarg, "scale");
        } else {
            die("usage: %s [-s SCALE | SCALE]", argv[0]);
        }
    }
    if (optind != argc) {
        die("usage: %s [-s SCALE | SCALE]", argv[0]);
    }
    return scale;
}

void parse_scale_mib(int argc, char **argv, unsigned long *scale,
                     unsigned long *mib)
{
    int opt;

    while ((opt = getopt(argc, argv, "s:m:")) != -1) {
        if (opt == 's') {
            *scale = parse_positive(optarg, "scale");
        } else if (opt == 'm') {
            *mib = parse_positive(optarg, "size in MiB");
        } else {
            die("usage: %s [-s SCALE] [-m MIB]", argv[0]);
        }
    }
}

uint64_t fnv1a(uint64_t hash, const void *data, size_t len)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++) {
        hash ^= p[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

void fill_random(void *buf, size_t len, uint64_t seed)
{
    unsigned char *p = buf;
    struct prng r;
    size_t i = 0;

    prng_seed(&r, seed);
    for (; i + 8 <= len; i += 8) {
        uint64_t v = prng_next(&r);

        memcpy(p + i, &v, 8);
    }
    if (i < len) {
        uint64_t v = prng_next(&r);

        memcpy(p + i, &v, len - i);
    }
}
