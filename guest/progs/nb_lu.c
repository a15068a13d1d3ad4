/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LU decomposition: factor a random dense matrix with partial pivoting
 * (Doolittle, row-major) and solve A x = b, as in nbench.  Streams of
 * double-precision multiply-adds over rows of a 100x100 matrix.
 *
 * Check: b is built as A * x_true, and both the scaled residual
 * ||A x - b|| / (||A|| ||x||) and the error ||x - x_true|| are tiny.
 */
#include "common.h"
#include "nbench.h"

#include <math.h>
#include <string.h>

#define N 100
#define SOLVES_PER_SCALE 90

/* Factor a in place into L (unit lower) and U; perm records row swaps. */
static int lu_factor(double a[N][N], int perm[N])
{
    for (int k = 0; k < N; k++) {
        int p = k;

        for (int i = k + 1; i < N; i++) {
            if (fabs(a[i][k]) > fabs(a[p][k])) {
                p = i;
            }
        }
        if (a[p][k] == 0.0) {
            return 0;                       /* singular */
        }
        perm[k] = p;
        if (p != k) {
            double tmp[N];

            memcpy(tmp, a[k], sizeof(tmp));
            memcpy(a[k], a[p], sizeof(tmp));
            memcpy(a[p], tmp, sizeof(tmp));
        }
        for (int i = k + 1; i < N; i++) {
            double f = a[i][k] / a[k][k];

            a[i][k] = f;
            for (int j = k + 1; j < N; j++) {
                a[i][j] -= f * a[k][j];
            }
        }
    }
    return 1;
}

/* Solve using the factors: permute b, then forward and back substitute. */
static void lu_solve(double lu[N][N], const int perm[N], double x[N])
{
    for (int k = 0; k < N; k++) {
        double t = x[k];

        x[k] = x[perm[k]];
        x[perm[k]] = t;
    }
    for (int i = 1; i < N; i++) {
        for (int j = 0; j < i; j++) {
            x[i] -= lu[i][j] * x[j];
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        for (int j = i + 1; j < N; j++) {
            x[i] -= lu[i][j] * x[j];
        }
        x[i] /= lu[i][i];
    }
}

static void mat_vec(double a[N][N], const double *x, double *y)
{
    for (int i = 0; i < N; i++) {
        double s = 0;

        for (int j = 0; j < N; j++) {
            s += a[i][j] * x[j];
        }
        y[i] = s;
    }
}

static double norm_inf_vec(const double *x)
{
    double m = 0;

    for (int i = 0; i < N; i++) {
        m = fmax(m, fabs(x[i]));
    }
    return m;
}

static double norm_inf_mat(double a[N][N])
{
    double m = 0;

    for (int i = 0; i < N; i++) {
        double s = 0;

        for (int j = 0; j < N; j++) {
            s += fabs(a[i][j]);
        }
        m = fmax(m, s);
    }
    return m;
}

/* One random system: factor, solve and check; returns 1 if accurate. */
static int solve_one(struct prng *r)
{
    static double a[N][N], lu[N][N];
    double x_true[N], b[N], x[N], ax[N], diff[N];
    int perm[N];

    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            a[i][j] = prng_double(r) * 2 - 1;
        }
        x_true[i] = prng_double(r) * 2 - 1;
    }
    mat_vec(a, x_true, b);
    memcpy(lu, a, sizeof(lu));
    if (!lu_factor(lu, perm)) {
        return 0;
    }
    memcpy(x, b, sizeof(x));
    lu_solve(lu, perm, x);
    mat_vec(a, x, ax);
    for (int i = 0; i < N; i++) {
        diff[i] = ax[i] - b[i];
    }
    if (norm_inf_vec(diff) > 1e-12 * norm_inf_mat(a) * norm_inf_vec(x)) {
        return 0;
    }
    for (int i = 0; i < N; i++) {
        diff[i] = x[i] - x_true[i];
    }
    /* Random matrices are well enough conditioned for 1e-8. */
    return norm_inf_vec(diff) < 1e-8;
}

struct nb_outcome nb_lu(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    struct prng r;

    prng_seed(&r, 0x5eed0009);
    for (unsigned long n = 0; n < scale * SOLVES_PER_SCALE; n++) {
        if (!solve_one(&r)) {
            out.ok = 0;
        }
        out.ops++;
    }
    return out;
}
