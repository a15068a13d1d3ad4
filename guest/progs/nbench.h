/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nbench-style kernels linked into the nbench program.  Each kernel
 * does a fixed amount of work times SCALE, checks its own result and
 * reports how many work units it did; nbench.c times it and prints the
 * RESULT line.
 */
#ifndef GUEST_PROGS_NBENCH_H
#define GUEST_PROGS_NBENCH_H

struct nb_outcome {
    int ok;                     /* result verified */
    unsigned long long ops;     /* work units done */
};

struct nb_outcome nb_numsort(unsigned long scale);
struct nb_outcome nb_strsort(unsigned long scale);
struct nb_outcome nb_bitfield(unsigned long scale);
struct nb_outcome nb_fpemu(unsigned long scale);
struct nb_outcome nb_assign(unsigned long scale);
struct nb_outcome nb_huffman(unsigned long scale);
struct nb_outcome nb_idea(unsigned long scale);
struct nb_outcome nb_neural(unsigned long scale);
struct nb_outcome nb_lu(unsigned long scale);

#endif
