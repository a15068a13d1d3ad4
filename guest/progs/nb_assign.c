/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Assignment: the Hungarian method (Kuhn-Munkres with potentials, O(n^3))
 * finds the cheapest way to assign n workers to n jobs, in the spirit of
 * nbench's assignment test.  Row scans of a small integer matrix with
 * branchy inner loops.
 *
 * Check: the answer is a permutation, and the potentials the algorithm
 * leaves behind are a dual certificate of optimality: u[i] + v[j] <=
 * cost[i][j] for every cell, and sum(u) + sum(v) equals the cost of the
 * assignment (LP duality: no assignment can cost less).
 */
#include "common.h"
#include "nbench.h"

#include <string.h>

#define N 64
#define MATRICES_PER_SCALE 900
#define INF (INT64_MAX / 4)

struct hungarian {
    int64_t cost[N + 1][N + 1];  /* 1-based, row/column 0 unused */
    int64_t u[N + 1], v[N + 1];  /* row and column potentials */
    int match[N + 1];            /* match[j] = row assigned to column j */
};

/*
 * Add row i to the matching: grow a shortest augmenting path from the
 * virtual column 0 with Dijkstra-like steps, adjusting the potentials.
 */
static void augment_row(struct hungarian *h, int i)
{
    int64_t minv[N + 1];
    int way[N + 1];
    char used[N + 1];
    int j0 = 0;

    for (int j = 0; j <= N; j++) {
        minv[j] = INF;
        used[j] = 0;
    }
    h->match[0] = i;
    do {
        int i0 = h->match[j0], j1 = 0;
        int64_t delta = INF;

        used[j0] = 1;
        for (int j = 1; j <= N; j++) {
            if (!used[j]) {
                int64_t cur = h->cost[i0][j] - h->u[i0] - h->v[j];

                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
        }
        for (int j = 0; j <= N; j++) {
            if (used[j]) {
                h->u[h->match[j]] += delta;
                h->v[j] -= delta;
            } else {
                minv[j] -= delta;
            }
        }
        j0 = j1;
    } while (h->match[j0] != 0);
    /* Flip the path: every column on it takes the row before it. */
    do {
        int j1 = way[j0];

        h->match[j0] = h->match[j1];
        j0 = j1;
    } while (j0 != 0);
}

static void hungarian_solve(struct hungarian *h)
{
    memset(h->u, 0, sizeof(h->u));
    memset(h->v, 0, sizeof(h->v));
    memset(h->match, 0, sizeof(h->match));
    for (int i = 1; i <= N; i++) {
        augment_row(h, i);
    }
}

/* Permutation, dual feasibility and zero duality gap. */
static int solution_is_optimal(const struct hungarian *h)
{
    char row_used[N + 1] = { 0 };
    int64_t primal = 0, dual = 0;

    for (int j = 1; j <= N; j++) {
        int i = h->match[j];

        if (i < 1 || i > N || row_used[i]) {
            return 0;
        }
        row_used[i] = 1;
        primal += h->cost[i][j];
        dual += h->u[j] + h->v[j];
    }
    for (int i = 1; i <= N; i++) {
        for (int j = 1; j <= N; j++) {
            if (h->u[i] + h->v[j] > h->cost[i][j]) {
                return 0;
            }
        }
    }
    return primal == dual;
}

struct nb_outcome nb_assign(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    struct hungarian *h = xmalloc(sizeof(*h));
    struct prng r;

    prng_seed(&r, 0x5eed0005);
    for (unsigned long n = 0; n < scale * MATRICES_PER_SCALE; n++) {
        for (int i = 1; i <= N; i++) {
            for (int j = 1; j <= N; j++) {
                h->cost[i][j] = (int64_t)prng_below(&r, 100000);
            }
        }
        hungarian_solve(h);
        if (!solution_is_optimal(h)) {
            out.ok = 0;
        }
        out.ops++;
    }
    free(h);
    return out;
}
