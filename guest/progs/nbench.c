/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nbench: CPU-bound kernels in the spirit of BYTEmark/nbench (integer and
 * string sorting, bit fields, software floating point, assignment,
 * Huffman coding, IDEA, a neural net, LU decomposition).  They measure
 * how fast the emulator runs ordinary compiled code with a modest working
 * set, i.e. mostly translated-code quality and the cost of plain loads and
 * stores that hit a small set of pages.
 *
 * Usage: nbench [-s SCALE] KERNEL... | all
 * Prints one RESULT line per kernel, named nbench-<kernel>.
 */
#include "common.h"
#include "nbench.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct nb_kernel {
    const char *name;
    struct nb_outcome (*run)(unsigned long scale);
};

static const struct nb_kernel kernels[] = {
    { "numsort", nb_numsort },
    { "strsort", nb_strsort },
    { "bitfield", nb_bitfield },
    { "fpemu", nb_fpemu },
    { "assign", nb_assign },
    { "huffman", nb_huffman },
    { "idea", nb_idea },
    { "neural", nb_neural },
    { "lu", nb_lu },
};

#define NKERNELS (sizeof(kernels) / sizeof(kernels[0]))

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [-s SCALE] KERNEL... | all\nkernels:", argv0);
    for (size_t i = 0; i < NKERNELS; i++) {
        fprintf(stderr, " %s", kernels[i].name);
    }
    fprintf(stderr, "\n");
}

static const struct nb_kernel *find_kernel(const char *name)
{
    for (size_t i = 0; i < NKERNELS; i++) {
        if (strcmp(kernels[i].name, name) == 0) {
            return &kernels[i];
        }
    }
    return NULL;
}

/* Run one kernel, print its RESULT line, return whether it verified. */
static int run_kernel(const struct nb_kernel *k, unsigned long scale)
{
    char name[64];
    double t0 = now_seconds();
    struct nb_outcome out = k->run(scale);
    double t1 = now_seconds();

    snprintf(name, sizeof(name), "nbench-%s", k->name);
    print_result(name, out.ok, t1 - t0, out.ops, "scale:%lu", scale);
    return out.ok;
}

int main(int argc, char **argv)
{
    unsigned long scale = 1;
    int opt, all_ok = 1;

    while ((opt = getopt(argc, argv, "s:")) != -1) {
        if (opt != 's') {
            usage(argv[0]);
            return 2;
        }
        scale = parse_positive(optarg, "scale");
    }
    if (optind == argc) {
        usage(argv[0]);
        return 2;
    }
    /* Validate every name first so a typo does not waste a long run. */
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "all") != 0 && !find_kernel(argv[i])) {
            fprintf(stderr, "unknown kernel '%s'\n", argv[i]);
            usage(argv[0]);
            return 2;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "all") == 0) {
            for (size_t k = 0; k < NKERNELS; k++) {
                all_ok &= run_kernel(&kernels[k], scale);
            }
        } else {
            all_ok &= run_kernel(find_kernel(argv[i]), scale);
        }
    }
    return exit_status(all_ok);
}
