/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memcpy bandwidth: copy a large buffer (64 MiB by default) into another,
 * over and over.  Streams through far more pages than any TLB holds, so
 * it measures the cost of sequential loads and stores that keep crossing
 * into new pages: the case a host-MMU translation should make cheap.
 *
 * Usage: memcpy_bw [-s SCALE] [-m MIB]
 * Check: each pass stamps the source differently, and after the last pass
 * the destination hashes to the same value as the source.
 */
#include "common.h"

#include <stdio.h>
#include <string.h>

#define PASSES_PER_SCALE 64

/* Make every pass copy different data, so no pass can be skipped. */
static void stamp(unsigned char *buf, size_t len, unsigned long pass)
{
    for (size_t off = 0; off < len; off += 4096) {
        memcpy(buf + off, &pass, sizeof(pass));
    }
}

/* The last copy is complete and carries the last pass's stamp. */
static int copy_ok(const unsigned char *dst, const unsigned char *src,
                   size_t len, unsigned long last_pass)
{
    unsigned long first_stamp;

    memcpy(&first_stamp, dst, sizeof(first_stamp));
    return first_stamp == last_pass &&
           fnv1a(FNV1A_INIT, dst, len) == fnv1a(FNV1A_INIT, src, len);
}

int main(int argc, char **argv)
{
    unsigned long scale = 1, mib = 64, passes;
    unsigned char *src, *dst;
    size_t len;
    double t0, t1;
    int ok;

    parse_scale_mib(argc, argv, &scale, &mib);
    len = mib << 20;
    passes = PASSES_PER_SCALE * scale;
    src = xmalloc(len);
    dst = xmalloc(len);
    fill_random(src, len, 0x5eed0101);
    memset(dst, 0, len);

    t0 = now_seconds();
    for (unsigned long pass = 0; pass < passes; pass++) {
        stamp(src, len, pass);
        memcpy(dst, src, len);
    }
    t1 = now_seconds();

    ok = copy_ok(dst, src, len, passes - 1);
    print_result("memcpy", ok, t1 - t0, (unsigned long long)passes * len,
                 "mib:%lu,mib_per_s:%.1f", mib,
                 (double)passes * mib / (t1 - t0));
    free(dst);
    free(src);
    return exit_status(ok);
}
