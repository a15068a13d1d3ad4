/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multi-threaded memory workload: N threads (default 4) each update
 * random words of a private 4 MiB buffer and, every few steps, add to one
 * of a small set of shared counters with an atomic read-modify-write.
 * Measures how the emulator copes with several vCPUs sharing one address
 * space: concurrent translation, exclusive-monitor emulation (LDXR/STXR,
 * since we build with -mno-outline-atomics) and cache-line contention.
 *
 * Usage: threads [-s SCALE] [-t THREADS]
 * Check: after joining, the main thread replays every thread's
 * pseudo-random sequence and recomputes each private buffer's hash and
 * the exact value of every shared counter; all must match.
 */
#include "common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define STEPS_PER_SCALE 3000000
#define PRIVATE_WORDS (512 * 1024)          /* 4 MiB of uint64_t */
#define NCOUNTERS 64
#define SHARED_EVERY 4                      /* one atomic per 4 steps */
#define MAX_THREADS 256

struct worker {
    pthread_t thread;
    unsigned id;
    unsigned long steps;
    uint64_t *priv;
};

static _Atomic uint64_t counters[NCOUNTERS];

static uint64_t thread_seed(unsigned id)
{
    return 0x5eed0601 + 1000 * (uint64_t)id;
}

/*
 * The work of one thread.  With shared == NULL it only replays the private
 * updates and adds the shared contributions into plain counters, which
 * is how the main thread computes the expected results.
 */
static void run_steps(unsigned id, unsigned long steps, uint64_t *priv,
                      _Atomic uint64_t *shared, uint64_t *expected)
{
    struct prng r;

    prng_seed(&r, thread_seed(id));
    for (unsigned long i = 0; i < steps; i++) {
        uint64_t v = prng_next(&r);
        uint64_t *w = &priv[v % PRIVATE_WORDS];

        *w = *w * 31 + (v >> 20);
        if (i % SHARED_EVERY == 0) {
            unsigned c = (unsigned)(v >> 56) % NCOUNTERS;

            if (shared) {
                atomic_fetch_add_explicit(&shared[c], id + 1,
                                          memory_order_relaxed);
            } else {
                expected[c] += id + 1;
            }
        }
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    run_steps(w->id, w->steps, w->priv, counters, NULL);
    return NULL;
}

/* Replay every thread single-threaded and compare. */
static int results_ok(struct worker *w, unsigned nthreads)
{
    uint64_t expected[NCOUNTERS] = { 0 };
    uint64_t *priv = xmalloc(PRIVATE_WORDS * sizeof(*priv));
    int ok = 1;

    for (unsigned t = 0; t < nthreads; t++) {
        memset(priv, 0, PRIVATE_WORDS * sizeof(*priv));
        run_steps(t, w[t].steps, priv, NULL, expected);
        ok &= memcmp(priv, w[t].priv, PRIVATE_WORDS * sizeof(*priv)) == 0;
    }
    for (unsigned c = 0; c < NCOUNTERS; c++) {
        ok &= atomic_load(&counters[c]) == expected[c];
    }
    free(priv);
    return ok;
}

int main(int argc, char **argv)
{
    unsigned long scale = 1, nthreads = 4;
    struct worker *w;
    double t0, t1;
    int opt, ok;

    while ((opt = getopt(argc, argv, "s:t:")) != -1) {
        if (opt == 's') {
            scale = parse_positive(optarg, "scale");
        } else if (opt == 't') {
            nthreads = parse_positive(optarg, "thread count");
        } else {
            die("usage: %s [-s SCALE] [-t THREADS]", argv[0]);
        }
    }
    if (nthreads > MAX_THREADS) {
        die("at most %d threads", MAX_THREADS);
    }
    w = xcalloc(nthreads, sizeof(*w));
    for (unsigned t = 0; t < nthreads; t++) {
        w[t].id = t;
        w[t].steps = STEPS_PER_SCALE * scale;
        w[t].priv = xcalloc(PRIVATE_WORDS, sizeof(uint64_t));
    }

    t0 = now_seconds();
    for (unsigned t = 0; t < nthreads; t++) {
        if (pthread_create(&w[t].thread, NULL, worker_main, &w[t]) != 0) {
            die("pthread_create failed");
        }
    }
    for (unsigned t = 0; t < nthreads; t++) {
        pthread_join(w[t].thread, NULL);
    }
    t1 = now_seconds();

    ok = results_ok(w, (unsigned)nthreads);
    print_result("threads", ok, t1 - t0, STEPS_PER_SCALE * scale * nthreads,
                 "threads:%lu", nthreads);
    for (unsigned t = 0; t < nthreads; t++) {
        free(w[t].priv);
    }
    free(w);
    return exit_status(ok);
}
