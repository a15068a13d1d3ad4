/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Neural net: a 35-8-8 multilayer perceptron trained with
 * back-propagation to map 26 fixed random 5x7 "bitmaps" to the 8-bit
 * ASCII codes of 'A'..'Z', as in nbench.  Double-precision multiply-adds
 * and exp() over small arrays.
 *
 * Check: after training every output bit of every pattern is on the
 * right side of 0.5, and the error went down.
 */
#include "common.h"
#include "nbench.h"

#include <math.h>

#define NIN 35
#define NHID 8
#define NOUT 8
#define NPAT 26
#define EPOCHS_PER_SCALE 750
#define RATE 0.3
#define MOMENTUM 0.7

struct mlp {
    double w_hid[NHID][NIN + 1];     /* last column: bias */
    double w_out[NOUT][NHID + 1];
    double dw_hid[NHID][NIN + 1];    /* previous updates, for momentum */
    double dw_out[NOUT][NHID + 1];
    double hid[NHID], out[NOUT];
};

struct patterns {
    double in[NPAT][NIN];
    double target[NPAT][NOUT];
};

static double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static void make_patterns(struct patterns *p, struct prng *r)
{
    for (int k = 0; k < NPAT; k++) {
        int code = 'A' + k;

        for (int i = 0; i < NIN; i++) {
            p->in[k][i] = (double)(prng_next(r) & 1);
        }
        for (int o = 0; o < NOUT; o++) {
            p->target[k][o] = (double)((code >> o) & 1);
        }
    }
}

static void init_weights(struct mlp *m, struct prng *r)
{
    for (int h = 0; h < NHID; h++) {
        for (int i = 0; i <= NIN; i++) {
            m->w_hid[h][i] = prng_double(r) - 0.5;
            m->dw_hid[h][i] = 0;
        }
    }
    for (int o = 0; o < NOUT; o++) {
        for (int h = 0; h <= NHID; h++) {
            m->w_out[o][h] = prng_double(r) - 0.5;
            m->dw_out[o][h] = 0;
        }
    }
}

static void forward(struct mlp *m, const double *in)
{
    for (int h = 0; h < NHID; h++) {
        double s = m->w_hid[h][NIN];

        for (int i = 0; i < NIN; i++) {
            s += m->w_hid[h][i] * in[i];
        }
        m->hid[h] = sigmoid(s);
    }
    for (int o = 0; o < NOUT; o++) {
        double s = m->w_out[o][NHID];

        for (int h = 0; h < NHID; h++) {
            s += m->w_out[o][h] * m->hid[h];
        }
        m->out[o] = sigmoid(s);
    }
}

/* One gradient step on one pattern; returns its squared error. */
static double backprop(struct mlp *m, const double *in, const double *target)
{
    double d_out[NOUT], d_hid[NHID], err = 0;

    forward(m, in);
    for (int o = 0; o < NOUT; o++) {
        double e = target[o] - m->out[o];

        err += e * e;
        d_out[o] = e * m->out[o] * (1 - m->out[o]);
    }
    for (int h = 0; h < NHID; h++) {
        double s = 0;

        for (int o = 0; o < NOUT; o++) {
            s += d_out[o] * m->w_out[o][h];
        }
        d_hid[h] = s * m->hid[h] * (1 - m->hid[h]);
    }
    for (int o = 0; o < NOUT; o++) {
        for (int h = 0; h <= NHID; h++) {
            double x = h < NHID ? m->hid[h] : 1.0;

            m->dw_out[o][h] = RATE * d_out[o] * x + MOMENTUM * m->dw_out[o][h];
            m->w_out[o][h] += m->dw_out[o][h];
        }
    }
    for (int h = 0; h < NHID; h++) {
        for (int i = 0; i <= NIN; i++) {
            double x = i < NIN ? in[i] : 1.0;

            m->dw_hid[h][i] = RATE * d_hid[h] * x + MOMENTUM * m->dw_hid[h][i];
            m->w_hid[h][i] += m->dw_hid[h][i];
        }
    }
    return err;
}

static int all_outputs_right(struct mlp *m, const struct patterns *p)
{
    for (int k = 0; k < NPAT; k++) {
        forward(m, p->in[k]);
        for (int o = 0; o < NOUT; o++) {
            if ((m->out[o] > 0.5) != (p->target[k][o] > 0.5)) {
                return 0;
            }
        }
    }
    return 1;
}

struct nb_outcome nb_neural(unsigned long scale)
{
    struct nb_outcome out = { 1, 0 };
    struct mlp *m = xmalloc(sizeof(*m));
    struct patterns *p = xmalloc(sizeof(*p));
    double first_err = 0, last_err = 0;
    struct prng r;

    prng_seed(&r, 0x5eed0008);
    make_patterns(p, &r);
    init_weights(m, &r);
    for (unsigned long e = 0; e < scale * EPOCHS_PER_SCALE; e++) {
        double err = 0;

        for (int k = 0; k < NPAT; k++) {
            err += backprop(m, p->in[k], p->target[k]);
        }
        if (e == 0) {
            first_err = err;
        }
        last_err = err;
        out.ops++;
    }
    out.ok = all_outputs_right(m, p) && last_err < first_err;
    free(p);
    free(m);
    return out;
}
